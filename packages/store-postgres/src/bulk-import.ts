// Bulk loading of generated histories (the demo generator's batches, benchmark data) into the SQL event
// store, on PostgreSQL or PGlite: many streams per transaction and thousands of rows per INSERT, instead of
// one append per command. The result is what `append` would have stored — the chain sealed by core's
// `sealEvents`, the streams table holding each stream's head, positions taken under the store's position
// lock (see event-store.ts) — so readers, subscribers and later appends cannot tell a loaded stream from an
// appended one.
import {
  categoryOf,
  type NewEvent,
  type PersonalDataSealer,
  type StreamHead,
  wrongExpectedRevision,
} from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import pg from 'pg';
import { pgExecutor, quoteIdent, type SqlExecutor, type SqlQuery } from './executor.js';
import { lockSpaces, migrate } from './migrations/index.js';
import { nodeSha256Hex } from './node-hash.js';

/** Consecutive events of one stream; a later segment of the same stream continues where this one ends. */
export interface BulkSegment {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

export type BulkLoadOptions = {
  /** The store's schema (default `event_store`); migrated first unless `migrate` is false. */
  readonly schema?: string;
  readonly migrate?: boolean;
  /** Store clock, for `recordedAt` (default the system clock), read once per transaction. */
  readonly clock?: () => Date;
  /** Events per transaction (default 20,000): a failure rolls back at most this much. */
  readonly eventsPerTransaction?: number;
  /** Rows per INSERT statement (default 5,000). */
  readonly rowsPerStatement?: number;
  /** Stop after this many events, cutting the last segment: a prefix of a valid history is a valid history. */
  readonly limit?: number;
  /**
   * Seals residents' personal fields before the chain is sealed, as command handling does
   * (docs/privacy.md); `in_clear` loads them as given (benchmarks of the clear path, old exports).
   */
  readonly personalData: PersonalDataSealer | 'in_clear';
  /** Called after each committed transaction. */
  readonly onProgress?: (progress: { readonly events: number; readonly elapsedMs: number }) => void;
} & (
  | {
      /** Any store executor (pgExecutor, pgliteExecutor); the caller closes it. */
      readonly executor: SqlExecutor;
    }
  | {
      /** A pool the caller owns: left open. */
      readonly pool: pg.Pool;
    }
  | {
      /** The loader makes its own pool and ends it when done. */
      readonly connectionString: string;
    }
);

export interface BulkLoadResult {
  readonly events: number;
  readonly streams: number;
  readonly transactions: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

interface PreparedTransaction {
  /** Rows in log order, as one JSON document per statement: parsed by PostgreSQL, not escaped by us. */
  readonly statements: readonly string[];
  /** Each touched stream's head after the transaction, and the revision it must have before it. */
  readonly heads: readonly {
    readonly stream_id: string;
    readonly revision: number;
    readonly hash: string;
    readonly category: string;
    readonly previous: number | null;
  }[];
  readonly events: number;
}

/**
 * Writes every batch, in order, into the store's tables. Streams may already exist (their heads are read
 * from the streams table) but must not be written by anyone else during the load: a concurrent append is
 * detected — the head moved, or a revision is taken — and the transaction in hand is rolled back with a
 * `store.wrong_expected_revision` conflict, leaving what was committed before it intact. Ends with
 * ANALYZE of both tables: until autovacuum gets round to a freshly loaded table the planner has no
 * statistics for it, and every filtered read of the log (a category, a position range) sorts all of it.
 */
export const bulkLoadDemo = async (
  batches: Iterable<readonly BulkSegment[]> | AsyncIterable<readonly BulkSegment[]>,
  options: BulkLoadOptions,
): Promise<BulkLoadResult> => {
  const executor: SqlExecutor =
    'executor' in options
      ? options.executor
      : 'pool' in options
        ? pgExecutor(options.pool)
        : // Two connections: one writes a transaction while the other looks up heads for the next.
          pgExecutor(new pg.Pool({ connectionString: options.connectionString, max: 2 }), { ownsPool: true });
  const ownsExecutor = !('executor' in options);
  const schema = options.schema ?? 'event_store';
  const clock = options.clock ?? (() => new Date());
  const perTransaction = options.eventsPerTransaction ?? 20_000;
  const perStatement = options.rowsPerStatement ?? 5_000;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const events = `${quoteIdent(schema)}.events`;
  const events_ = events;
  const streams = `${quoteIdent(schema)}.streams`;
  const started = Date.now();

  try {
    if (options.migrate ?? true) await migrate(executor, { schema });
    // Heads of the streams this load has written; a stream not in here is looked up, unless the store
    // held no stream at all when the load began.
    const heads = new Map<string, StreamHead>();
    const storeWasEmpty = (await executor.query(`SELECT 1 FROM ${streams} LIMIT 1`)).length === 0;

    const lookUp = async (segments: readonly BulkSegment[]): Promise<void> => {
      if (storeWasEmpty) return;
      const unknown = [...new Set(segments.map((s) => s.streamId).filter((id) => !heads.has(id)))];
      if (unknown.length === 0) return;
      const rows = await executor.query<{ stream_id: string; revision: number; hash: string }>(
        `SELECT stream_id, revision, hash FROM ${streams} WHERE stream_id = ANY($1::text[])`,
        [unknown],
      );
      for (const row of rows) heads.set(row.stream_id, { revision: row.revision, hash: row.hash });
    };

    const prepare = (segments: readonly BulkSegment[]): PreparedTransaction => {
      const recordedAt = clock().toISOString();
      const before = new Map<string, number | null>();
      const rows: Record<string, unknown>[] = [];
      for (const segment of segments) {
        if (segment.events.length === 0) continue;
        const head = heads.get(segment.streamId) ?? null;
        if (!before.has(segment.streamId)) before.set(segment.streamId, head?.revision ?? null);
        const category = categoryOf(segment.streamId);
        const sealed = sealEvents(segment.streamId, head, segment.events, recordedAt, { sha256: nodeSha256Hex });
        for (const e of sealed)
          rows.push({
            stream_id: e.streamId,
            revision: e.revision,
            event_id: e.eventId,
            type: e.type,
            schema_version: e.schemaVersion,
            data: e.data,
            occurred_at: e.occurredAt,
            recorded_at: e.recordedAt,
            actor: e.actor,
            correlation_id: e.correlationId,
            causation_id: e.causationId,
            prev_hash: e.prevHash,
            hash: e.hash,
            category,
          });
        const last = sealed[sealed.length - 1]!;
        heads.set(segment.streamId, { revision: last.revision, hash: last.hash });
      }
      const statements: string[] = [];
      for (let i = 0; i < rows.length; i += perStatement)
        statements.push(JSON.stringify(rows.slice(i, i + perStatement)));
      return {
        statements,
        heads: [...before].map(([streamId, previous]) => {
          const head = heads.get(streamId)!;
          return {
            stream_id: streamId,
            revision: head.revision,
            hash: head.hash,
            category: categoryOf(streamId),
            previous,
          };
        }),
        events: rows.length,
      };
    };

    const write = (prepared: PreparedTransaction): Promise<void> =>
      executor.transaction(async (tx: SqlQuery) => {
        // Losing the last transactions in a crash loses them whole (rows and heads commit together), and
        // a load is rerun from its seed anyway: not waiting for each WAL flush is worth it here.
        await tx.query('SET LOCAL synchronous_commit TO off');
        // As in `append`: the INSERT is the transaction's first write, under the position lock, so the
        // order of transaction ids and the order of positions stay one order for `readAll`.
        await tx.query('SELECT pg_advisory_lock($1, hashtext($2))', [lockSpaces.position, schema]);
        for (const rows of prepared.statements)
          await tx.query(
            `INSERT INTO ${events} (stream_id, revision, event_id, type, schema_version, data, occurred_at, recorded_at,
                                    actor, correlation_id, causation_id, prev_hash, hash, category)
             SELECT e.stream_id, e.revision, e.event_id, e.type, e.schema_version, e.data, e.occurred_at,
                    e.recorded_at, e.actor, e.correlation_id, e.causation_id, e.prev_hash, e.hash, e.category
               FROM ROWS FROM (json_to_recordset($1::json) AS (stream_id text, revision integer, event_id uuid,
                    type text, schema_version integer, data jsonb, occurred_at text, recorded_at text, actor jsonb,
                    correlation_id text, causation_id text, prev_hash text, hash text, category text))
                    WITH ORDINALITY AS e(stream_id, revision, event_id, type, schema_version, data, occurred_at,
                                         recorded_at, actor, correlation_id, causation_id, prev_hash, hash,
                                         category, ord)
             ORDER BY e.ord`,
            [rows],
          );
        await tx.query('SELECT pg_advisory_unlock($1, hashtext($2))', [lockSpaces.position, schema]);
        const heads = JSON.stringify(prepared.heads);
        const moved = await tx.query<{ stream_id: string }>(
          `UPDATE ${streams} AS s SET revision = h.revision, hash = h.hash
             FROM json_to_recordset($1::json) AS h(stream_id text, revision integer, hash text, previous integer)
            WHERE s.stream_id = h.stream_id AND h.previous IS NOT NULL AND s.revision = h.previous
           RETURNING s.stream_id`,
          [heads],
        );
        const created = await tx.query<{ stream_id: string }>(
          `INSERT INTO ${streams} (stream_id, revision, hash, category)
           SELECT h.stream_id, h.revision, h.hash, h.category
             FROM json_to_recordset($1::json) AS h(stream_id text, revision integer, hash text, category text,
                                                   previous integer)
            WHERE h.previous IS NULL
           ON CONFLICT (stream_id) DO NOTHING
           RETURNING stream_id`,
          [heads],
        );
        if (moved.length + created.length !== prepared.heads.length) {
          const done = new Set([...moved, ...created].map((r) => r.stream_id));
          const stale = prepared.heads.find((h) => !done.has(h.stream_id))!;
          const [now] = await tx.query<{ revision: number }>(`SELECT revision FROM ${streams} WHERE stream_id = $1`, [
            stale.stream_id,
          ]);
          throw wrongExpectedRevision(stale.stream_id, stale.previous ?? 'no_stream', now?.revision ?? 'no_stream');
        }
      });

    let written = 0;
    let transactions = 0;
    const touched = new Set<string>();
    let pending: BulkSegment[] = [];
    let pendingEvents = 0;
    let inFlight: Promise<void> | null = null;

    // Sealing the next transaction (CPU, here) overlaps with writing the previous one (I/O, in PostgreSQL).
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const segments = pending;
      pending = [];
      pendingEvents = 0;
      await lookUp(segments);
      const prepared = prepare(segments);
      for (const s of segments) touched.add(s.streamId);
      if (inFlight !== null) await inFlight;
      inFlight = write(prepared).then(() => {
        written += prepared.events;
        transactions += 1;
        options.onProgress?.({ events: written, elapsedMs: Date.now() - started });
      });
      // A failed write is reported at the next flush or at the end; keep it from counting as unhandled.
      inFlight.catch(() => {});
    };

    // Each stream's data subject, named by its first event: kept per stream instead of the event.
    const sealer = options.personalData === 'in_clear' ? null : options.personalData;
    const subjects = new Map<string, string>();
    const sealedSegment = async (streamId: string, events: readonly NewEvent[]): Promise<BulkSegment> => {
      if (sealer === null) return { streamId, events };
      let subject = subjects.get(streamId);
      if (subject === undefined) {
        const stored = storeWasEmpty
          ? []
          : await executor.query<{ type: string; data: unknown }>(
              `SELECT type, data FROM ${events_} WHERE stream_id = $1 AND revision = 0`,
              [streamId],
            );
        subject = sealer.subjectOf(streamId, stored[0] ?? events[0]);
        subjects.set(streamId, subject);
      }
      return { streamId, events: await sealer.seal(streamId, events, { subject }) };
    };

    let taken = 0;
    for await (const batch of batches) {
      for (const segment of batch) {
        if (taken >= limit) break;
        const given = taken + segment.events.length > limit ? segment.events.slice(0, limit - taken) : segment.events;
        const events = sealer === null ? given : (await sealedSegment(segment.streamId, given)).events;
        pending.push(events === segment.events ? segment : { streamId: segment.streamId, events });
        pendingEvents += events.length;
        taken += events.length;
      }
      if (pendingEvents >= perTransaction) await flush();
      if (taken >= limit) break;
    }
    await flush();
    if (inFlight !== null) await inFlight;
    await executor.query(`ANALYZE ${events}`);
    await executor.query(`ANALYZE ${streams}`);

    const elapsedMs = Date.now() - started;
    return {
      events: written,
      streams: touched.size,
      transactions,
      elapsedMs,
      eventsPerSecond: Math.round((written / Math.max(1, elapsedMs)) * 1000),
    };
  } finally {
    if (ownsExecutor) await executor.close();
  }
};

/**
 * Seals generated batches for a store that holds none of their streams yet (a first start), each stream's
 * data subject named by its first event, as `append` and `bulkLoadDemo` name it. `ready` runs after each
 * batch is sealed and before it is handed on: a batched key store's flush, so that the keys are stored
 * before anything sealed with them. Loaded by `bulkLoadDemo` with `personalData: 'in_clear'`, the batches
 * are stored as they come.
 */
export async function* sealedForFirstLoad(
  batches: Iterable<readonly BulkSegment[]> | AsyncIterable<readonly BulkSegment[]>,
  sealer: PersonalDataSealer,
  ready: () => Promise<void>,
): AsyncGenerator<readonly BulkSegment[], void, undefined> {
  const subjects = new Map<string, string>();
  for await (const batch of batches) {
    const sealed: BulkSegment[] = [];
    for (const { streamId, events } of batch) {
      if (events.length === 0) continue;
      let subject = subjects.get(streamId);
      if (subject === undefined) {
        subject = sealer.subjectOf(streamId, events[0]);
        subjects.set(streamId, subject);
      }
      sealed.push({ streamId, events: await sealer.seal(streamId, events, { subject }) });
    }
    await ready();
    yield sealed;
  }
}
