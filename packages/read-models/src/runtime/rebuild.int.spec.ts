import { getInMemoryEventStore } from '@banshishi/core';
import { randomHistory } from '@banshishi/testkit';
import { dumpTables, postgresReadModels, type TestReadModels } from '@banshishi/testkit/read-models';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionList } from '../projections/index.js';
import { listPublicProblems } from '../queries/disclosure.js';
import { liveBuild } from './builds.js';
import { rebuildProjection, runProjection } from './runner.js';

describe('projections on the real PostgreSQL', () => {
  let rm: TestReadModels;
  beforeAll(async () => {
    rm = await postgresReadModels('rebuild_int');
  });
  afterAll(async () => {
    await rm?.dispose();
  });

  it('a rebuild while live: readers see the old build until the new one has caught up, then the new one', async () => {
    const history = await randomHistory(42, 400);
    const events = (await history.store.readAll({ limit: 1_000_000 })).events;
    const store = getInMemoryEventStore();
    const half = Math.floor(events.length / 2);
    for (const e of events.slice(0, half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    const live = projectionList.map((projection) =>
      runProjection({ store, readModels: rm, projection, batchSize: 50 }),
    );
    await Promise.all(live.map((p) => p.caughtUp));
    const before = await dumpTables(rm);
    const disclosure = projectionList.find((p) => p.name === 'disclosure')!;
    const oldBuild = (await liveBuild(rm, 'disclosure'))!.build;

    // Readers during the rebuild: every answer equals the old build's picture (no new events arrive yet).
    const seen: number[] = [];
    const rebuilt = rebuildProjection({
      store,
      readModels: rm,
      projection: disclosure,
      batchSize: 20,
      onBatch: async () => {
        const rows = await listPublicProblems(rm, { asOf: history.lastTime, limit: 10_000 });
        seen.push(rows.length);
      },
    });
    const result = await rebuilt;
    expect(result.previous).toBe(oldBuild);
    expect(new Set(seen)).toEqual(new Set([before.public_problems!.length]));
    expect(await dumpTables(rm)).toEqual(before);

    // Then the rest of the log arrives: the live projector follows the new build.
    for (const e of events.slice(half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    const lastDisclosure = events.filter((e) => /^(problem|wish)-/.test(e.streamId)).at(-1)!.globalPosition;
    await expect
      .poll(async () => (await liveBuild(rm, 'disclosure'))?.position, { timeout: 30_000 })
      .toBe(lastDisclosure);
    expect((await liveBuild(rm, 'disclosure'))!.build).toBe(result.build);
    await Promise.all(live.map((p) => p.stop()));
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_namespace where nspname = ${`${rm.schema}_disclosure_b${oldBuild}`}`.execute(
      rm.db,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
