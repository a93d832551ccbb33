import { getInMemoryEventStore } from '@banshishi/core';
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
    expect(clean.sort()).toEqual(['directory', 'evaluation', 'pairing', 'raisers', 'service', 'visits']);
    const log = JSON.stringify(lines);
    expect(log).not.toContain('13911112222');
    expect(log).not.toContain(edited!.title);
    // The rebuild repaired what it reported: the live tables say what the log says again.
    expect(
      (await checkReadModels({ store: history.store, readModels: rm, projections: projectionList })).differences,
    ).toBe(0);
  });

  it('a live build behind the log is caught up first, so only the hand edit is reported, not the events it lacked', async () => {
    const history = await demoHistory(13, 600);
    const store = getInMemoryEventStore();
    const half = Math.floor(history.events.length / 2);
    for (const e of history.events.slice(0, half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    rm = await pgliteReadModels();
    await catchUpTogether({ store, readModels: rm, projections: projectionList });
    for (const e of history.events.slice(half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    const live = (await liveBuild(rm, 'evaluation'))!;
    const claims = sql.id(live.schemaName, 'claims');
    const { rows } = await sql<{ stream_id: string; revision: number }>`
      select stream_id, revision from ${claims} order by stream_id, revision limit 1`.execute(rm.db);
    await sql`delete from ${claims} where stream_id = ${rows[0]!.stream_id} and revision = ${rows[0]!.revision}`.execute(
      rm.db,
    );

    const { lines, logger } = capture();
    await rebuildAll(
      {
        store,
        readModels: rm,
        projections: projectionList,
        batchSize: 500,
        logEveryBatches: 1000,
        logger,
        metrics: projectorMetrics(),
      },
      stopper(),
    );
    const caughtUp = lines.filter((l) => l.msg === 'caught the live build up to the rebuilt position before comparing');
    expect(caughtUp.map((l) => l.projection).sort()).toEqual(projectionList.map((p) => p.name).sort());
    for (const l of caughtUp) expect(l.livePosition).toBe(l.position);
    expect(lines.filter((l) => l.msg === 'replaced row')).toEqual([
      expect.objectContaining({
        table: 'claims',
        key: { stream_id: rows[0]!.stream_id, revision: rows[0]!.revision },
        kind: 'missing',
      }),
    ]);
    expect(lines.some((l) => 'liveBehindBy' in l)).toBe(false);
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
