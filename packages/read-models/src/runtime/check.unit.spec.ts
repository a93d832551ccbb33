import { demoHistory } from '@banshishi/testkit';
import { pgliteReadModels, type TestReadModels } from '@banshishi/testkit/read-models';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { projectionList, projections } from '../projections/index.js';
import { nonPublicTables } from '../projections/raisers.js';
import { ensureProjection, liveBuild } from './builds.js';
import { catchUpTogether } from './catch-up.js';
import { checkReadModels, readModelCheckLines, shownColumns } from './check.js';

describe('verify-read-models on PGlite', () => {
  let rm: TestReadModels | undefined;
  afterEach(async () => {
    await rm?.dispose();
    rm = undefined;
  });

  it('every table of every projection has a primary key and a decision on which columns a difference may show', async () => {
    rm = await pgliteReadModels();
    for (const projection of projectionList) {
      const build = await ensureProjection(rm, projection);
      for (const table of Object.keys(projection.tables)) {
        const { rows } = await sql<{ name: string; key: boolean }>`
          select a.attname as name, coalesce(a.attnum = any(i.indkey), false) as key
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
          left join pg_index i on i.indrelid = c.oid and i.indisprimary
          where n.nspname = ${build.schemaName} and c.relname = ${table} and a.attnum > 0 and not a.attisdropped`.execute(
          rm.db,
        );
        const columns = rows.map((r) => r.name);
        expect(shownColumns[table], table).toBeDefined();
        // A listed column that does not exist would be a decision about nothing (a typo, a renamed column).
        for (const shown of shownColumns[table]!) expect(columns, `${table}.${shown}`).toContain(shown);
        // Keys are always printed, so they must be ids the auditor may see.
        for (const key of rows.filter((r) => r.key)) expect(shownColumns[table], table).toContain(key.name);
        expect(rows.some((r) => r.key)).toBe(true);
      }
    }
    for (const table of nonPublicTables) expect(shownColumns[table]).not.toContain('raiser_id');
  });

  it('a hand-edited, a deleted and a forged wish are named in a PGlite read model', async () => {
    const history = await demoHistory(7, 400);
    rm = await pgliteReadModels();
    await catchUpTogether({ store: history.store, readModels: rm, projections: projectionList });
    const clean = await checkReadModels({ store: history.store, readModels: rm, projections: projectionList });
    expect(clean.differences).toBe(0);

    const schema = (await liveBuild(rm, 'disclosure'))!.schemaName;
    const t = sql.id(schema, 'public_wishes');
    const { rows } = await sql<{ wish_id: string; revision: number; description: string | null }>`
      select wish_id, revision, description from ${t} order by wish_id limit 3`.execute(rm.db);
    const [a, b, c] = rows;
    await sql`update ${t} set revision = revision + 100, description = '住在幸福路 8 号' where wish_id = ${a!.wish_id}`.execute(
      rm.db,
    );
    await sql`delete from ${t} where wish_id = ${b!.wish_id}`.execute(rm.db);
    await sql`
      insert into ${t} select * from jsonb_populate_record(null::${t},
        (select to_jsonb(w) || '{"wish_id": "wish-forged"}'::jsonb from ${t} w where wish_id = ${c!.wish_id}))`.execute(
      rm.db,
    );

    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: [projections.disclosure],
    });
    const lines = readModelCheckLines(report);
    expect(lines.filter((l) => /^ {2}(changed|missing|extra) /.test(l))).toEqual([
      `  changed  public_wishes  wish_id=${a!.wish_id}  description differs; revision: live ${a!.revision + 100}, rebuilt ${a!.revision}`,
      `  missing  public_wishes  wish_id=${b!.wish_id}`,
      `  extra    public_wishes  wish_id=wish-forged`,
    ]);
    expect(report.differences).toBe(3);
    expect(lines.join('\n')).not.toContain('幸福路');
    if (a!.description !== null) expect(lines.join('\n')).not.toContain(a!.description);
    expect(lines.at(-1)).toBe('3 difference(s): the read models do not say what the log says');
  });
});
