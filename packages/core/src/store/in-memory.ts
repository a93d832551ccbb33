// The in-memory event store: the reference implementation of the port, for tests, demos and embedding
// in a browser or mini-program. Same semantics as the durable adapters, checked by the same suite.
import { categoryOf, type NewEvent, type StoredEvent } from '../envelope.js';
import { duplicateEvent, wrongExpectedRevision } from '../errors.js';
import { sealEvents } from '../integrity/hash-chain.js';
import { type AppendLimits, assertValidAppend, assertValidReadOptions } from './append-validation.js';
import { isStoredAs } from './exact-retry.js';
import {
  type AppendResult,
  type Checkpoint,
  checkExpectedRevision,
  type EventStore,
  type PositionedEvent,
  type ReadAllBatch,
  type ReadAllOptions,
} from './port.js';
import { runSubscription } from './subscription.js';

export interface InMemoryEventStoreOptions extends AppendLimits {
  /** Store clock, for `recordedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
}

export const getInMemoryEventStore = (
  options: InMemoryEventStoreOptions = {},
): EventStore & {
  /** Direct access to the log, for tests that tamper with stored events. */
  readonly log: StoredEvent[];
} => {
  const clock = options.clock ?? (() => new Date());
  const log: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const byId = new Map<string, StoredEvent>();
  const waiters = new Set<() => void>();

  const toCheckpoint = (position: number): Checkpoint => String(position);
  const fromCheckpoint = (checkpoint: Checkpoint | null | undefined): number => {
    if (checkpoint === null || checkpoint === undefined) return 0;
    const n = Number(checkpoint);
    if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`not an in-memory checkpoint: ${checkpoint}`);
    return n;
  };

  const readAll = async (opts: ReadAllOptions = {}): Promise<ReadAllBatch> => {
    assertValidReadOptions({ limit: opts.limit });
    const after = fromCheckpoint(opts.after);
    const limit = opts.limit ?? 1000;
    const categories = opts.categories === undefined ? null : new Set(opts.categories);
    const events: PositionedEvent[] = [];
    let scanned = after;
    for (let i = after; i < log.length && events.length < limit; i++) {
      const e = log[i]!;
      scanned = i + 1;
      if (categories === null || categories.has(categoryOf(e.streamId))) {
        events.push({ ...e, checkpoint: toCheckpoint(i + 1) });
      }
    }
    return {
      events,
      checkpoint: scanned === after ? (opts.after ?? null) : toCheckpoint(scanned),
      isEnd: scanned >= log.length,
    };
  };

  return {
    log,
    async append(streamId, events: readonly NewEvent[], { expectedRevision }): Promise<AppendResult> {
      assertValidAppend(streamId, events, expectedRevision, options);
      const stream = streams.get(streamId) ?? [];
      const first = events[0];
      if (first !== undefined) {
        const existing = byId.get(first.eventId);
        if (existing !== undefined) {
          // A retry of an append that did happen (same events, same content) returns the original result;
          // anything else is a duplicate.
          const same =
            existing.streamId === streamId &&
            events.every((e, i) => {
              const stored = stream[existing.revision + i];
              return stored !== undefined && isStoredAs(stored, e);
            });
          if (!same) throw duplicateEvent(streamId, first.eventId);
          const last = stream[existing.revision + events.length - 1]!;
          return {
            streamId,
            firstRevision: existing.revision,
            nextExpectedRevision: last.revision,
            lastPosition: last.globalPosition,
          };
        }
      }
      const seen = new Set<string>();
      for (const e of events) {
        if (byId.has(e.eventId) || seen.has(e.eventId)) throw duplicateEvent(streamId, e.eventId);
        seen.add(e.eventId);
      }
      const current = stream.length === 0 ? null : stream.length - 1;
      if (!checkExpectedRevision(expectedRevision, current)) {
        throw wrongExpectedRevision(streamId, expectedRevision, current ?? 'no_stream');
      }
      if (events.length === 0) {
        return {
          streamId,
          firstRevision: (current ?? -1) + 1,
          nextExpectedRevision: current ?? -1,
          lastPosition: log.length,
        };
      }
      const lastEvent = stream[stream.length - 1];
      const head = lastEvent === undefined ? null : { revision: lastEvent.revision, hash: lastEvent.hash };
      const sealed = sealEvents(streamId, head, events, clock().toISOString());
      for (const s of sealed) {
        const stored: StoredEvent = { ...s, globalPosition: log.length + 1 };
        log.push(stored);
        stream.push(stored);
        byId.set(stored.eventId, stored);
      }
      streams.set(streamId, stream);
      for (const wake of [...waiters]) wake();
      const last = stream[stream.length - 1]!;
      return {
        streamId,
        firstRevision: sealed[0]!.revision,
        nextExpectedRevision: last.revision,
        lastPosition: last.globalPosition,
      };
    },

    async readStream(streamId, opts = {}) {
      assertValidReadOptions(opts);
      const stream = streams.get(streamId) ?? [];
      const limit = opts.limit ?? Number.POSITIVE_INFINITY;
      if (opts.direction === 'backwards') {
        const from = Math.min(opts.fromRevision ?? stream.length - 1, stream.length - 1);
        const out: StoredEvent[] = [];
        for (let r = from; r >= 0 && out.length < limit; r--) out.push(stream[r]!);
        return out;
      }
      const from = opts.fromRevision ?? 0;
      return stream.slice(from, Number.isFinite(limit) ? from + limit : undefined);
    },

    async streamHead(streamId) {
      const stream = streams.get(streamId);
      const last = stream?.[stream.length - 1];
      return last === undefined ? null : { revision: last.revision, hash: last.hash };
    },

    readAll,

    subscribe(opts) {
      // The subscriber stays registered between waits: an append that lands while a batch is being read
      // or handled must still make the next wait return at once, or the subscriber sleeps past it.
      let appendedSince = false;
      let wakeWaiting: (() => void) | null = null;
      const onAppend = () => {
        if (wakeWaiting === null) appendedSince = true;
        else wakeWaiting();
      };
      waiters.add(onAppend);
      const subscription = runSubscription({
        readAll,
        options: opts,
        waitForAppend: (stopping) =>
          new Promise<void>((resolve) => {
            if (appendedSince || stopping.stopped) {
              appendedSince = false;
              resolve();
              return;
            }
            const forget = stopping.onStop(() => wakeWaiting?.());
            wakeWaiting = () => {
              wakeWaiting = null;
              appendedSince = false;
              forget();
              resolve();
            };
          }),
      });
      return {
        caughtUp: subscription.caughtUp,
        async stop() {
          await subscription.stop();
          waiters.delete(onAppend);
        },
      };
    },

    async close() {
      for (const wake of [...waiters]) wake();
    },
  };
};
