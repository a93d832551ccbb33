// Lost connections (issue 7): the projector, run as operators run it, has every one of its PostgreSQL
// connections cut (the event pool, the LISTEN session, the read-model pool) while it catches up, while it
// rests at the head and while events arrive, and carries on: it exits 0 on SIGTERM, and its tables equal
// a clean rebuild. Its connections carry an application name of this spec's own: only they are cut.
import { randomBytes } from 'node:crypto';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { liveBuild, openReadModels, projectionList, rebuildProjection } from '@banshishi/read-models';
import { type BulkSegment, bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { dumpTables } from '@banshishi/testkit/read-models';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startProjectorProcess } from './test-support/projector-process.js';

const suffix = randomBytes(3).toString('hex');
const applicationName = `spec_projector_${suffix}`;
const eventSchema = `conn_events_${suffix}`;
const projectedSchema = `conn_rm_${suffix}`;
const freshSchema = `conn_fresh_${suffix}`;
const backlogEvents = 15_000;
const liveEvents = 1_500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startProjector = (output: string[]) => {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return startProjectorProcess(
    {
      DATABASE_URL: url.toString(),
      EVENT_STORE_SCHEMA: eventSchema,
      READ_MODELS_SCHEMA: projectedSchema,
      BATCH_SIZE: '500',
    },
    output,
  );
};

describe('projector on the real PostgreSQL when connections drop', () => {
  let pool: pg.Pool;
  let live: BulkSegment[];

  const terminate = async () =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = $1 AND pid <> pg_backend_pid()) AS cut`,
        [applicationName],
      )
    ).rows[0]!.n;

  /** Each projection's head in the log now, by the categories it reads. */
  const heads = async () => {
    const { rows } = await pool.query<{ category: string; last: string }>(
      `select category, max(global_position) as last from "${eventSchema}".events group by category`,
    );
    const lastOf = new Map(rows.map((r) => [r.category, Number(r.last)]));
    return new Map(projectionList.map((p) => [p.name, Math.max(...p.categories.map((c) => lastOf.get(c) ?? 0))]));
  };
  const positions = async (): Promise<Map<string, number>> => {
    const { rows } = await pool
      .query<{ projection: string; position: string }>(
        `select b.projection, b.position from "${projectedSchema}".projection_builds b
           join "${projectedSchema}".projection_versions v on v.projection = b.projection and v.live_build = b.build`,
      )
      .catch(() => ({ rows: [] as { projection: string; position: string }[] }));
    return new Map(rows.map((r) => [r.projection, Number(r.position)]));
  };
  const atHead = async () => {
    const [h, p] = [await heads(), await positions()];
    return projectionList.every((x) => p.get(x.name) === h.get(x.name));
  };

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const segments: BulkSegment[] = [];
    let count = 0;
    for (const batch of generateDemoEvents({ seed: 7, scale: 25_000 })) {
      for (const segment of batch) {
        segments.push(segment);
        count += segment.events.length;
      }
      if (count >= backlogEvents + liveEvents) break;
    }
    let cut = 0;
    for (let backlog = 0; backlog < backlogEvents; cut++) backlog += segments[cut]!.events.length;
    cut -= 1;
    live = segments.slice(cut + 1);
    await bulkLoadDemo([segments.slice(0, cut + 1)], {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool,
      schema: eventSchema,
    });
  });

  afterAll(async () => {
    const { rows } = await pool.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname in ($1, $2, $3) or nspname like $4 or nspname like $5`,
      [eventSchema, projectedSchema, freshSchema, `${projectedSchema}\\_%`, `${freshSchema}\\_%`],
    );
    for (const { nspname } of rows) await pool.query(`drop schema if exists "${nspname}" cascade`);
    await pool.end();
  });

  it('a projector whose every connection is terminated while catching up, idle and following appends carries on and ends equal to a clean rebuild', async () => {
    const output: string[] = [];
    const child = startProjector(output);
    const alive = () => expect(child.exitCode, output.join('')).toBeNull();

    // Busy: cut everything while the catch-up is in full swing.
    while ([...(await positions()).values()].every((p) => p === 0)) {
      alive();
      await sleep(50);
    }
    let cutWhileBusy = 0;
    for (let cut = 0; cut < 3; cut++) {
      cutWhileBusy += await terminate();
      await sleep(150);
      alive();
    }
    expect(cutWhileBusy).toBeGreaterThan(0);
    expect(await atHead(), 'the catch-up was over before the cuts').toBe(false);
    while (!(await atHead())) {
      alive();
      await sleep(100);
    }

    // Idle: at the head, subscriptions resting on LISTEN and the pools' connections at rest.
    await sleep(500);
    expect(await terminate()).toBeGreaterThan(0);
    await sleep(500);
    alive();

    // Following: events arrive while everything is cut again.
    const store = await getPostgresEventStore({ pool, schema: eventSchema, migrate: false });
    const appending = (async () => {
      for (const segment of live) await store.append(segment.streamId, segment.events, { expectedRevision: 'any' });
    })();
    let cutWhileFollowing = 0;
    for (let cut = 0; cut < 4; cut++) {
      await sleep(200);
      cutWhileFollowing += await terminate();
    }
    await appending;
    expect(cutWhileFollowing).toBeGreaterThan(0);
    const deadline = Date.now() + 60_000;
    while (!(await atHead()) && Date.now() < deadline) {
      alive();
      await sleep(200);
    }
    expect(await atHead()).toBe(true);

    child.kill('SIGTERM');
    expect(await exited(child), output.join('')).toEqual({ code: 0, signal: null });
    const log = output.join('');
    expect(log).toContain('lost a connection to PostgreSQL');
    // What is logged of a lost connection is its code and message: no connection parameters, no rows.
    expect(log).not.toMatch(/connectionParameters|"client"|"password"/);

    const fresh = await openReadModels({ kind: 'pool', pool }, freshSchema);
    const projected = await openReadModels({ kind: 'pool', pool }, projectedSchema);
    const h = await heads();
    for (const projection of projectionList) {
      await rebuildProjection({ store, readModels: fresh, projection, batchSize: 5000 });
      expect((await liveBuild(projected, projection.name))!.position).toBe(h.get(projection.name));
    }
    const expected = await dumpTables(fresh);
    const actual = await dumpTables(projected);
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    await store.close();
  });
});
