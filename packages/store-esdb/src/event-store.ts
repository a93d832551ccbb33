// The EventStoreDB adapter of the event-store port (docs/event-stores.md): one ESDB stream per banshishi stream, the
// envelope in each record's metadata, the hash chain sealed by core. Appends always name the exact revision
// they sealed onto, so two writers can never fork a chain; mapping rules live in mapping.ts.
import {
  type AppendResult,
  duplicateEvent,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type PositionedEvent,
  type ReadAllBatch,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamHead,
  type Subscription,
  wrongExpectedRevision,
} from '@banshishi/core';
import {
  type AppendLimits,
  assertValidAppend,
  assertValidReadOptions,
  checkExpectedRevision,
  isStorableStreamId,
  isStoredAs,
  runSubscription,
  type StopSignal,
  sealEvents,
} from '@banshishi/core/store';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type Position,
  type ResolvedEvent,
  START,
} from '@eventstore/db-client';
import {
  actualRevisionOf,
  claimRecord,
  comparePositions,
  decodeCheckpoint,
  encodeCheckpoint,
  fromRecordedEvent,
  globalPositionOf,
  inCategories,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  liveFilter,
  streamNames,
  toEsdbExpectedRevision,
  toEventData,
} from './mapping.js';

/** The part of the client the adapter uses; a narrower type keeps the dependency honest. */
export type EventStoreDBClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export type EventStoreDBConnection =
  /** A client the caller owns: `close()` leaves it open. */
  | { readonly client: EventStoreDBClientLike }
  /** e.g. `esdb://localhost:2113?tls=false`; the adapter owns this client and disposes it on `close()`. */
  | { readonly connectionString: string };

/** `maxStreamIdLength` and `maxEventBytes` (AppendLimits) bound what an append may carry; see docs/event-stores.md. */
export interface EventStoreDBEventStoreOptions extends AppendLimits {
  /**
   * Keeps several banshishi stores apart on one server (cities, staging, test runs): stream `problem-1` is
   * stored as `<namespace>/problem-1`, sealed and read back as `problem-1`, and reads see only their own
   * namespace. Use namespaces for all stores on a server or for none.
   */
  readonly namespace?: string;
  /** Store clock, for `recordedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
  /** Attempts for `any`/`stream_exists` appends when another writer moves the stream in between (default 5). */
  readonly maxAppendAttempts?: number;
  /** Most records fetched from $all per round trip (default 1000). */
  readonly readPageSize?: number;
  /**
   * A subscriber re-reads at least this often (ms, default 5000) even without a wake-up from the live $all
   * subscription: a safety net, never the normal path.
   */
  readonly pollIntervalMs?: number;
}

export const getEventStoreDBEventStore = (
  connection: EventStoreDBConnection,
  options: EventStoreDBEventStoreOptions = {},
): EventStore & { readonly client: EventStoreDBClientLike } => {
  const owned = 'connectionString' in connection;
  const client: EventStoreDBClientLike = owned
    ? EventStoreDBClient.connectionString(connection.connectionString)
    : connection.client;
  const clock = options.clock ?? (() => new Date());
  const maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? 5);
  const readPageSize = Math.max(2, options.readPageSize ?? 1000);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const subscriptions = new Set<Subscription>();
  const names = streamNames(options.namespace);

  /** A record read from `streamId` (a banshishi id: the stored name may carry the namespace). */
  const toStored = (resolved: ResolvedEvent, streamId: string): StoredEvent | null => {
    const recorded = resolved.event;
    if (recorded === undefined) return null;
    const position = recorded.position;
    // Stream reads carry positions from server 22.6 on; older servers only give the commit position.
    const commit = position?.commit ?? resolved.commitPosition;
    if (commit === undefined) {
      throw new Error(`EventStoreDB returned ${recorded.streamId}@${recorded.revision} without a position: use 22.6+`);
    }
    return fromRecordedEvent({ ...recorded, streamId }, Number(commit));
  };

  const readStream = async (streamId: string, opts: ReadStreamOptions = {}): Promise<StoredEvent[]> => {
    assertValidReadOptions(opts);
    if (!isStorableStreamId(streamId)) return [];
    const backwards = opts.direction === 'backwards';
    if (opts.limit !== undefined && opts.limit <= 0) return [];
    if (backwards && opts.fromRevision !== undefined && opts.fromRevision < 0) return [];
    const fromRevision =
      opts.fromRevision === undefined ? (backwards ? END : START) : BigInt(Math.max(0, opts.fromRevision));
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of client.readStream(names.physical(streamId), {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision,
        ...(opts.limit === undefined ? {} : { maxCount: opts.limit }),
      })) {
        const stored = toStored(resolved, streamId);
        if (stored !== null) events.push(stored);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  };

  const lastEvent = async (streamId: string): Promise<StoredEvent | null> =>
    (await readStream(streamId, { direction: 'backwards', limit: 1 }))[0] ?? null;

  const headOf = (event: StoredEvent | undefined | null): StreamHead | null =>
    event === undefined || event === null ? null : { revision: event.revision, hash: event.hash };

  const resultOf = (streamId: string, first: StoredEvent, last: StoredEvent): AppendResult => ({
    streamId,
    firstRevision: first.revision,
    nextExpectedRevision: last.revision,
    lastPosition: last.globalPosition,
  });

  /**
   * Whether these events, with this content, are already in the stream. EventStoreDB only deduplicates when
   * an append names an older revision than the stream's; ours always name the current one, which it writes
   * unconditionally. So
   * the ids are compared here against the whole stream, read in the same attempt that fixes the head: the
   * exact-revision append then guarantees nothing was written in between.
   */
  const findStored = (
    streamId: string,
    stored: readonly StoredEvent[],
    events: readonly NewEvent[],
  ): AppendResult | null => {
    const at = new Map(stored.map((e, i) => [e.eventId, i]));
    const start = at.get(events[0]!.eventId);
    if (start !== undefined && events.every((e, i) => stored[start + i]?.eventId === e.eventId)) {
      const changed = events.find((e, i) => !isStoredAs(stored[start + i]!, e));
      if (changed !== undefined) throw duplicateEvent(streamId, changed.eventId);
      return resultOf(streamId, stored[start]!, stored[start + events.length - 1]!);
    }
    const reused = events.find((e) => at.has(e.eventId));
    if (reused !== undefined) throw duplicateEvent(streamId, reused.eventId);
    return null;
  };

  /**
   * Claims event ids for a stream, so no other stream can store them (the port refuses duplicates across
   * streams; EventStoreDB only deduplicates within one). Each id gets a claim stream whose single record's id
   * is derived from (stream, event id) and is appended with `NO_STREAM`: the server acknowledges a repeat of
   * the same claim without writing (its idempotency rule for a specific expected revision), and refuses a
   * claim by another stream with WrongExpectedVersion. A claim whose append then fails stays with its stream:
   * the id can still be stored there, never elsewhere.
   */
  const claim = async (streamId: string, events: readonly NewEvent[]) => {
    await Promise.all(
      events.map(async (e) => {
        try {
          await client.appendToStream(names.claim(e.eventId), claimRecord(streamId, e.eventId), {
            expectedRevision: toEsdbExpectedRevision('no_stream'),
          });
        } catch (error) {
          if (isWrongExpectedVersion(error)) throw duplicateEvent(streamId, e.eventId);
          throw error;
        }
      }),
    );
  };

  const append = async (
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision }: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> => {
    // Before any call to the server: a refused append costs it nothing.
    assertValidAppend(streamId, events, expectedRevision, options);
    const ids = new Set<string>();
    for (const e of events) {
      if (ids.has(e.eventId)) throw duplicateEvent(streamId, e.eventId);
      ids.add(e.eventId);
    }
    if (events.length === 0) {
      const last = await lastEvent(streamId);
      const current = last?.revision ?? null;
      if (!checkExpectedRevision(expectedRevision, current)) {
        throw wrongExpectedRevision(streamId, expectedRevision, current ?? 'no_stream');
      }
      return {
        streamId,
        firstRevision: (current ?? -1) + 1,
        nextExpectedRevision: current ?? -1,
        lastPosition: last?.globalPosition ?? 0,
      };
    }

    let actual: number | 'no_stream' = 'no_stream';
    let claimed = false;
    for (let attempt = 0; attempt < maxAppendAttempts; attempt++) {
      const stored = await readStream(streamId);
      const replayed = findStored(streamId, stored, events);
      if (replayed !== null) return replayed;
      const head = headOf(stored[stored.length - 1]);
      actual = head?.revision ?? 'no_stream';
      if (!checkExpectedRevision(expectedRevision, head?.revision ?? null)) {
        throw wrongExpectedRevision(streamId, expectedRevision, actual);
      }
      if (!claimed) {
        await claim(streamId, events);
        claimed = true;
      }
      const sealed = sealEvents(streamId, head, events, clock().toISOString());
      const lastSealed = sealed[sealed.length - 1]!;
      let written: Awaited<ReturnType<EventStoreDBClientLike['appendToStream']>>;
      try {
        written = await client.appendToStream(names.physical(streamId), sealed.map(toEventData), {
          expectedRevision: toEsdbExpectedRevision(head === null ? 'no_stream' : head.revision),
        });
      } catch (error) {
        // Another writer got in between our read and our append: look again. A numeric or `no_stream`
        // expectation then fails on the fresh head (or finds a twin request's identical events).
        if (!isWrongExpectedVersion(error)) throw error;
        actual = actualRevisionOf(error);
        continue;
      }
      // `success: false` is the same conflict for clients built with throwOnAppendFailure off; a revision other
      // than the one sealed means the server acknowledged without writing these events: the next round
      // compares what it did store.
      if (!written.success || written.nextExpectedRevision !== BigInt(lastSealed.revision)) continue;
      const lastPosition =
        written.position === undefined
          ? ((await readStream(streamId, { fromRevision: lastSealed.revision, limit: 1 }))[0]?.globalPosition ?? 0)
          : globalPositionOf(written.position);
      return {
        streamId,
        firstRevision: sealed[0]!.revision,
        nextExpectedRevision: lastSealed.revision,
        lastPosition,
      };
    }
    throw wrongExpectedRevision(streamId, expectedRevision, actual);
  };

  const readAll = async (opts: ReadAllOptions = {}): Promise<ReadAllBatch> => {
    assertValidReadOptions({ limit: opts.limit });
    const after = opts.after === undefined || opts.after === null ? null : decodeCheckpoint(opts.after);
    const limit = opts.limit ?? 1000;
    const wanted = inCategories(opts.categories);
    const events: PositionedEvent[] = [];
    // The last position looked at: delivered, or skipped (a system record, another namespace or category).
    // The batch checkpoint moves past skipped records too, so a filtered subscriber does not rescan them;
    // only a store that has never seen a record of its own keeps answering `null`, as an empty store does.
    let cursor: Position | null = after;
    let own = after !== null;
    const checkpoint = () => (cursor === null || !own ? null : encodeCheckpoint(cursor));
    // Pages start just large enough for the batch and grow while records are being skipped.
    let pageSize = Math.min(Math.max(limit + 1, 2), readPageSize);
    for (;;) {
      const page = client.readAll({ fromPosition: cursor ?? START, maxCount: pageSize, direction: FORWARDS });
      let count = 0;
      let drained = false;
      try {
        for await (const resolved of page) {
          count += 1;
          const recorded = resolved.event;
          if (recorded === undefined) continue;
          const position = recorded.position;
          // A read from a position includes the record there, which the previous page already had.
          if (cursor !== null && comparePositions(position, cursor) <= 0) continue;
          const streamId = isSystemEvent(recorded.streamId, recorded.type) ? null : names.logical(recorded.streamId);
          if (streamId !== null) own = true;
          const deliverable = streamId !== null && wanted(streamId);
          if (deliverable && events.length >= limit) return { events, checkpoint: checkpoint(), isEnd: false };
          cursor = position;
          if (deliverable) {
            events.push({
              ...fromRecordedEvent({ ...recorded, streamId }, globalPositionOf(position)),
              checkpoint: encodeCheckpoint(position),
            });
          }
        }
        drained = true;
      } finally {
        // Leaving the loop early (a full batch, an undecodable record) does not end the gRPC call by itself.
        if (!drained) await page.cancel();
      }
      if (count < pageSize) return { events, checkpoint: checkpoint(), isEnd: true };
      pageSize = Math.min(pageSize * 2, readPageSize);
    }
  };

  const subscribe: EventStore['subscribe'] = (opts) => {
    // Catch-up is core's loop over readAll; a live, server-filtered $all subscription opened first only says
    // when to read again. It is confirmed before the first read, so every append is either visible to that
    // read or wakes the loop afterwards.
    const live = client.subscribeToAll({ fromPosition: END, filter: liveFilter(names.prefix, opts.categories) });
    let stopping = false;
    let woken = false;
    let failure: Error | undefined;
    const waiting = new Set<() => void>();
    const wake = () => {
      woken = true;
      for (const w of [...waiting]) w();
    };
    const fail = (error: Error) => {
      if (stopping) return;
      failure = error;
      wake();
    };
    const confirmed = new Promise<void>((resolve) => {
      live.once('confirmation', resolve);
      live.once('error', () => resolve());
      live.once('close', () => resolve());
      setTimeout(resolve, pollIntervalMs).unref();
    });
    live.on('data', wake);
    live.on('error', fail);
    live.on('close', () => fail(new Error('EventStoreDB closed the live $all subscription')));

    let stopHooked = false;
    const waitForAppend = (stop: StopSignal) =>
      new Promise<void>((resolve, reject) => {
        if (!stopHooked) {
          stopHooked = true;
          stop.onStop(wake);
        }
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          if (failure !== undefined) reject(failure);
          else resolve();
        };
        const timer = setTimeout(done, pollIntervalMs);
        waiting.add(done);
        if (woken || failure !== undefined || stop.stopped) done();
      });

    const unsubscribe = async () => {
      stopping = true;
      await live.unsubscribe();
    };
    const running = runSubscription({
      readAll: async (batch) => {
        await confirmed;
        if (failure !== undefined) throw failure;
        woken = false;
        return readAll(batch);
      },
      options: {
        ...opts,
        onError: (error) => {
          unsubscribe().catch(() => {});
          opts.onError?.(error);
        },
      },
      waitForAppend,
    });
    const subscription: Subscription = {
      caughtUp: running.caughtUp,
      async stop() {
        subscriptions.delete(subscription);
        stopping = true;
        await running.stop();
        await unsubscribe();
      },
    };
    subscriptions.add(subscription);
    return subscription;
  };

  return {
    client,
    append,
    readStream,
    async streamHead(streamId) {
      return headOf(await lastEvent(streamId));
    },
    readAll,
    subscribe,
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      if (owned) await client.dispose();
    },
  };
};
