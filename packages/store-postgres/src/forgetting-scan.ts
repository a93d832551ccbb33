// Looking for byte sequences in every text, json, jsonb and bytea column of some schemas: what the
// forgetting property (and docs/privacy.md's own check) asks of the event store's and key store's tables.
import { quoteIdent, type SqlQuery } from './executor.js';

interface Column {
  readonly table_schema: string;
  readonly table_name: string;
  readonly column_name: string;
  readonly data_type: string;
}

const columnsOf = (db: SqlQuery, schemas: readonly string[]) =>
  db.query<Column & Record<string, unknown>>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = ANY($1::text[]) AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
      ORDER BY 1, 2, 3`,
    [schemas],
  );

const where = (c: Column) => `${c.table_schema}.${c.table_name}.${c.column_name}`;
const columnRef = (c: Column) => `${quoteIdent(c.table_schema)}.${quoteIdent(c.table_name)}`;

/** Each needle found as text in a text-like column, with where it was found. */
export const findTextsInSchemas = async (
  db: SqlQuery,
  schemas: readonly string[],
  needles: readonly string[],
): Promise<{ readonly needle: string; readonly where: string }[]> => {
  if (needles.length === 0) return [];
  const found: { needle: string; where: string }[] = [];
  for (const c of await columnsOf(db, schemas)) {
    if (c.data_type === 'bytea') continue;
    const rows = await db.query<{ needle: string }>(
      `SELECT n AS needle FROM unnest($1::text[]) AS n
        WHERE EXISTS (SELECT 1 FROM ${columnRef(c)} t WHERE strpos(t.${quoteIdent(c.column_name)}::text, n) > 0)`,
      [needles],
    );
    for (const r of rows) found.push({ needle: r.needle, where: where(c) });
  }
  return found;
};

/** The columns (any text-like one as its UTF-8 bytes, and bytea) holding any of the byte sequences. */
export const findBytesInSchemas = async (
  db: SqlQuery,
  schemas: readonly string[],
  needles: readonly Uint8Array[],
): Promise<string[]> => {
  if (needles.length === 0) return [];
  const found: string[] = [];
  const hex = needles.map((n) => Buffer.from(n).toString('hex'));
  for (const c of await columnsOf(db, schemas)) {
    const value =
      c.data_type === 'bytea'
        ? `t.${quoteIdent(c.column_name)}`
        : `convert_to(t.${quoteIdent(c.column_name)}::text, 'UTF8')`;
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS h
        WHERE EXISTS (SELECT 1 FROM ${columnRef(c)} t WHERE position(decode(h, 'hex') IN ${value}) > 0)`,
      [hex],
    );
    if ((rows[0]?.n ?? 0) > 0) found.push(where(c));
  }
  return found;
};
