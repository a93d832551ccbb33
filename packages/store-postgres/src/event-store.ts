// The SQL event store, shared by PostgreSQL (pg) and PGlite through the executor interface. Appends check
// the expected revision inside the database transaction and seal the hash chain with core's `sealEvents`;
// the global log is read only below the oldest running transaction, so a subscriber never skips an event
// that commits after a later position became visible (docs/event-stores.md explains the scheme).
import {
  type AppendResult,
  BanshishiError,
  type Checkpoint,
  categoryOf,
  duplicateEvent,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type PositionedEvent,
  type ReadAllBatch,
  type ReadAllOptions,
  type SealedEvent,
  type Sha256Hex,
  type StreamHead,
  type Subscription,
  storeRules,
  validationError,
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
  againIfConnectionLost,
  type ConnectionErrorHandler,
  connectionErrorReport,
  isConnectionLost,
  warnOnStderr,
} from './connection.js';
import { type EventRow, eventColumns, toStoredEvent } from './event-rows.js';
import { quoteIdent, type SqlExecutor, type SqlQuery } from './executor.js';
import { lockSpaces, migrate } from './migrations/index.js';
import { nodeSha256Hex } from './node-hash.js';

/** `maxStreamIdLength` and `maxEventBytes` (AppendLimits) bound what an append may carry; see docs/event-stores.md. */
export interface SqlEventStoreOptions extends AppendLimits {
  /** The schema that holds the store's tables (default `event_store`), apart from the read models. */
  readonly schema?: string;
  /** Apply missing migrations before the store is handed out (default true). */
  readonly migrate?: boolean;
  /** Store clock, for `recordedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
  /** NOTIFY channel that wakes subscribers in other processes (default `banshishi_events`). */
  readonly channel?: string;
  /** How often a waiting subscriber looks again without a notification (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Told of each connection the server closed under the store (default: a line on stderr). The report
   * holds a code and the server's one-line message, never the error itself (docs/operations.md).
   */
  readonly onConnectionError?: ConnectionErrorHandler;
  /**
   * SHA-256 for the hash chain (default node:crypto's, the same hashes as core's portable one and several
   * times faster); verifying a stream never depends on which one sealed it.
   */
  readonly sha256?: Sha256Hex;
  /** Test hook: runs inside the append transaction just before COMMIT, to widen race windows. */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Test hook: runs after COMMIT, before the result is returned; throwing stands for a lost reply. */
  readonly afterCommit?: (streamId: string) => Promise<void>;
}

/** The newest event in the log, whether or not subscribers may read it yet: where it stands and when it was stored. */
export interface LogHead {
  readonly position: number;
  readonly recordedAt: string;
}

export type SqlEventStore = EventStore & {
  /** The schema holding this store's tables. */
  readonly schema: string;
  /** The newest event in the log (null for an empty one), for a projector's lag: one small indexed read. */
  logHead(): Promise<LogHead | null>;
};

// PostgreSQL's uuid type hands back the lower-case spelling; the hash covers the id as sent, so any other
// spelling would come back unverifiable. Refusing it up front keeps the chain honest.
const canonicalUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const toCheckpoint = (position: number): Checkpoint => String(position);
const fromCheckpoint = (checkpoint: Checkpoint | null | undefined): number => {
  if (checkpoint === null || checkpoint === undefined) return 0;
  if (typeof checkpoint !== 'string' || !/^\d{1,16}$/.test(checkpoint)) {
    const message = `after: not a PostgreSQL event-store checkpoint: ${JSON.stringify(checkpoint)?.slice(0, 40)}`;
    throw new BanshishiError(
      validationError(storeRules.invalidReadOption, message, { fields: [{ path: 'after', message }] }),
    );
  }
  return Number(checkpoint);
};

interface OpenedAppend {
  readonly head: { readonly revision: number; readonly hash: string } | null;
  readonly stored: readonly { eventId: string; streamId: string; revision: number; globalPosition: number }[];
}

/** The per-event columns of an append, as the parallel arrays write_append and append_at_head take. */
const columnsOf = (sealed: readonly SealedEvent[]): unknown[] => [
  sealed.map((e) => e.revision),
  sealed.map((e) => e.eventId),
  sealed.map((e) => e.type),
  sealed.map((e) => e.schemaVersion),
  sealed.map((e) => JSON.stringify(e.data)),
  sealed.map((e) => e.occurredAt),
  sealed.map((e) => JSON.stringify(e.actor)),
  sealed.map((e) => e.correlationId),
  sealed.map((e) => e.causationId),
  sealed.map((e) => e.prevHash),
  sealed.map((e) => e.hash),
];

/** What an append that wrote `sealed` at `positions` answers, and the head it leaves the stream at. */
const written = (
  streamId: string,
  sealed: readonly SealedEvent[],
  positions: readonly (string | number)[],
): { result: AppendResult; head: StreamHead } => {
  const last = sealed[sealed.length - 1]!;
  return {
    head: { revision: last.revision, hash: last.hash },
    result: {
      streamId,
      firstRevision: sealed[0]!.revision,
      nextExpectedRevision: last.revision,
      lastPosition: Number(positions[positions.length - 1]),
    },
  };
};

const uniqueViolation = (error: unknown): string | null => {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code !== '23505') return null;
  if (typeof e.constraint === 'string') return e.constraint;
  return typeof e.message === 'string' ? e.message : '';
};

/** The store over any executor; `getPostgresEventStore` and `getPGliteEventStore` are the usual doors. */
export const getSqlEventStore = async (
  executor: SqlExecutor,
  options: SqlEventStoreOptions = {},
): Promise<SqlEventStore> => {
  const schema = options.schema ?? 'event_store';
  const clock = options.clock ?? (() => new Date());
  const channel = options.channel ?? 'banshishi_events';
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const onConnectionError = options.onConnectionError ?? warnOnStderr;
  const chain = { sha256: options.sha256 ?? nodeSha256Hex };
  if (options.migrate ?? true) await migrate(executor, { schema });

  const events = `${quoteIdent(schema)}.events`;
  const streams = `${quoteIdent(schema)}.streams`;
  const fn = (name: string) => `${quoteIdent(schema)}.${name}`;

  const readHead = async (streamId: string) =>
    (
      await executor.query<{ revision: number; hash: string }>(
        `SELECT revision, hash FROM ${streams} WHERE stream_id = $1`,
        [streamId],
      )
    )[0] ?? null;

  /**
   * An exact retry of an append that committed (the same ids in the same places, with the same content): its
   * result; any other reuse of an id: a duplicate. Events never change once committed, so their content may
   * be read on any session.
   */
  const earlierAppend = async (
    q: SqlQuery,
    streamId: string,
    newEvents: readonly NewEvent[],
    stored: readonly { eventId: string; streamId: string; revision: number; globalPosition: number }[],
  ): Promise<AppendResult | null> => {
    if (stored.length === 0) return null;
    const ids = newEvents.map((e) => e.eventId);
    const byId = new Map(stored.map((r) => [r.eventId, r]));
    const first = byId.get(ids[0]!);
    const same =
      first !== undefined &&
      ids.every((id, i) => {
        const row = byId.get(id);
        return row !== undefined && row.streamId === streamId && row.revision === first.revision + i;
      });
    if (!same) throw duplicateEvent(streamId, ids.find((id) => byId.has(id))!);
    const rows = await q.query<EventRow>(
      `SELECT ${eventColumns} FROM ${events} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, first.revision, ids.length],
    );
    const changed = newEvents.find((e, i) => rows[i] === undefined || !isStoredAs(toStoredEvent(rows[i]), e));
    if (changed !== undefined) throw duplicateEvent(streamId, changed.eventId);
    const lastId = ids[ids.length - 1] ?? '';
    const last = byId.get(lastId)!;
    return {
      streamId,
      firstRevision: first.revision,
      nextExpectedRevision: last.revision,
      lastPosition: last.globalPosition,
    };
  };

  const appendInTransaction = async (
    q: SqlQuery,
    streamId: string,
    newEvents: readonly NewEvent[],
    expectedRevision: Parameters<EventStore['append']>[2]['expectedRevision'],
  ): Promise<{ result: AppendResult; head: StreamHead | null }> => {
    const ids = newEvents.map((e) => e.eventId);
    // One writer per stream at a time. An advisory lock, not a row lock: locking a row is a write, and
    // would make this transaction take its id before its positions (see write_append).
    const [opened] = await q.query<{ state: OpenedAppend }>(
      `SELECT ${fn('open_append')}($1, hashtext($2), $3, $4::uuid[]) AS state`,
      [lockSpaces.stream, `${schema}/${streamId}`, streamId, ids],
    );
    const { head, stored } = opened!.state;
    const earlier = await earlierAppend(q, streamId, newEvents, stored);
    if (earlier !== null) return { result: earlier, head: null };
    const current = head?.revision ?? null;
    if (!checkExpectedRevision(expectedRevision, current)) {
      throw wrongExpectedRevision(streamId, expectedRevision, current ?? 'no_stream');
    }
    if (newEvents.length === 0) {
      const [last] = await q.query<{ global_position: string }>(
        `SELECT global_position FROM ${events} WHERE stream_id = $1 AND revision = $2`,
        [streamId, current ?? -1],
      );
      return {
        result: {
          streamId,
          firstRevision: (current ?? -1) + 1,
          nextExpectedRevision: current ?? -1,
          lastPosition: Number(last?.global_position ?? 0),
        },
        head: null,
      };
    }
    const sealed = sealEvents(streamId, head, newEvents, clock().toISOString(), chain);
    let positions: (string | number)[] | null;
    try {
      const [written] = await q.query<{ positions: (string | number)[] | null }>(
        `SELECT ${fn('write_append')}($1, hashtext($2), $3, $4, $5, $6, $7::int[], $8::uuid[], $9::text[], $10::int[],
                $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS positions`,
        [
          lockSpaces.position,
          schema,
          streamId,
          categoryOf(streamId),
          sealed[0]!.recordedAt,
          current,
          ...columnsOf(sealed),
        ],
      );
      positions = written!.positions;
    } catch (error) {
      // Another stream stored one of these ids after open_append looked (the executor's rollback also
      // releases the position lock, which a failed statement leaves held).
      if (uniqueViolation(error)?.includes('events_event_id_key')) throw duplicateEvent(streamId, ids[0]!);
      throw error;
    }
    // The database's own word on the expected revision: the head moves only from the revision we sealed on.
    if (positions === null) throw wrongExpectedRevision(streamId, expectedRevision, current ?? 'no_stream');
    await options.beforeCommit?.(streamId);
    return written(streamId, sealed, positions);
  };

  // The last head this store saw of each recently used stream, from its own reads and appends. The event
  // at a revision never changes, so when a writer appends at the revision it has just read (the command
  // path always does), the events are sealed on that head without asking the database, which then checks
  // and writes in one statement. Bounded: the oldest entries go first; a stream not here takes the
  // two-step path.
  const heads = new Map<string, StreamHead>();
  const maxHeads = 10_000;
  const rememberHead = (streamId: string, head: StreamHead) => {
    const known = heads.get(streamId);
    if (known !== undefined && known.revision >= head.revision) return;
    heads.delete(streamId);
    heads.set(streamId, head);
    if (heads.size > maxHeads) heads.delete(heads.keys().next().value!);
  };

  /** The append in one statement on a head sealed in advance; null when the two-step path must decide. */
  const appendAtHead = async (
    streamId: string,
    newEvents: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
    head: StreamHead | null,
  ): Promise<{ result: AppendResult; head: StreamHead | null } | null> => {
    const ids = newEvents.map((e) => e.eventId);
    const sealed = sealEvents(streamId, head, newEvents, clock().toISOString(), chain);
    let answer: { positions?: number[]; head?: StreamHead | null; stored?: OpenedAppend['stored'] };
    try {
      const [row] = await executor.statement<{ answer: typeof answer }>(
        `SELECT ${fn('append_at_head')}($1, hashtext($2), $3, hashtext($4), $5, $6, $7, $8, $9, $10::int[],
                $11::uuid[], $12::text[], $13::int[], $14::text[], $15::text[], $16::text[], $17::text[],
                $18::text[], $19::text[], $20::text[]) AS answer`,
        [
          lockSpaces.stream,
          `${schema}/${streamId}`,
          lockSpaces.position,
          schema,
          streamId,
          categoryOf(streamId),
          sealed[0]!.recordedAt,
          head?.revision ?? null,
          head?.hash ?? null,
          ...columnsOf(sealed),
        ],
      );
      answer = row!.answer;
    } catch (error) {
      if (uniqueViolation(error)?.includes('events_event_id_key')) throw duplicateEvent(streamId, ids[0]!);
      // Raised (so rolled back) when the head moved under the lock: the two-step path finds out what is there.
      if ((error as { code?: unknown }).code === '40001') return null;
      throw error;
    }
    if (answer.positions !== undefined) return written(streamId, sealed, answer.positions);
    const earlier = await earlierAppend(executor, streamId, newEvents, answer.stored ?? []);
    if (earlier !== null) return { result: earlier, head: null };
    const current = answer.head?.revision ?? null;
    // Same revision, another hash: not a head this store should have remembered; let the full path judge.
    if (current === (head?.revision ?? null)) return null;
    throw wrongExpectedRevision(streamId, expectedRevision, current ?? 'no_stream');
  };

  // Subscribers wait here between reads: woken by our own appends, by NOTIFY from other processes, and
  // by a poll timer, which also covers what no notification announces (a rollback that unblocks the
  // frontier, a lost LISTEN connection).
  interface Waiter {
    dirty: boolean;
    wake: (() => void) | null;
  }
  const waiters = new Set<Waiter>();
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const wakeAll = () => {
    for (const w of waiters) {
      if (w.wake === null) w.dirty = true;
      else w.wake();
    }
  };
  let listening: Promise<(() => Promise<void>) | null> | null = null;
  const ensureListening = () => {
    if (listening !== null || closed) return;
    const attempt: Promise<(() => Promise<void>) | null> = executor
      .listen(
        channel,
        (payload) => {
          if (payload === schema) wakeAll();
        },
        (error) => {
          if (listening === attempt) listening = null;
          onConnectionError(connectionErrorReport('listen', error));
          // Waiting subscribers read again (the loss may have swallowed a notification) and, waiting
          // once more, listen again.
          wakeAll();
        },
      )
      .then(
        (stop) => {
          // Appends made while nobody listened were announced to nobody: have a look now.
          wakeAll();
          return stop;
        },
        () => {
          if (listening === attempt) listening = null;
          return null;
        },
      );
    listening = attempt;
  };
  // Other processes learn of appends by NOTIFY, sent after COMMIT (a NOTIFY inside the transaction would
  // take PostgreSQL's commit-time notify lock and serialise every append). One in flight at a time, and
  // under a steady stream of appends at most one per `announceGapMs`: each costs a round trip and a
  // pooled connection that writers would otherwise use, while a subscriber elsewhere gains nothing from
  // being woken more often than it can read. A lost one only leaves the other processes to their poll timer.
  const announceGapMs = 10;
  let announcing: Promise<void> | null = null;
  let announceAgain = false;
  const announce = () => {
    if (announcing !== null) {
      announceAgain = true;
      return;
    }
    // NOTIFY makes its transaction take an id, so its commit would wait for a WAL flush like an append's;
    // a notification lost in a crash costs a poll interval at most, so this one commit does not wait.
    announcing = executor
      .query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)`, [channel, schema])
      .then(
        () => {},
        () => {},
      )
      .then(() =>
        announceAgain && !closed ? new Promise<void>((resolve) => setTimeout(resolve, announceGapMs)) : undefined,
      )
      .finally(() => {
        announcing = null;
        if (announceAgain && !closed) {
          announceAgain = false;
          announce();
        }
      });
  };

  const readAll = async (opts: ReadAllOptions = {}): Promise<ReadAllBatch> => {
    assertValidReadOptions({ limit: opts.limit });
    const after = fromCheckpoint(opts.after);
    const limit = opts.limit ?? 1000;
    const categories = opts.categories === undefined ? '' : 'AND category = ANY($3::text[])';
    // Only rows written by transactions older than every transaction still running: those are final,
    // and because ids and positions are taken in one order, no row can still appear below them.
    const rows = await executor.query<EventRow>(
      `SELECT ${eventColumns} FROM ${events}
        WHERE global_position > $1
          AND tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
          ${categories}
        ORDER BY global_position
        LIMIT $2`,
      opts.categories === undefined ? [after, limit] : [after, limit, opts.categories],
    );
    const positioned: PositionedEvent[] = rows.map((row) => {
      const event = toStoredEvent(row);
      return { ...event, checkpoint: toCheckpoint(event.globalPosition) };
    });
    const last = positioned[positioned.length - 1];
    return {
      events: positioned,
      checkpoint: last === undefined ? (opts.after ?? null) : last.checkpoint,
      isEnd: rows.length < limit,
    };
  };

  return {
    schema,

    async append(streamId, newEvents, { expectedRevision }) {
      // Before any lock or statement: a refused append costs the database nothing.
      assertValidAppend(streamId, newEvents, expectedRevision, options);
      const seen = new Set<string>();
      for (const [i, e] of newEvents.entries()) {
        if (!canonicalUuid.test(e.eventId)) {
          const message = `events[${i}].eventId: ${e.eventId} is not a lower-case UUID`;
          throw new BanshishiError(
            validationError(storeRules.invalidEventId, message, {
              streamId,
              eventId: e.eventId,
              fields: [{ path: `events[${i}].eventId`, message }],
            }),
          );
        }
        if (seen.has(e.eventId)) throw duplicateEvent(streamId, e.eventId);
        seen.add(e.eventId);
      }
      const known = expectedRevision === 'no_stream' ? null : heads.get(streamId);
      const oneStatement =
        newEvents.length > 0 &&
        options.beforeCommit === undefined &&
        (known === null || (known !== undefined && known.revision === expectedRevision));
      // A connection lost mid-append leaves it unknown whether it committed; the event ids make another
      // try safe either way (an exact retry of events that did commit returns the first result).
      const { result, head } = await againIfConnectionLost(
        'append',
        onConnectionError,
        async () =>
          (oneStatement ? await appendAtHead(streamId, newEvents, expectedRevision, known) : null) ??
          (await executor.transaction((q) => appendInTransaction(q, streamId, newEvents, expectedRevision))),
      );
      if (head !== null) {
        rememberHead(streamId, head);
        wakeAll();
        announce();
        await options.afterCommit?.(streamId);
      }
      return result;
    },

    async readStream(streamId, opts = {}) {
      assertValidReadOptions(opts);
      if (!isStorableStreamId(streamId)) return [];
      const limit = opts.limit ?? null;
      const rows =
        opts.direction === 'backwards'
          ? await executor.query<EventRow>(
              `SELECT ${eventColumns} FROM ${events}
                WHERE stream_id = $1 AND ($2::int IS NULL OR revision <= $2)
                ORDER BY revision DESC LIMIT $3`,
              [streamId, opts.fromRevision ?? null, limit],
            )
          : await executor.query<EventRow>(
              `SELECT ${eventColumns} FROM ${events}
                WHERE stream_id = $1 AND revision >= $2
                ORDER BY revision LIMIT $3`,
              [streamId, opts.fromRevision ?? 0, limit],
            );
      const read = rows.map(toStoredEvent);
      const newest = opts.direction === 'backwards' ? read[0] : read[read.length - 1];
      if (newest !== undefined) rememberHead(streamId, { revision: newest.revision, hash: newest.hash });
      return read;
    },

    async streamHead(streamId) {
      if (!isStorableStreamId(streamId)) return null;
      const head = await readHead(streamId);
      if (head !== null) rememberHead(streamId, head);
      return head;
    },

    readAll,

    async logHead() {
      const [row] = await executor.query<{ global_position: string | number; recorded_at: string }>(
        `SELECT global_position, recorded_at FROM ${events} ORDER BY global_position DESC LIMIT 1`,
      );
      return row === undefined
        ? null
        : { position: Number(row.global_position), recordedAt: new Date(row.recorded_at).toISOString() };
    },

    subscribe(opts) {
      const waiter: Waiter = { dirty: false, wake: null };
      let watchingStop = false;
      waiters.add(waiter);
      ensureListening();
      const waitForAppend = (stopping: StopSignal) =>
        new Promise<void>((resolve) => {
          if (!watchingStop) {
            watchingStop = true;
            stopping.onStop(() => waiter.wake?.());
          }
          if (waiter.dirty || stopping.stopped) {
            waiter.dirty = false;
            resolve();
            return;
          }
          ensureListening();
          const timer = setTimeout(() => waiter.wake?.(), pollIntervalMs);
          waiter.wake = () => {
            clearTimeout(timer);
            waiter.wake = null;
            waiter.dirty = false;
            resolve();
          };
        });
      // A read that loses its connection is read again, from the same checkpoint, for as long as the
      // subscription runs: through a server restart too, waiting longer each time (up to 5 s). The
      // batch was never delivered, so nothing is lost or delivered twice.
      let stopped = false;
      let wakeRetry: (() => void) | null = null;
      const readAllAgainIfLost = async (readOptions: ReadAllOptions): Promise<ReadAllBatch> => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await readAll(readOptions);
          } catch (error) {
            if (stopped || !isConnectionLost(error)) throw error;
            onConnectionError(connectionErrorReport('subscription', error));
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.min(5000, 50 * 2 ** Math.min(attempt, 7)));
              wakeRetry = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wakeRetry = null;
            if (stopped) throw error;
          }
        }
      };
      const running = runSubscription({ readAll: readAllAgainIfLost, options: opts, waitForAppend });
      const subscription: Subscription = {
        caughtUp: running.caughtUp,
        async stop() {
          stopped = true;
          (wakeRetry as (() => void) | null)?.();
          await running.stop();
          waiters.delete(waiter);
          subscriptions.delete(subscription);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await announcing;
      const stopListening = await listening;
      listening = null;
      await stopListening?.();
      await executor.close();
    },
  };
};
