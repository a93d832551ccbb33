import { randomBytes } from 'node:crypto';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { liveBuild, openReadModels, projectionList, rebuildProjection } from '@banshishi/read-models';
import { bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { createRandom } from '@banshishi/testkit';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { dumpTables } from '@banshishi/testkit/read-models';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startProjectorProcess } from './test-support/projector-process.js';

const suffix = randomBytes(3).toString('hex');
const eventSchema = `crash_events_${suffix}`;
const crashedSchema = `crash_rm_${suffix}`;
const freshSchema = `crash_fresh_${suffix}`;
const totalEvents = 100_000;
const kills = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startProjector = (output: string[]) => {
  return startProjectorProcess(
    {
      DATABASE_URL: databaseUrl,
      EVENT_STORE_SCHEMA: eventSchema,
      READ_MODELS_SCHEMA: crashedSchema,
      // Small batches: many commits, so a kill lands between some and inside others.
      BATCH_SIZE: '1000',
    },
    output,
  );
};

describe('projector crash on the real PostgreSQL', () => {
  let pool: pg.Pool;
  let heads: Map<string, number>;
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 1_000_000_000));

  /** Each projection's live build position, or 0 before its first batch. */
  const positions = async (): Promise<Map<string, number>> => {
    const { rows } = await pool
      .query<{ projection: string; position: string }>(
        `select b.projection, b.position from "${crashedSchema}".projection_builds b
           join "${crashedSchema}".projection_versions v on v.projection = b.projection and v.live_build = b.build`,
      )
      .catch(() => ({ rows: [] as { projection: string; position: string }[] }));
    return new Map(rows.map((r) => [r.projection, Number(r.position)]));
  };
  const progress = (p: Map<string, number>) => [...p.values()].reduce((a, b) => a + b, 0);
  const atHead = (p: Map<string, number>) => projectionList.every((x) => p.get(x.name) === heads.get(x.name));

  beforeAll(async () => {
    console.log(`crash test seed ${seed} (CRASH_SEED=${seed} replays it)`);
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const log = await bulkLoadDemo(generateDemoEvents({ seed, scale: 125_000 }), {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool,
      schema: eventSchema,
      limit: totalEvents,
    });
    expect(log.events).toBe(totalEvents);
    const { rows } = await pool.query<{ category: string; last: string }>(
      `select category, max(global_position) as last from "${eventSchema}".events group by category`,
    );
    const lastOf = new Map(rows.map((r) => [r.category, Number(r.last)]));
    heads = new Map(
      projectionList.map((p) => [p.name, Math.max(...p.categories.map((c) => lastOf.get(c) ?? 0))] as const),
    );
  });

  afterAll(async () => {
    const { rows } = await pool.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname in ($1, $2, $3) or nspname like $4 or nspname like $5`,
      [eventSchema, crashedSchema, freshSchema, `${crashedSchema}\\_%`, `${freshSchema}\\_%`],
    );
    for (const { nspname } of rows) await pool.query(`drop schema if exists "${nspname}" cascade`);
    await pool.end();
  });

  it('killed with SIGKILL five times while catching up on 100,000 events, it ends with every table equal to a fresh rebuild', async () => {
    const r = createRandom(seed);
    const output: string[] = [];
    for (let kill = 1; kill <= kills; kill++) {
      const before = progress(await positions());
      const child = startProjector(output);
      // Wait until this run has committed something, then let it run a random while longer.
      while (progress(await positions()) <= before && child.exitCode === null) await sleep(50);
      await sleep(r.int(0, 1499));
      const reached = await positions();
      child.kill('SIGKILL');
      expect(await exited(child), output.join('')).toEqual({ code: null, signal: 'SIGKILL' });
      const after = await positions();
      console.log(
        `kill ${kill}: ${JSON.stringify(Object.fromEntries(after))} of ${JSON.stringify(Object.fromEntries(heads))}`,
      );
      // Killed mid catch-up, not after it: some projection was still behind the head.
      expect(atHead(reached), `kill ${kill} came after the catch-up`).toBe(false);
    }

    const child = startProjector(output);
    while (!atHead(await positions())) {
      expect(child.exitCode, output.join('')).toBeNull();
      await sleep(200);
    }
    child.kill('SIGTERM');
    expect(await exited(child), output.join('')).toEqual({ code: 0, signal: null });

    const store = await getPostgresEventStore({ pool, schema: eventSchema });
    const crashed = await openReadModels({ kind: 'pool', pool }, crashedSchema);
    const fresh = await openReadModels({ kind: 'pool', pool }, freshSchema);
    for (const projection of projectionList) {
      await rebuildProjection({ store, readModels: fresh, projection, batchSize: 5000 });
      expect((await liveBuild(crashed, projection.name))!.position).toBe(heads.get(projection.name));
    }
    const expected = await dumpTables(fresh);
    const actual = await dumpTables(crashed);
    expect(expected.public_timeline!.length).toBeGreaterThan(50_000);
    for (const table of Object.keys(expected)) {
      expect(actual[table]!.length, table).toBe(expected[table]!.length);
      expect(actual[table], table).toEqual(expected[table]);
    }
    await store.close();
  });
});
