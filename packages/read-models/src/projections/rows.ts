// Batch-at-a-time row handling for projections: load the rows a batch touches in one query, fold the
// batch's events into them in memory, write the changed rows back as idempotent upserts of their full
// state. The result does not depend on how the log is cut into batches, and a few statements per batch
// instead of one per event is what lets a catch-up run at tens of thousands of events a second.
//
// Rows travel as one JSON parameter per statement, turned into the table's own row type by
// `json_populate_recordset`: PostgreSQL converts every value with the column's input function, so a
// statement costs the same to parse and plan whatever the number of rows, and nothing here has to
// repeat the column types.
import { type RawBuilder, sql, type Transaction } from 'kysely';

/** Where a projection writes in this batch: its transaction and the schema of the build being written. */
export interface BuildTables {
  readonly trx: Transaction<unknown>;
  readonly schema: string;
}

/** Rows per statement: large enough to amortise a round trip, small enough to keep one JSON text modest. */
const rowsPerStatement = 5000;

const chunks = <R>(rows: readonly R[]): R[][] => {
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) out.push(rows.slice(i, i + rowsPerStatement));
  return out;
};

const rowsOf = (target: BuildTables, table: string, rows: readonly object[]) =>
  sql`select * from json_populate_recordset(null::${sql.id(target.schema, table)}, ${JSON.stringify(rows)}::json)`;

/** Every row of `table` whose `column` is one of `values`. */
export const selectWhereIn = async <R>(
  target: BuildTables,
  table: string,
  column: string,
  values: readonly string[],
): Promise<R[]> => {
  const out: R[] = [];
  for (const chunk of chunks(values)) {
    const { rows } = await sql<R>`
      select * from ${sql.id(target.schema, table)} where ${sql.id(column)} = any(${chunk}::text[])`.execute(
      target.trx,
    );
    out.push(...rows);
  }
  return out;
};

/** Inserts rows, settling a row whose key is already there as `onConflict` says for the statement's rows. */
const insertRows = async <R extends object>(
  target: BuildTables,
  table: string,
  keyColumns: readonly string[],
  rows: readonly R[],
  onConflict: (chunk: readonly R[]) => RawBuilder<unknown>,
): Promise<void> => {
  for (const chunk of chunks(rows)) {
    await sql`
      insert into ${sql.id(target.schema, table)} ${rowsOf(target, table, chunk)}
      on conflict (${sql.join(keyColumns.map((c) => sql.id(c)))}) ${onConflict(chunk)}`.execute(target.trx);
  }
};

/** Inserts rows, or overwrites every non-key column of the row already there. Keys must be unique. */
export const upsertRows = <R extends object>(
  target: BuildTables,
  table: string,
  keyColumns: readonly string[],
  rows: readonly R[],
): Promise<void> =>
  insertRows(target, table, keyColumns, rows, (chunk) => {
    const columns = Object.keys(chunk[0]!).filter((c) => !keyColumns.includes(c));
    return columns.length === 0
      ? sql`do nothing`
      : sql`do update set ${sql.join(columns.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`))}`;
  });

/** Inserts rows that are facts about one event each (keyed by it): a second copy is ignored. */
export const insertOnce = <R extends object>(
  target: BuildTables,
  table: string,
  keyColumns: readonly string[],
  rows: readonly R[],
): Promise<void> => insertRows(target, table, keyColumns, rows, () => sql`do nothing`);

export interface RowCache<R extends object> {
  /** Loads every key not yet cached; absent rows are remembered as absent. */
  load(keys: Iterable<string>): Promise<void>;
  get(key: string): R | undefined;
  set(key: string, row: R): void;
  /** Upserts every row set since loading. */
  flush(): Promise<void>;
}

/** Rows of one table keyed by one text column, loaded once per batch and written back once. */
export const rowCache = <R extends object>(
  target: BuildTables,
  table: string,
  keyColumn: keyof R & string,
): RowCache<R> => {
  const rows = new Map<string, R | undefined>();
  const dirty = new Set<string>();
  return {
    async load(keys) {
      const missing = [...new Set(keys)].filter((k) => !rows.has(k));
      for (const k of missing) rows.set(k, undefined);
      for (const row of await selectWhereIn<R>(target, table, keyColumn, missing)) {
        rows.set(String(row[keyColumn]), row);
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
      await upsertRows(target, table, [keyColumn], changed);
    },
  };
};
