// Reading every table of every projection as sorted JSON, to compare two builds row for row.
import { sql } from 'kysely';
import { projections } from '../projections/index.js';
import type { ReadModels } from '../runtime/builds.js';

export const dumpTables = async (rm: ReadModels): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const projection of Object.values(projections)) {
    for (const table of Object.keys(projection.tables)) {
      const { rows } = await sql<{ row: string }>`
        select to_jsonb(t)::text as row from ${sql.id(rm.schema, table)} t order by 1`.execute(rm.db);
      out[table] = rows.map((r) => JSON.parse(r.row));
    }
  }
  return out;
};

/** Every text value in every public table, for checks that no personal value leaked. */
export const publicText = async (rm: ReadModels): Promise<string> => JSON.stringify(await dumpTables(rm));
