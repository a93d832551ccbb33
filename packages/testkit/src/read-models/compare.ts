// Reading every table of every projection as sorted JSON, to compare two builds row for row.
import { type ProjectionShape, projectionList, type ReadModels } from '@banshishi/read-models';
import { sql } from 'kysely';

/** Every row of every table of `projections` (by default the read models' own), sorted, keyed by table. */
export const dumpTables = async (
  rm: ReadModels,
  projections: readonly ProjectionShape[] = projectionList,
): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const projection of projections) {
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
