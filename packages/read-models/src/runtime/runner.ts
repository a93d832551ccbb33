// Running a projection: keep its live build up to date through a store subscription, retrying transient
// failures with back-off, following the pointer when a rebuild elsewhere makes another build live, and
// rebuilding beside the live build when the code's version differs from the live build's.
import type { DomainEvent, EventStore, PositionedEvent } from '@banshishi/core';
import { type BatchResult, projectBatch } from './batch.js';
import {
  type BuildRow,
  dropBuild,
  ensureProjection,
  getBuild,
  liveBuild,
  type ReadModels,
  startBuild,
  switchLive,
} from './builds.js';
import type { Projection, ProjectionShape } from './projection.js';
import { defaultRetryPolicy, type RetryPolicy, StoppedError, type Stopper, stopper, withRetry } from './retry.js';

export interface BatchReport {
  readonly projection: string;
  readonly build: number;
  /** `live` for the build readers see, `rebuild` for a build being filled beside it. */
  readonly mode: 'live' | 'rebuild';
  readonly events: number;
  readonly applied: number;
  readonly position: number;
  readonly lastRecordedAt: string | null;
  readonly durationMs: number;
}

export interface ProjectionHooks {
  readonly onBatch?: (report: BatchReport) => void;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly onSwitch?: (event: { projection: string; build: number; previous: number | null }) => void;
  /**
   * A rebuilt build is about to replace the live one (which still holds its rows): a last look, for
   * saying what the switch replaces. Not called when the switch is bound to be refused.
   */
  readonly beforeSwitch?: (event: {
    projection: ProjectionShape;
    candidate: BuildRow;
    live: BuildRow;
  }) => Promise<void>;
  /** The live build changed under a running projector (a rebuild elsewhere switched it). */
  readonly onMoved?: (event: { projection: string; from: number; to: number | null }) => void;
}

export interface ProjectionRunOptions<Ev extends DomainEvent, T> extends ProjectionHooks {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly projection: Projection<Ev, T>;
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
  /** For rebuilds: drop the previous build's tables once the new one is live (default true). */
  readonly dropPrevious?: boolean;
}

export interface RunningProjection {
  /** Resolves once the live build has applied everything visible when the projector started. */
  readonly caughtUp: Promise<void>;
  /** Resolves when the projector has stopped after `stop()`; rejects on an error it will not retry. */
  readonly done: Promise<void>;
  /** Finishes the batch in flight, then stops. */
  stop(): Promise<void>;
}

const timed = async (run: () => Promise<BatchResult>) => {
  const started = performance.now();
  const result = await run();
  return { result, durationMs: performance.now() - started };
};

/**
 * Fills a new build from the start of the log and makes it live once it has caught up. Readers keep
 * the old build until the switch. An interrupted rebuild resumes from its own checkpoint.
 */
export const rebuildProjection = async <Ev extends DomainEvent, T>(
  options: ProjectionRunOptions<Ev, T>,
  stop: Stopper = stopper(),
): Promise<{ readonly build: number; readonly previous: number | null }> => {
  const { store, readModels: rm, projection } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const retrying = <A>(run: () => Promise<A>) => withRetry(policy, stop, run, options.onRetry);
  const target = await retrying(() => startBuild(rm, projection));
  let checkpoint = target.checkpoint;
  for (;;) {
    let reachedEnd = false;
    while (!reachedEnd) {
      if (stop.stopped) throw new StoppedError();
      const batch = await retrying(() =>
        store.readAll({ after: checkpoint, limit: options.batchSize ?? 1000, categories: projection.categories }),
      );
      if (batch.events.length > 0) {
        const { result, durationMs } = await timed(() =>
          retrying(() =>
            projectBatch(rm, projection, { build: target.build, onlyIfLive: false }, batch.events, batch.checkpoint),
          ),
        );
        if (result.kind === 'applied') {
          options.onBatch?.({
            projection: projection.name,
            build: target.build,
            mode: 'rebuild',
            events: batch.events.length,
            applied: result.applied,
            position: result.position,
            lastRecordedAt: result.lastRecordedAt,
            durationMs,
          });
        }
      }
      checkpoint = batch.checkpoint;
      reachedEnd = batch.isEnd && batch.events.length === 0;
    }
    if (options.beforeSwitch !== undefined) {
      const live = await retrying(() => liveBuild(rm, projection.name));
      const candidate = await retrying(() => getBuild(rm.db, rm, projection.name, target.build));
      const refused =
        live !== undefined &&
        candidate !== undefined &&
        live.version === candidate.version &&
        candidate.position < live.position;
      if (live !== undefined && candidate !== undefined && live.build !== candidate.build && !refused) {
        await options.beforeSwitch({ projection, candidate, live });
      }
    }
    const switched = await retrying(() => switchLive(rm, projection, target.build, true));
    if (switched.switched) {
      options.onSwitch?.({ projection: projection.name, build: target.build, previous: switched.previous });
      if (switched.previous !== null && options.dropPrevious !== false) {
        const previous = switched.previous;
        await retrying(() => dropBuild(rm, projection.name, previous));
      }
      return { build: target.build, previous: switched.previous };
    }
    // The live build moved on while we read the tail: read again from where we are.
  }
};

/** Keeps the live build of one projection up to date until stopped. */
export const runProjection = <Ev extends DomainEvent, T>(options: ProjectionRunOptions<Ev, T>): RunningProjection => {
  const { store, readModels: rm, projection } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const stop = stopper();
  const retrying = <A>(run: () => Promise<A>) => withRetry(policy, stop, run, options.onRetry);
  let markCaughtUp: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });

  /** Runs one subscription on `build` until stopped, moved or failed. */
  const follow = (build: BuildRow) =>
    new Promise<'stopped' | 'moved'>((resolve, reject) => {
      let settled = false;
      const subscription = store.subscribe({
        after: build.checkpoint,
        categories: projection.categories,
        batchSize: options.batchSize ?? 500,
        onEvents: async (events: readonly PositionedEvent[], checkpoint) => {
          const { result, durationMs } = await timed(() =>
            retrying(() => projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, events, checkpoint)),
          );
          if (result.kind === 'moved') {
            options.onMoved?.({ projection: projection.name, from: build.build, to: result.liveBuild });
            finish('moved');
            return;
          }
          options.onBatch?.({
            projection: projection.name,
            build: build.build,
            mode: 'live',
            events: events.length,
            applied: result.applied,
            position: result.position,
            lastRecordedAt: result.lastRecordedAt,
            durationMs,
          });
        },
        onError: (error) => finish(error),
      });
      const finish = (outcome: 'stopped' | 'moved' | unknown) => {
        if (settled) return;
        settled = true;
        // Not awaited from inside the handler: stop() waits for the handler, which is us.
        subscription
          .stop()
          .then(() => (outcome === 'stopped' || outcome === 'moved' ? resolve(outcome) : reject(outcome)), reject);
      };
      subscription.caughtUp.then(markCaughtUp, () => {});
      stop.whenStopped.then(() => finish('stopped'));
    });

  const loop = async () => {
    for (let failures = 0; !stop.stopped; ) {
      try {
        let build = await retrying(() => ensureProjection(rm, projection));
        if (build.version > projection.version) {
          // Writing old rules into a newer build, or rebuilding backwards, would make two projectors fight.
          throw new Error(
            `projection ${projection.name}: the live build ${build.build} was made by version ${build.version}, ` +
              `newer than this projector's version ${projection.version}; run the newer projector`,
          );
        }
        if (build.version < projection.version) {
          await rebuildProjection(options, stop);
          const now = await retrying(() => liveBuild(rm, projection.name));
          if (now === undefined) throw new Error(`projection ${projection.name}: no live build after rebuild`);
          build = now;
        }
        const outcome = await follow(build);
        if (outcome === 'stopped') return;
        failures = 0;
      } catch (error) {
        if (error instanceof StoppedError || stop.stopped) return;
        // A store that failed while subscribed gets the same patience as a database that failed mid-batch.
        if (!policy.isRetryable(error) || failures + 1 >= policy.maxAttempts) throw error;
        const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(failures, 30));
        failures++;
        options.onRetry?.(error, failures, delay);
        await stop.sleep(delay);
      }
    }
  };

  const done = loop();
  done.catch(() => {});
  return {
    caughtUp,
    done,
    async stop() {
      stop.stop();
      await done.catch(() => {});
    },
  };
};
