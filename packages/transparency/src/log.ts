// The transparency log kept in SQL: the leaves in log order, every perfect subtree as it completes, and
// the right edge, so that appending a batch, computing a root and answering any proof never rereads the
// log or the whole tree. Proofs are computed by core's RFC 9162 functions over the stored subtrees: a first
// pass records which subtrees a proof needs (which depends on the sizes alone), one query fetches them, and
// a second pass computes the proof.
import { createHash } from 'node:crypto';
import {
  base64ToBytes,
  bytesToBase64,
  type CompletedSubtree,
  checkpointText,
  consistencyProof,
  eventLeafData,
  type Hash,
  inclusionProof,
  merkleFrontier,
  merkleHasher,
  type NoteSigner,
  type PositionedEvent,
  type Sha256,
  type SubtreeSource,
  signNote,
  treeRoot,
} from '@banshishi/core';
import { type Kysely, sql } from 'kysely';
import { migrateTransparency } from './schema.js';

export const defaultTransparencySchema = 'transparency';

/** SHA-256 by node:crypto: the same bytes as core's portable default, several times faster. */
export const nodeSha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

export interface LeafRecord {
  readonly index: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly eventHash: string;
  readonly leafHash: Uint8Array;
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  /** The signed note (c2sp.org/tlog-checkpoint), exactly as signed. */
  readonly signed: string;
  /** When it was made (the database's clock; not part of what is signed). */
  readonly madeAt: string;
}

export interface TransparencyLog {
  readonly schema: string;
  /** Leaves in the tree. */
  size(): Promise<number>;
  /** The store checkpoint just after the last leaf: where the checkpointer resumes. */
  cursor(): Promise<string | null>;
  /**
   * Appends events, in log order, as leaves, in one transaction with the new edge and cursor (the last
   * event's checkpoint). Events already in the tree are skipped, so a batch delivered twice is harmless.
   * Returns the new size.
   */
  append(events: readonly PositionedEvent[]): Promise<number>;
  /** MTH of the first `size` leaves (default: all). */
  root(size?: number): Promise<Uint8Array>;
  leaf(index: number): Promise<LeafRecord | null>;
  leafOfEvent(eventId: string): Promise<LeafRecord | null>;
  leafOfStream(streamId: string, revision: number): Promise<LeafRecord | null>;
  /** Leaves [from, to) in order; callers page. */
  leaves(from: number, to: number): Promise<LeafRecord[]>;
  inclusionProof(index: number, size: number): Promise<Uint8Array[]>;
  consistencyProof(first: number, second: number): Promise<Uint8Array[]>;
  /** Signs a checkpoint of the tree as it stands; if the latest checkpoint is of that size already, returns it. */
  sign(signer: NoteSigner, origin: string): Promise<StoredCheckpoint>;
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  checkpointAt(size: number): Promise<StoredCheckpoint | null>;
  /** Newest first; `before` a size to page back. */
  checkpoints(options?: { readonly before?: number; readonly limit?: number }): Promise<StoredCheckpoint[]>;
}

export interface TransparencyLogOptions<DB = unknown> {
  /** The read-model database (or any PostgreSQL/PGlite); the caller's, never closed here. */
  readonly db: Kysely<DB>;
  readonly schema?: string;
  readonly hash?: Sha256;
}

interface EdgeEntry {
  readonly level: number;
  readonly index: number;
  readonly hash: string;
}

const toEdge = (edge: readonly CompletedSubtree[]): EdgeEntry[] =>
  edge.map((s) => ({ level: s.level, index: s.index, hash: bytesToBase64(s.hash) }));
const fromEdge = (raw: unknown): CompletedSubtree[] =>
  (typeof raw === 'string' ? (JSON.parse(raw) as EdgeEntry[]) : (raw as EdgeEntry[])).map((e) => ({
    level: e.level,
    index: e.index,
    hash: base64ToBytes(e.hash)!,
  }));

const bytes = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(0);

type LeafRow = {
  leaf_index: string | number;
  event_id: string;
  stream_id: string;
  revision: number;
  global_position: string | number;
  event_hash: string;
  leaf_hash: Uint8Array;
};
const leafOf = (r: LeafRow): LeafRecord => ({
  index: Number(r.leaf_index),
  eventId: r.event_id,
  streamId: r.stream_id,
  revision: Number(r.revision),
  globalPosition: Number(r.global_position),
  eventHash: r.event_hash,
  leafHash: bytes(r.leaf_hash),
});

type CheckpointRow = { tree_size: string | number; root: Uint8Array; signed_note: string; made_at: unknown };
const checkpointOf = (r: CheckpointRow): StoredCheckpoint => ({
  size: Number(r.tree_size),
  root: bytes(r.root),
  signed: r.signed_note,
  madeAt: r.made_at instanceof Date ? r.made_at.toISOString() : new Date(String(r.made_at)).toISOString(),
});

const zero = new Uint8Array(32);
const key = (level: number, index: number) => `${level}:${index}`;

/** Rows per INSERT statement when a batch of leaves is written (kept well under the bind-parameter limit). */
const rowsPerStatement = 2000;

export const openTransparencyLog = async <DB>(options: TransparencyLogOptions<DB>): Promise<TransparencyLog> => {
  const schema = options.schema ?? defaultTransparencySchema;
  const db = options.db as unknown as Kysely<unknown>;
  await migrateTransparency(db, schema);
  const h = merkleHasher(options.hash ?? nodeSha256);
  const s = sql.id(schema);

  const readState = async (on: Kysely<unknown>, forUpdate: boolean) => {
    const rows = (
      await (forUpdate
        ? sql<{
            size: string;
            cursor: string | null;
            edge: unknown;
          }>`SELECT size, cursor, edge FROM ${s}.state FOR UPDATE`
        : sql<{ size: string; cursor: string | null; edge: unknown }>`SELECT size, cursor, edge FROM ${s}.state`
      ).execute(on)
    ).rows;
    const row = rows[0];
    if (row === undefined) throw new Error(`${schema}.state has no row: the transparency tables were altered`);
    return { size: Number(row.size), cursor: row.cursor, edge: fromEdge(row.edge) };
  };

  /** Runs `compute` over the stored subtrees: one pass to learn which it needs, one query, one pass to compute. */
  const withSubtrees = async <T>(compute: (source: SubtreeSource) => T): Promise<T> => {
    const wanted = new Map<string, [number, number]>();
    compute({
      perfect: (level, index) => {
        wanted.set(key(level, index), [level, index]);
        return zero;
      },
    });
    const found = new Map<string, Hash>();
    const leafIndexes = [...wanted.values()].filter(([l]) => l === 0).map(([, i]) => String(i));
    const nodeKeys = [...wanted.values()].filter(([l]) => l > 0);
    if (leafIndexes.length > 0)
      for (const r of (
        await sql<{ leaf_index: string; leaf_hash: Uint8Array }>`
          SELECT leaf_index, leaf_hash FROM ${s}.leaves WHERE leaf_index = ANY(${leafIndexes}::bigint[])`.execute(db)
      ).rows)
        found.set(key(0, Number(r.leaf_index)), bytes(r.leaf_hash));
    if (nodeKeys.length > 0)
      for (const r of (
        await sql<{ level: number; node_index: string; hash: Uint8Array }>`
          SELECT n.level, n.node_index, n.hash FROM ${s}.nodes n
          JOIN unnest(${nodeKeys.map(([l]) => l)}::int[], ${nodeKeys.map(([, i]) => String(i))}::bigint[]) AS k(level, node_index)
            ON n.level = k.level AND n.node_index = k.node_index`.execute(db)
      ).rows)
        found.set(key(Number(r.level), Number(r.node_index)), bytes(r.hash));
    return compute({
      perfect: (level, index) => {
        const hash = found.get(key(level, index));
        if (hash === undefined)
          throw new Error(`${schema}: the subtree at level ${level}, index ${index} is missing: the tree was altered`);
        return hash;
      },
    });
  };

  const checkSizes = async (...sizes: number[]) => {
    const { size } = await readState(db, false);
    for (const n of sizes)
      if (!Number.isSafeInteger(n) || n < 0 || n > size)
        throw new RangeError(`tree size ${n}: the tree holds ${size} leaves`);
    return size;
  };

  const latestCheckpoint = async (): Promise<StoredCheckpoint | null> => {
    const row = (
      await sql<CheckpointRow>`SELECT tree_size, root, signed_note, made_at FROM ${s}.checkpoints
                               ORDER BY tree_size DESC LIMIT 1`.execute(db)
    ).rows[0];
    return row === undefined ? null : checkpointOf(row);
  };

  return {
    schema,
    size: async () => (await readState(db, false)).size,
    cursor: async () => (await readState(db, false)).cursor,

    append: async (events) => {
      if (events.length === 0) return (await readState(db, false)).size;
      return db.transaction().execute(async (tx) => {
        const state = await readState(tx, true);
        const ids = events.map((e) => e.eventId);
        const already = new Set(
          (
            await sql<{
              event_id: string;
            }>`SELECT event_id FROM ${s}.leaves WHERE event_id = ANY(${ids}::text[])`.execute(tx)
          ).rows.map((r) => r.event_id),
        );
        const fresh = events.filter((e) => !already.has(e.eventId));
        if (fresh.length === 0) return state.size;
        const frontier = merkleFrontier(h, state.edge);
        const leaves: { index: number; e: PositionedEvent; hash: Hash }[] = [];
        const nodes: CompletedSubtree[] = [];
        for (const e of fresh) {
          const index = frontier.size;
          const completed = frontier.append(h.leaf(eventLeafData(e)));
          leaves.push({ index, e, hash: completed[0]!.hash });
          for (const c of completed) if (c.level > 0) nodes.push(c);
        }
        for (let at = 0; at < leaves.length; at += rowsPerStatement) {
          const part = leaves.slice(at, at + rowsPerStatement);
          await sql`INSERT INTO ${s}.leaves
                      (leaf_index, event_id, stream_id, revision, global_position, event_hash, leaf_hash)
                    SELECT * FROM unnest(
                      ${part.map((l) => String(l.index))}::bigint[], ${part.map((l) => l.e.eventId)}::text[],
                      ${part.map((l) => l.e.streamId)}::text[], ${part.map((l) => l.e.revision)}::int[],
                      ${part.map((l) => String(l.e.globalPosition))}::bigint[], ${part.map((l) => l.e.hash)}::text[],
                      ${part.map((l) => l.hash)}::bytea[])`.execute(tx);
        }
        for (let at = 0; at < nodes.length; at += rowsPerStatement) {
          const part = nodes.slice(at, at + rowsPerStatement);
          await sql`INSERT INTO ${s}.nodes (level, node_index, hash)
                    SELECT * FROM unnest(${part.map((n) => n.level)}::smallint[],
                      ${part.map((n) => String(n.index))}::bigint[], ${part.map((n) => n.hash)}::bytea[])`.execute(tx);
        }
        const last = events[events.length - 1]!;
        await sql`UPDATE ${s}.state SET size = ${String(frontier.size)}, cursor = ${last.checkpoint},
                    edge = ${JSON.stringify(toEdge(frontier.edge()))}::jsonb`.execute(tx);
        return frontier.size;
      });
    },

    root: async (size) => {
      const state = await readState(db, false);
      if (size === undefined || size === state.size) return merkleFrontier(h, state.edge).root();
      await checkSizes(size);
      return withSubtrees((source) => treeRoot(h, source, size));
    },

    leaf: async (index) => {
      const row = (await sql<LeafRow>`SELECT * FROM ${s}.leaves WHERE leaf_index = ${String(index)}`.execute(db))
        .rows[0];
      return row === undefined ? null : leafOf(row);
    },
    leafOfEvent: async (eventId) => {
      const row = (await sql<LeafRow>`SELECT * FROM ${s}.leaves WHERE event_id = ${eventId}`.execute(db)).rows[0];
      return row === undefined ? null : leafOf(row);
    },
    leafOfStream: async (streamId, revision) => {
      const row = (
        await sql<LeafRow>`SELECT * FROM ${s}.leaves WHERE stream_id = ${streamId} AND revision = ${revision}
                           ORDER BY leaf_index LIMIT 1`.execute(db)
      ).rows[0];
      return row === undefined ? null : leafOf(row);
    },
    leaves: async (from, to) =>
      (
        await sql<LeafRow>`SELECT * FROM ${s}.leaves WHERE leaf_index >= ${String(from)} AND leaf_index < ${String(to)}
                           ORDER BY leaf_index`.execute(db)
      ).rows.map(leafOf),

    inclusionProof: async (index, size) => {
      await checkSizes(size);
      return withSubtrees((source) => inclusionProof(h, source, index, size));
    },
    consistencyProof: async (first, second) => {
      await checkSizes(first, second);
      return withSubtrees((source) => consistencyProof(h, source, first, second));
    },

    sign: async (signer, origin) =>
      db.transaction().execute(async (tx) => {
        const state = await readState(tx, true);
        const latest = (
          await sql<CheckpointRow>`SELECT tree_size, root, signed_note, made_at FROM ${s}.checkpoints
                                   ORDER BY tree_size DESC LIMIT 1`.execute(tx)
        ).rows[0];
        if (latest !== undefined && Number(latest.tree_size) === state.size) return checkpointOf(latest);
        const root = merkleFrontier(h, state.edge).root();
        const signed = signNote(checkpointText({ origin, size: state.size, root }), [signer]);
        const row = (
          await sql<CheckpointRow>`INSERT INTO ${s}.checkpoints (tree_size, root, signed_note)
                                   VALUES (${String(state.size)}, ${root}, ${signed})
                                   RETURNING tree_size, root, signed_note, made_at`.execute(tx)
        ).rows[0]!;
        return checkpointOf(row);
      }),

    latestCheckpoint,
    checkpointAt: async (size) => {
      const row = (
        await sql<CheckpointRow>`SELECT tree_size, root, signed_note, made_at FROM ${s}.checkpoints
                                 WHERE tree_size = ${String(size)}`.execute(db)
      ).rows[0];
      return row === undefined ? null : checkpointOf(row);
    },
    checkpoints: async ({ before, limit = 50 } = {}) =>
      (
        await sql<CheckpointRow>`SELECT tree_size, root, signed_note, made_at FROM ${s}.checkpoints
                                 WHERE ${before === undefined ? sql`true` : sql`tree_size < ${String(before)}`}
                                 ORDER BY tree_size DESC LIMIT ${Math.max(1, Math.min(limit, 1000))}`.execute(db)
      ).rows.map(checkpointOf),
  };
};
