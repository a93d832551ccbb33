import { demoHistory, personalSubstrings } from '@banshishi/testkit';
import { projectionSpecification } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels } from './open.js';
import { projectionList } from './projections/index.js';
import { nonPublicTables } from './projections/raisers.js';
import type { ReadModels } from './runtime/builds.js';

interface Column {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

/** Every column of every table and view readers can reach: the read-model schema and its build schemas. */
const publicColumns = async (rm: ReadModels): Promise<Column[]> => {
  const { rows } = await sql<Column>`
    select table_schema as schema, table_name as table, column_name as column
      from information_schema.columns
     where table_schema = ${rm.schema} or table_schema like ${`${rm.schema}\\_%`}
     order by 1, 2, 3`.execute(rm.db);
  return rows;
};

/** The distinct values of one column as text (jsonb as its JSON text, so nested strings are searched too). */
const columnValues = async (rm: ReadModels, c: Column): Promise<string[]> => {
  const { rows } = await sql<{ value: string }>`
    select distinct ${sql.ref(`${c.schema}.${c.table}.${c.column}`)}::text as value
      from ${sql.id(c.schema, c.table)}
     where ${sql.ref(`${c.schema}.${c.table}.${c.column}`)} is not null`.execute(rm.db);
  return rows.map((r) => r.value);
};

describe('personal data', () => {
  let pglite: PGlite;
  let schemas = 0;
  const { given } = projectionSpecification({
    readModels: () => openReadModels({ kind: 'pglite', pglite }, `read_models_${++schemas}`),
    projections: projectionList,
  });
  beforeAll(async () => {
    pglite = new PGlite();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('over a generated campaign, no column of any public table or view holds a resident name, phone, id number or address, even inside a longer text', async () => {
    const history = await demoHistory(20_250_301, 6000);
    await given(history.events, { batchSize: 500 }).then(async (rm) => {
      const { personal } = history.manifest;
      const forbidden = personalSubstrings(history.manifest);
      expect(personal.names.length).toBeGreaterThan(100);
      expect(personal.phones.length).toBeGreaterThan(100);
      expect(personal.addresses.length).toBeGreaterThan(50);
      expect(personal.freeText.length).toBeGreaterThan(20);
      // The premise: every one of them is in the log, so the projections had the chance to copy it.
      const log = JSON.stringify(history.events.map((e) => e.data));
      expect(forbidden.filter((value) => !log.includes(value))).toEqual([]);

      const columns = await publicColumns(rm);
      const tables = new Set(columns.map((c) => `${c.schema}.${c.table}`));
      // Every projection table is there twice: as a view in the read-model schema and in its build.
      for (const projection of projectionList) {
        for (const table of Object.keys(projection.tables))
          expect(tables.has(`${rm.schema}.${table}`), table).toBe(true);
      }
      let cells = 0;
      const leaks: string[] = [];
      for (const column of columns) {
        const values = await columnValues(rm, column);
        cells += values.length;
        const text = values.join('\n');
        for (const value of forbidden) {
          if (text.includes(value)) leaks.push(`${column.schema}.${column.table}.${column.column} contains ${value}`);
        }
        // Free texts (descriptions, comments) are not unique words, so look for them whole.
        const whole = new Set(values);
        for (const value of personal.freeText) {
          if (whole.has(value)) leaks.push(`${column.schema}.${column.table}.${column.column} holds ${value}`);
        }
      }
      expect(cells).toBeGreaterThan(1000);
      expect(leaks).toEqual([]);
      // The non-public tables were scanned too, with rows in them: they hold ids, never a personal value.
      for (const table of nonPublicTables) {
        expect(tables.has(`${rm.schema}.${table}`), table).toBe(true);
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(rm.schema, table)}`.execute(
          rm.db,
        );
        expect(rows[0]!.n, table).toBeGreaterThan(0);
      }
    });
  });
});
