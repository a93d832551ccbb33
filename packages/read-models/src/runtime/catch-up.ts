// Catching several projections up together: the log is read once, not once per projection, and each
// batch is applied to every projection side by side (each in its own transaction, with its own
// checkpoint) while the next batch is being read. Each projection takes the batches in order, one after
// another, at its own pace: a fast one goes on to the next batch while a slow one is still writing this
// one, up to a batch ahead of the slowest, so neither the client nor the server waits for the
// slowest projection's every statement. Events are decoded once for all projections that decode them
// alike. A projector starting far behind — a first build, a restart after downtime — spends most of its
// time here; once at the head, each projection follows the log through its own subscription (runner.ts),
// which starts from the checkpoint this leaves behind.
import { type Checkpoint, categoryOf, type EventStore, type PositionedEvent, type ReadAllBatch } from '@banshishi/core';
import { projectBatch, sharedDecoding } from './batch.js';
import { ensureProjection, type ReadModels } from './builds.js';
import type { AnyProjection } from './projection.js';
import { defaultRetryPolicy, type RetryPolicy, StoppedError, type Stopper, stopper, withRetry } from './retry.js';
import type { BatchReport } from './runner.js';

export interface CatchUpOptions {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly projections: readonly AnyProjection[];
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
  readonly onBatch?: (report: BatchReport) => void;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

interface Follower {
  readonly projection: AnyProjection;
  readonly categories: ReadonlySet<string>;
  readonly build: number;
  position: number;
  /** The batches handed to it, applied one after another; rejects once one failed for good. */
  applied: Promise<void>;
  moved: boolean;
}

/**
 * Batches handed out beyond the one the slowest projection is applying. Each holds 2,000 events by
 * default: at 250,000 events, two ahead cost some 30 MiB more peak memory than one for no gain that
 * showed on the shared two-core machine.
 */
const batchesAhead = 1;

/**
 * Applies everything visible now to the live build of each projection. Projections whose live build was
 * made by another version are left alone: their own runner rebuilds them or refuses to run. Resolves
 * with the number of events read.
 */
export const catchUpTogether = async (options: CatchUpOptions, stop: Stopper = stopper()): Promise<number> => {
  const { store, readModels: rm } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const retrying = <A>(run: () => Promise<A>) => withRetry(policy, stop, run, options.onRetry);
  const followers: Follower[] = [];
  let from: { position: number; checkpoint: Checkpoint | null } | undefined;
  for (const projection of options.projections) {
    const build = await retrying(() => ensureProjection(rm, projection));
    if (build.version !== projection.version) continue;
    followers.push({
      projection,
      categories: new Set(projection.categories),
      build: build.build,
      position: build.position,
      applied: Promise.resolve(),
      moved: false,
    });
    // Start at the least advanced build: the others skip what they have already applied.
    if (from === undefined || build.position < from.position) {
      from = { position: build.position, checkpoint: build.position === 0 ? null : build.checkpoint };
    }
  }
  if (from === undefined) return 0;
  const categories = [...new Set(followers.flatMap((f) => f.projection.categories))];
  // 2,000 events a batch, with one more being read: on a 1,000,000-event log, 5,000 cost some 45 MB more
  // peak memory (two batches, decoded once per projection, and their row texts) for about 10% more speed.
  const limit = options.batchSize ?? 2000;
  const read = (after: Checkpoint | null) => {
    const reading = retrying(() => store.readAll({ after, limit, categories }));
    // A read started ahead may fail after a batch failed for good; its error is not a second failure.
    reading.catch(() => {});
    return reading;
  };

  const shared = sharedDecoding();
  const apply = async (follower: Follower, events: readonly PositionedEvent[], checkpoint: Checkpoint) => {
    if (follower.moved) return;
    const started = performance.now();
    const result = await retrying(() =>
      projectBatch(rm, follower.projection, { build: follower.build, onlyIfLive: true }, events, checkpoint, shared),
    );
    if (result.kind === 'moved') {
      // A rebuild elsewhere switched builds: the projection's own runner follows the new one.
      follower.moved = true;
      followers.splice(followers.indexOf(follower), 1);
      return;
    }
    follower.position = result.position;
    options.onBatch?.({
      projection: follower.projection.name,
      build: follower.build,
      mode: 'live',
      events: events.length,
      applied: result.applied,
      position: result.position,
      lastRecordedAt: result.lastRecordedAt,
      durationMs: performance.now() - started,
    });
  };

  // Every batch handed out and not yet applied by every projection, oldest first.
  const inFlight: Promise<unknown>[] = [];
  const everyFollower = [...followers];
  /** Waits for every projection to finish what it was handed, then fails with the first failure if any. */
  const settle = async () => {
    const outcomes = await Promise.allSettled(everyFollower.map((f) => f.applied));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };

  let total = 0;
  let next: Promise<ReadAllBatch> = read(from.checkpoint);
  for (;;) {
    const batch = await next.catch(async (error: unknown) => {
      await settle();
      throw error;
    });
    if (stop.stopped) {
      await settle();
      throw new StoppedError();
    }
    const last = batch.events[batch.events.length - 1];
    if (last === undefined) break;
    total += batch.events.length;
    if (!batch.isEnd) next = read(batch.checkpoint);
    const handed: Promise<void>[] = [];
    for (const f of followers) {
      if (f.position >= last.globalPosition) continue;
      const mine = batch.events.filter((e) => f.categories.has(categoryOf(e.streamId)));
      if (mine.length === 0) continue;
      // After a failure the projection takes nothing more: a later batch must not skip the failed one.
      f.applied = f.applied.then(() => apply(f, mine, mine[mine.length - 1]!.checkpoint));
      handed.push(f.applied);
    }
    const done = Promise.all(handed);
    // A failure is reported once, by `settle`; this copy only paces the reading.
    done.catch(() => {});
    inFlight.push(done);
    if (inFlight.length > batchesAhead) {
      const oldest = inFlight.shift()!;
      await oldest.catch(() => settle());
    }
    if (batch.isEnd || followers.length === 0) break;
  }
  await settle();
  return total;
};
