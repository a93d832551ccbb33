// Batch-at-a-time row handling for projections: load the rows a batch touches in one query, fold the
// batch's events into them in memory, write the changed rows back as idempotent upserts of their full
// state. The result does not depend on how the log is cut into batches, and a few queries per batch
// instead of one per event is what lets a catch-up run at tens of thousands of events a second.
import type { Kysely, Transaction } from 'kysely';

type Loose = Record<string, Record<string, unknown>>;
const loose = (trx: Transaction<unknown>) => trx as unknown as Kysely<Loose>;

/** PostgreSQL takes at most 65,535 parameters per statement; stay well below. */
const chunkRows = <R extends object>(rows: readonly R[]): R[][] => {
  const first = rows[0];
  if (first === undefined) return [];
  const size = Math.max(1, Math.floor(30_000 / Math.max(1, Object.keys(first).length)));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

export interface RowCache<R extends object> {
  /** Loads every key not yet cached; absent rows are remembered as absent. */
  load(keys: Iterable<string>): Promise<void>;
  get(key: string): R | undefined;
  set(key: string, row: R): void;
  /** Upserts every row set since loading. */
  flush(): Promise<void>;
}

export const rowCache = <R extends object>(
  trx: Transaction<unknown>,
  table: string,
  keyColumn: keyof R & string,
): RowCache<R> => {
  const rows = new Map<string, R | undefined>();
  const dirty = new Set<string>();
  return {
    async load(keys) {
      const missing = [...new Set(keys)].filter((k) => !rows.has(k));
      for (const k of missing) rows.set(k, undefined);
      for (let i = 0; i < missing.length; i += 5000) {
        const found = await loose(trx)
          .selectFrom(table)
          .selectAll()
          .where(keyColumn, 'in', missing.slice(i, i + 5000) as never)
          .execute();
        for (const row of found) rows.set(String(row[keyColumn]), row as R);
      }
    },
    get: (key) => rows.get(key),
    set(key, row) {
      rows.set(key, row);
      dirty.add(key);
    },
    async flush() {
      const changed = [...dirty].map((k) => rows.get(k)).filter((r): r is R => r !== undefined);
      dirty.clear();
      await upsertRows(trx, table, [keyColumn], changed);
    },
  };
};

/** Inserts rows, or overwrites every non-key column of the row already there. */
export const upsertRows = async <R extends object>(
  trx: Transaction<unknown>,
  table: string,
  keyColumns: readonly string[],
  rows: readonly R[],
): Promise<void> => {
  for (const chunk of chunkRows(rows)) {
    const columns = Object.keys(chunk[0]!).filter((c) => !keyColumns.includes(c));
    await loose(trx)
      .insertInto(table)
      .values(chunk as unknown as Record<string, unknown>[])
      .onConflict((oc) => {
        const target = oc.columns(keyColumns as string[]);
        return columns.length === 0
          ? target.doNothing()
          : target.doUpdateSet(
              Object.fromEntries(
                columns.map((c) => [c, (eb: { ref: (r: string) => unknown }) => eb.ref(`excluded.${c}`)]),
              ) as never,
            );
      })
      .execute();
  }
};

/** Inserts rows that are facts about one event each (keyed by it): a second copy is ignored. */
export const insertOnce = async <R extends object>(
  trx: Transaction<unknown>,
  table: string,
  keyColumns: readonly string[],
  rows: readonly R[],
): Promise<void> => {
  for (const chunk of chunkRows(rows)) {
    await loose(trx)
      .insertInto(table)
      .values(chunk as unknown as Record<string, unknown>[])
      .onConflict((oc) => oc.columns(keyColumns as string[]).doNothing())
      .execute();
  }
};
