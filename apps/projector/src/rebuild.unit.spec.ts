import {
  catchUpTogether,
  checkReadModels,
  disclosureProjection,
  liveBuild,
  projectionList,
  stopper,
} from '@banshishi/read-models';
import { demoHistory } from '@banshishi/testkit';
import { pgliteReadModels, type TestReadModels } from '@banshishi/testkit/read-models';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { projectorMetrics } from './metrics.js';
import { rebuildAll } from './projector.js';

type Line = Record<string, unknown> & { msg: string };

const capture = () => {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
};

describe('projector rebuild', () => {
  let rm: TestReadModels | undefined;
  afterEach(async () => {
    await rm?.dispose();
    rm = undefined;
  });

  it('says which hand-edited rows the rebuild replaced, per table and row by row, and that the rest matched', async () => {
    const history = await demoHistory(11, 600);
    rm = await pgliteReadModels();
    await catchUpTogether({ store: history.store, readModels: rm, projections: projectionList });
    const schema = (await liveBuild(rm, 'disclosure'))!.schemaName;
    const problems = sql.id(schema, 'public_problems');
    const { rows } = await sql<{ problem_id: string; evidence_count: number; title: string }>`
      select problem_id, evidence_count, title from ${problems} order by problem_id limit 2`.execute(rm.db);
    const [edited, deleted] = rows;
    await sql`update ${problems} set evidence_count = 99, title = '李四 13911112222'
      where problem_id = ${edited!.problem_id}`.execute(rm.db);
    await sql`delete from ${problems} where problem_id = ${deleted!.problem_id}`.execute(rm.db);

    const { lines, logger } = capture();
    const deps = {
      store: history.store,
      readModels: rm,
      projections: projectionList,
      batchSize: 500,
      logEveryBatches: 1000,
      logger,
      metrics: projectorMetrics(),
    };
    await rebuildAll(deps, stopper());

    const summary = lines.find((l) => l.msg === 'rebuild replaces rows that differ from the log');
    expect(summary).toMatchObject({
      projection: 'disclosure',
      differences: 2,
      tables: { public_problems: 2, public_wishes: 0, public_timeline: 0, showcase: 0 },
    });
    expect(lines.filter((l) => l.msg === 'replaced row')).toEqual([
      expect.objectContaining({
        projection: 'disclosure',
        table: 'public_problems',
        key: { problem_id: edited!.problem_id },
        kind: 'changed',
        // In the table's column order.
        columns: [
          { column: 'title', withheld: true },
          { column: 'evidence_count', live: 99, rebuilt: edited!.evidence_count },
        ],
      }),
      expect.objectContaining({ table: 'public_problems', key: { problem_id: deleted!.problem_id }, kind: 'missing' }),
    ]);
    const clean = lines.filter((l) => l.msg === 'rebuild replaces no differing rows').map((l) => l.projection);
    expect(clean.sort()).toEqual(['directory', 'evaluation', 'raisers']);
    const log = JSON.stringify(lines);
    expect(log).not.toContain('13911112222');
    expect(log).not.toContain(edited!.title);
    // The rebuild repaired what it reported: the live tables say what the log says again.
    expect(
      (await checkReadModels({ store: history.store, readModels: rm, projections: projectionList })).differences,
    ).toBe(0);
  });

  it('a rebuild for a new projection version says the comparison does not apply', async () => {
    const history = await demoHistory(12, 300);
    rm = await pgliteReadModels();
    await catchUpTogether({ store: history.store, readModels: rm, projections: [disclosureProjection] });
    const { lines, logger } = capture();
    const next = { ...disclosureProjection, version: disclosureProjection.version + 1 };
    await rebuildAll(
      {
        store: history.store,
        readModels: rm,
        projections: [next],
        batchSize: 500,
        logEveryBatches: 1000,
        logger,
        metrics: projectorMetrics(),
      },
      stopper(),
    );
    expect(lines.find((l) => l.msg.startsWith('rebuild of a new version'))).toMatchObject({
      projection: 'disclosure',
      liveVersion: disclosureProjection.version,
      version: next.version,
    });
    expect(lines.some((l) => l.msg === 'replaced row' || l.msg.startsWith('rebuild replaces'))).toBe(false);
  });
});
