// Runs named projections side by side, each on its own checkpoint, reporting lag and throughput as
// metrics and as a log line every N batches; or rebuilds them beside their live builds. Kept apart from
// main.ts so tests drive it with an in-memory store and a PGlite read-model database.
import type { EventStore } from '@banshishi/core';
import {
  type AnyProjection,
  type BatchReport,
  type BuildRow,
  catchUpTogether,
  compareSchemas,
  getBuild,
  type ProjectionShape,
  projectBatch,
  type ReadModels,
  type RunningProjection,
  rebuildProjection,
  runProjection,
  StoppedError,
  type Stopper,
  shapeNotes,
  stopper,
  tableDifferences,
} from '@banshishi/read-models';
import type { Logger } from 'pino';
import type { ProjectorMetrics } from './metrics.js';

export interface StoreHead {
  readonly position: number;
  readonly recordedAt: string;
}

export interface ProjectorDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly projections: readonly AnyProjection[];
  readonly batchSize: number;
  readonly logEveryBatches: number;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
  /** The newest event in the store, for lag; absent when the store cannot say cheaply. */
  readonly head?: () => Promise<StoreHead | null>;
}

/** Caches the store head for a second, so lag costs one small query per second, not one per batch. */
const cachedHead = (head: ProjectorDeps['head']) => {
  let at = 0;
  let value: Promise<StoreHead | null> = Promise.resolve(null);
  return () => {
    if (head === undefined) return Promise.resolve(null);
    if (Date.now() - at > 1000) {
      at = Date.now();
      value = head().catch(() => null);
    }
    return value;
  };
};

const reporter = (deps: ProjectorDeps) => {
  const head = cachedHead(deps.head);
  const counts = new Map<string, { batches: number; events: number; since: number }>();
  return (report: BatchReport) => {
    const labels = { projection: report.projection, mode: report.mode };
    deps.metrics.events.inc(labels, report.events);
    deps.metrics.batchSeconds.observe(labels, report.durationMs / 1000);
    deps.metrics.position.set(labels, report.position);
    const key = `${report.projection}/${report.mode}`;
    const c = counts.get(key) ?? { batches: 0, events: 0, since: performance.now() };
    c.batches++;
    c.events += report.events;
    counts.set(key, c);
    void head().then((h) => {
      // A batch smaller than the batch size means the read reached the end of the log: nothing is waiting,
      // even if the newest events in the store belong to categories this projection does not read.
      const atEnd = report.mode === 'live' && report.events < deps.batchSize;
      const lagEvents = h === null ? null : atEnd ? 0 : Math.max(0, h.position - report.position);
      const lagSeconds =
        h === null || report.lastRecordedAt === null || lagEvents === 0
          ? 0
          : Math.max(0, (Date.parse(h.recordedAt) - Date.parse(report.lastRecordedAt)) / 1000);
      if (lagEvents !== null) {
        deps.metrics.lagEvents.set(labels, lagEvents);
        deps.metrics.lagSeconds.set(labels, lagSeconds);
      }
      if (c.batches % deps.logEveryBatches === 0) {
        const seconds = (performance.now() - c.since) / 1000;
        deps.logger.info(
          {
            projection: report.projection,
            mode: report.mode,
            build: report.build,
            position: report.position,
            lagEvents,
            lagSeconds,
            eventsPerSecond: Math.round(c.events / Math.max(seconds, 0.001)),
            batches: c.batches,
          },
          'projection progress',
        );
        c.events = 0;
        c.since = performance.now();
      }
    });
  };
};

/**
 * What a retry log line says of its error: code and first line. Never the error itself, whose `detail`
 * may quote a row and whose `client` (pg sets it on pool errors) holds the connection parameters.
 */
const transientError = (error: unknown) => {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  return {
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? (message.split('\n')[0] ?? '').slice(0, 200) : String(error),
  };
};

/** Rows a rebuild's report lists one by one; the rest are counted per table. */
export const replacedRowsLogged = 100;

/**
 * Applies the log to the live build up to `position`, as its own projector would: a live build behind
 * the rebuilt one would otherwise differ by the rows of the events it has not applied yet, and those are
 * no tampering. Resolves with the live build as it then stands (undefined when a switch moved it).
 */
const catchLiveUp = async (
  deps: ProjectorDeps,
  projection: AnyProjection,
  live: BuildRow,
  position: number,
): Promise<BuildRow | undefined> => {
  let after = live.position === 0 ? null : live.checkpoint;
  for (;;) {
    const batch = await deps.store.readAll({ after, limit: deps.batchSize, categories: projection.categories });
    const upTo = batch.events.filter((event) => event.globalPosition <= position);
    const last = upTo[upTo.length - 1];
    if (last !== undefined) {
      const target = { build: live.build, onlyIfLive: true };
      const result = await projectBatch(deps.readModels, projection, target, upTo, last.checkpoint);
      if (result.kind === 'moved') return undefined;
      after = last.checkpoint;
    }
    if (upTo.length < batch.events.length || batch.events.length === 0) break;
  }
  return getBuild(deps.readModels.db, deps.readModels, live.projection, live.build);
};

/**
 * Before a rebuilt build goes live: compares it with the live build it replaces (the comparison of
 * verify-read-models) and logs what differs, so a rebuild never silently replaces a hand-edited table.
 * The values logged are those checkReadModels may show; free text and raisers appear as "differs".
 */
const reportReplaced =
  (deps: ProjectorDeps) =>
  async (e: { projection: ProjectionShape; candidate: BuildRow; live: BuildRow }): Promise<void> => {
    const { projection, candidate } = e;
    let live = e.live;
    const where = () => ({
      projection: projection.name,
      liveBuild: live.build,
      build: candidate.build,
      livePosition: live.position,
      position: candidate.position,
    });
    if (live.version !== candidate.version) {
      deps.logger.info(
        { ...where(), liveVersion: live.version, version: candidate.version },
        'rebuild of a new version: its rows differ by design, the comparison with the live build does not apply',
      );
      return;
    }
    let tables: Awaited<ReturnType<typeof compareSchemas>>;
    try {
      const running = deps.projections.find((p) => p.name === projection.name);
      if (running !== undefined && live.position < candidate.position) {
        const from = live.position;
        const caughtUp = await catchLiveUp(deps, running, live, candidate.position);
        if (caughtUp === undefined) {
          deps.logger.info(where(), 'the live build was switched by someone else; nothing to compare');
          return;
        }
        live = caughtUp;
        deps.logger.info({ ...where(), from }, 'caught the live build up to the rebuilt position before comparing');
      }
      tables = await compareSchemas(
        deps.readModels.db,
        projection,
        { live: live.schemaName, rebuilt: candidate.schemaName },
        { maxRowsPerTable: replacedRowsLogged },
      );
    } catch (error) {
      deps.logger.warn(
        { ...where(), error: transientError(error) },
        'could not compare the rebuilt build with the live one; switching without a report of what it replaces',
      );
      return;
    }
    const total = tables.reduce((n, t) => n + tableDifferences(t), 0);
    const counts = Object.fromEntries(tables.map((t) => [t.table, tableDifferences(t)]));
    // Still behind (the live projector is writing as we compare): those rows differ for that reason.
    const behind = candidate.position > live.position ? { liveBehindBy: candidate.position - live.position } : {};
    if (total === 0) {
      deps.logger.info({ ...where(), ...behind, differences: 0, tables: counts }, 'rebuild replaces no differing rows');
      return;
    }
    deps.logger.warn(
      { ...where(), ...behind, differences: total, tables: counts },
      'rebuild replaces rows that differ from the log',
    );
    let logged = 0;
    for (const t of tables) {
      for (const d of t.differences) {
        if (logged >= replacedRowsLogged) break;
        logged++;
        deps.logger.warn(
          { projection: projection.name, table: d.table, key: d.key, kind: d.kind, columns: d.columns },
          'replaced row',
        );
      }
      for (const note of shapeNotes(t))
        deps.logger.warn({ projection: projection.name, table: t.table, note }, 'replaced table');
    }
    const listed = tables.reduce((n, t) => n + t.differenceCount, 0);
    if (listed > logged) {
      deps.logger.warn({ projection: projection.name, notListed: listed - logged }, 'more replaced rows, not listed');
    }
  };

const hooks = (deps: ProjectorDeps) => ({
  onBatch: reporter(deps),
  onRetry: (error: unknown, attempt: number, delayMs: number) => {
    deps.logger.warn({ error: transientError(error), attempt, delayMs }, 'transient error, retrying');
  },
  beforeSwitch: reportReplaced(deps),
  onSwitch: (e: { projection: string; build: number; previous: number | null }) =>
    deps.logger.info(e, 'rebuilt build is live'),
  onMoved: (e: { projection: string; from: number; to: number | null }) =>
    deps.logger.info(e, 'live build changed, following it'),
});

export interface RunningProjector {
  readonly caughtUp: Promise<void>;
  /** Settles when every projection has stopped; rejects with the first error one of them will not retry. */
  readonly done: Promise<void>;
  /** Each projection finishes its batch in flight, then stops. */
  stop(): Promise<void>;
}

/**
 * Catches every projection up with one shared read of the log, then keeps each one following the log
 * through its own subscription, from the checkpoint the catch-up left.
 */
export const startProjector = (deps: ProjectorDeps): RunningProjector => {
  const h = hooks(deps);
  const onRetryOf = (projection: string) => (error: unknown, attempt: number, delayMs: number) => {
    deps.metrics.retries.inc({ projection });
    h.onRetry(error, attempt, delayMs);
  };
  const stopping = stopper();
  let running: RunningProjection[] = [];
  const stopAll = () => Promise.all(running.map((r) => r.stop())).then(() => undefined);

  const caughtUpTogether = catchUpTogether(
    {
      store: deps.store,
      readModels: deps.readModels,
      projections: deps.projections,
      batchSize: deps.batchSize,
      onBatch: h.onBatch,
      onRetry: onRetryOf('catch-up'),
    },
    stopping,
  ).then((events) => {
    deps.logger.info({ events }, 'shared catch-up finished');
  });
  const started = caughtUpTogether.then(() => {
    if (stopping.stopped) return;
    running = deps.projections.map((projection) =>
      runProjection({
        store: deps.store,
        readModels: deps.readModels,
        projection,
        batchSize: deps.batchSize,
        ...h,
        onRetry: onRetryOf(projection.name),
      }),
    );
  });
  // One projection failing for good stops the others, so the process exits and its supervisor sees it.
  const done = started
    .then(() =>
      Promise.all(
        running.map((r) =>
          r.done.catch(async (error: unknown) => {
            await stopAll();
            throw error;
          }),
        ),
      ),
    )
    .then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof StoppedError) return;
        throw error;
      },
    );
  done.catch(() => {});
  // Never rejects: a projector that stops or fails before catching up simply never caught up, and `done`
  // carries the error.
  const caughtUp = started.then(
    () => Promise.all(running.map((r) => r.caughtUp)).then(() => undefined),
    () => new Promise<void>(() => {}),
  );
  return {
    caughtUp,
    done,
    stop: async () => {
      stopping.stop();
      await started.catch(() => {});
      await stopAll();
      await done.catch(() => {});
    },
  };
};

/** Rebuilds each projection beside its live build, one after another, and switches each when caught up. */
export const rebuildAll = async (deps: ProjectorDeps, stop: Stopper): Promise<void> => {
  const h = hooks(deps);
  for (const projection of deps.projections) {
    deps.logger.info({ projection: projection.name, version: projection.version }, 'rebuild started');
    const result = await rebuildProjection(
      {
        store: deps.store,
        readModels: deps.readModels,
        projection,
        batchSize: deps.batchSize,
        ...h,
      },
      stop,
    );
    deps.logger.info({ projection: projection.name, ...result }, 'rebuild finished');
  }
};
