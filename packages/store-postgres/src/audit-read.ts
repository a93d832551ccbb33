// The auditor's reads of the event store: the events and streams tables exactly as stored, not through
// the subscription frontier that every other reader goes through, so rows hidden from subscribers are
// still seen. A page at a time, all in one read-only snapshot, so a stream's events and its head agree.

import type { StoredEvent } from '@banshishi/core';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { EventRow } from './event-rows.js';
import { pgExecutor, pgliteExecutor, quoteIdent, type SqlExecutor, type SqlQuery } from './executor.js';

/**
 * Where a row stands against the read frontier (docs/event-stores.md): `final` rows are below it and
 * every reader sees them; `pending` ones were written by a transaction that ended after the oldest one
 * still running, and readers see them once that one ends; `future` ones carry a transaction id the
 * server has not assigned yet, which no real append can write, and every reader skips them until then.
 */
export type FrontierState = 'final' | 'pending' | 'future';

export interface AuditEvent extends StoredEvent {
  /** The category column as stored (readAll filters on it), which should be `categoryOf(streamId)`. */
  readonly category: string;
  /** The writing transaction recorded in the row (`xid8`, as decimal text). */
  readonly txId: string;
  readonly frontier: FrontierState;
}

export interface AuditHead {
  readonly revision: number;
  readonly hash: string;
  readonly category: string;
}

/** One stream as both tables know it: its events in revision order and the head the store recorded. */
export interface AuditStream {
  readonly streamId: string;
  /** Empty for a stream only the streams table knows. */
  readonly events: readonly AuditEvent[];
  /** Null for a stream only the events table knows. */
  readonly head: AuditHead | null;
}

/** The snapshot the audit read: the read frontier (xmin) and the first transaction id not yet assigned. */
export interface AuditSnapshot {
  readonly xmin: string;
  readonly xmax: string;
}

export interface AuditLog {
  /**
   * Visits every stream that the events table or the streams table knows, once, in one snapshot: first
   * the streams with events, in stream-id order, then the streams that have only a head.
   */
  eachStream(visit: (stream: AuditStream) => Promise<void> | void): Promise<AuditSnapshot>;
  close(): Promise<void>;
}

/** How much a log holds, for a progress bar's total: counted at the moment asked, outside any snapshot. */
export interface AuditCount {
  readonly events: number;
  /** The streams that `eachStream` visits: those of the heads table and those only the events table knows. */
  readonly streams: number;
}

/** The audit log of the SQL stores, which can also say how much it holds before it is read. */
export interface SqlAuditLog extends AuditLog {
  count(): Promise<AuditCount>;
  /** One stream as both tables know it, in a snapshot of its own: what `history` verifies first. */
  stream(streamId: string): Promise<AuditStream>;
}

export interface AuditLogOptions {
  /** The store's schema (default `event_store`). */
  readonly schema?: string;
  /**
   * Rows per query (default 5,000): what is held in memory besides the stream being visited, twice over,
   * as the next page is read while the current one is visited.
   */
  readonly pageSize?: number;
}

interface AuditRow extends EventRow {
  readonly category: string;
  readonly tx_id: string;
  readonly frontier: FrontierState;
  readonly head_revision: number | null;
  readonly head_hash: string | null;
  readonly head_category: string | null;
}

// Field by field rather than spreading toStoredEvent's result: a million events make a million objects
// fewer to collect. Same fields, same order as toStoredEvent.
const toAuditEvent = (row: AuditRow): AuditEvent => ({
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  occurredAt: row.occurred_at,
  actor: row.actor,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  streamId: row.stream_id,
  revision: row.revision,
  recordedAt: row.recorded_at,
  prevHash: row.prev_hash,
  hash: row.hash,
  globalPosition: Number(row.global_position),
  category: row.category,
  txId: row.tx_id,
  frontier: row.frontier,
});

const headOf = (row: {
  head_revision: number | null;
  head_hash: string | null;
  head_category: string | null;
}): AuditHead | null =>
  row.head_revision === null
    ? null
    : { revision: row.head_revision, hash: row.head_hash!, category: row.head_category! };

/** The audit reads over any executor; `getPostgresAuditLog` and `getPGliteAuditLog` are the usual doors. */
export const getSqlAuditLog = (executor: SqlExecutor, options: AuditLogOptions = {}): SqlAuditLog => {
  const schema = options.schema ?? 'event_store';
  const pageSize = options.pageSize ?? 5000;
  const events = `${quoteIdent(schema)}.events`;
  const streams = `${quoteIdent(schema)}.streams`;

  // Every column of an event row, its frontier state against the snapshot ($1 xmin, $2 xmax), and its head.
  const auditColumns = `e.global_position, e.stream_id, e.revision, e.event_id, e.type, e.schema_version, e.data,
              e.occurred_at, e.recorded_at, e.actor, e.correlation_id, e.causation_id, e.prev_hash, e.hash,
              e.category, e.tx_id::text AS tx_id,
              CASE WHEN e.tx_id < $1::xid8 THEN 'final' WHEN e.tx_id >= $2::xid8 THEN 'future' ELSE 'pending' END
                AS frontier,
              s.revision AS head_revision, s.hash AS head_hash, s.category AS head_category`;

  /** A read-only REPEATABLE READ transaction and its snapshot: it takes no transaction id, holds back no one. */
  const inSnapshot = <A>(read: (tx: SqlQuery, at: AuditSnapshot) => Promise<A>): Promise<A> =>
    executor.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [snapshot] = await tx.query<{ xmin: string; xmax: string }>(
        'SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax FROM pg_current_snapshot() s',
      );
      return read(tx, { xmin: snapshot!.xmin, xmax: snapshot!.xmax });
    });

  // Keyset pages over the (stream_id, revision) index, each row with its stream's head; the frontier
  // state is computed against the snapshot read once at the start, so every page judges alike. The heads
  // are joined from the page's first stream on: unbounded, the merge join read the streams index from
  // its start for every page, and a whole read took time quadratic in the log's size.
  const eventPage = (tx: SqlQuery, snapshot: AuditSnapshot, after: { streamId: string; revision: number } | null) =>
    tx.query<AuditRow>(
      `SELECT ${auditColumns}
         FROM ${events} e LEFT JOIN ${streams} s ON s.stream_id = e.stream_id
        ${after === null ? '' : 'AND s.stream_id >= $4::text WHERE (e.stream_id, e.revision) > ($4::text, $5::integer)'}
        ORDER BY e.stream_id, e.revision
        LIMIT $3`,
      after === null
        ? [snapshot.xmin, snapshot.xmax, pageSize]
        : [snapshot.xmin, snapshot.xmax, pageSize, after.streamId, after.revision],
    );

  const headOnlyPage = (tx: SqlQuery, after: string | null) =>
    tx.query<{ stream_id: string; head_revision: number; head_hash: string; head_category: string }>(
      `SELECT s.stream_id, s.revision AS head_revision, s.hash AS head_hash, s.category AS head_category
         FROM ${streams} s
        WHERE NOT EXISTS (SELECT 1 FROM ${events} e WHERE e.stream_id = s.stream_id)
          ${after === null ? '' : 'AND s.stream_id > $2::text'}
        ORDER BY s.stream_id
        LIMIT $1`,
      after === null ? [pageSize] : [pageSize, after],
    );

  return {
    eachStream: (visit) =>
      inSnapshot(async (tx, at) => {
        // The next page is asked for before the current one is visited, so the server reads it meanwhile.
        let next: Promise<AuditRow[]> | null = eventPage(tx, at, null);
        let current = null as { streamId: string; events: AuditEvent[]; head: AuditHead | null } | null;
        try {
          while (next !== null) {
            const rows: AuditRow[] = await next;
            const last = rows[rows.length - 1];
            next =
              rows.length < pageSize || last === undefined
                ? null
                : eventPage(tx, at, { streamId: last.stream_id, revision: last.revision });
            for (const row of rows) {
              if (current?.streamId !== row.stream_id) {
                if (current !== null) await visit(current);
                current = { streamId: row.stream_id, events: [], head: headOf(row) };
              }
              current.events.push(toAuditEvent(row));
            }
          }
        } finally {
          // A visit that throws leaves a page in flight: it must settle before the transaction ends.
          await next?.catch(() => {});
        }
        if (current !== null) await visit(current);

        let afterHead: string | null = null;
        for (;;) {
          const rows = await headOnlyPage(tx, afterHead);
          for (const row of rows) await visit({ streamId: row.stream_id, events: [], head: headOf(row) });
          afterHead = rows[rows.length - 1]?.stream_id ?? afterHead;
          if (rows.length < pageSize) break;
        }
        return at;
      }),
    stream: (streamId) =>
      inSnapshot(async (tx, at) => {
        const rows = await tx.query<AuditRow>(
          `SELECT ${auditColumns}
             FROM ${events} e LEFT JOIN ${streams} s ON s.stream_id = e.stream_id
            WHERE e.stream_id = $3::text
            ORDER BY e.revision`,
          [at.xmin, at.xmax, streamId],
        );
        if (rows.length > 0) return { streamId, events: rows.map(toAuditEvent), head: headOf(rows[0]!) };
        const [head] = await tx.query<{ head_revision: number; head_hash: string; head_category: string }>(
          `SELECT revision AS head_revision, hash AS head_hash, category AS head_category FROM ${streams} WHERE stream_id = $1`,
          [streamId],
        );
        return { streamId, events: [], head: head === undefined ? null : headOf(head) };
      }),
    count: async () => {
      const [row] = await executor.query<{ events: string; streams: string }>(
        `SELECT (SELECT count(*) FROM ${events}) AS events,
                (SELECT count(*) FROM ${streams}) +
                (SELECT count(DISTINCT e.stream_id) FROM ${events} e
                  WHERE NOT EXISTS (SELECT 1 FROM ${streams} s WHERE s.stream_id = e.stream_id)) AS streams`,
      );
      return { events: Number(row!.events), streams: Number(row!.streams) };
    },
    close: () => executor.close(),
  };
};

export type PostgresAuditLogOptions = AuditLogOptions &
  (
    | {
        /** A pool the caller owns: `close()` leaves it open. */
        readonly pool: pg.Pool;
      }
    | {
        /** The audit log makes its own pool (one connection is all it uses) and ends it on `close()`. */
        readonly connectionString: string;
      }
  );

export const getPostgresAuditLog = (options: PostgresAuditLogOptions): SqlAuditLog =>
  getSqlAuditLog(
    'pool' in options
      ? pgExecutor(options.pool)
      : pgExecutor(new pg.Pool({ connectionString: options.connectionString, max: 1 }), { ownsPool: true }),
    options,
  );

export type PGliteAuditLogOptions = AuditLogOptions &
  (
    | {
        /** An instance the caller owns: `close()` leaves it open. */
        readonly pglite: PGlite;
      }
    | {
        /** The folder of an embedded store. */
        readonly dataDir: string;
      }
  );

export const getPGliteAuditLog = async (options: PGliteAuditLogOptions): Promise<SqlAuditLog> =>
  getSqlAuditLog(
    'pglite' in options
      ? pgliteExecutor(options.pglite)
      : // Loaded only when asked for, as in getPGliteEventStore: the module is large.
        pgliteExecutor(await (await import('@electric-sql/pglite')).PGlite.create(options.dataDir), {
          ownsDatabase: true,
        }),
    options,
  );
