// Lost connections (issue 7): the read-model pool must outlive PostgreSQL closing its connections, at
// rest or inside a transaction. Connections carry an application name of this spec's own, so only they
// are cut, never another spec's or anybody else's.
import { randomBytes } from 'node:crypto';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenReadModels, openReadModels } from '../open.js';

const applicationName = `spec_rm_${randomBytes(4).toString('hex')}`;
const schema = `rm_connections_${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let admin: pg.Pool;
let rm: OpenReadModels;
const reports: { code: string | null }[] = [];

const terminate = async () =>
  (
    await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = $1 AND pid <> pg_backend_pid()) AS cut`,
      [applicationName],
    )
  ).rows[0]!.n;

beforeAll(async () => {
  admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  rm = await openReadModels(
    {
      kind: 'postgres',
      connectionString: url.toString(),
      max: 4,
      onConnectionError: (report) => reports.push({ code: report.code }),
    },
    schema,
  );
  await sql`create table ${sql.id(schema, 'tally')} (n int primary key)`.execute(rm.db);
});
afterAll(async () => {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(rm.db);
  await rm.close();
  await admin.end();
});

const count = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'tally')}`.execute(rm.db)).rows[0]!.n;

describe('read-model database when connections drop', () => {
  it('a read-model pool survives its idle pooled connections being terminated', async () => {
    await Promise.all([1, 2, 3, 4].map(() => sql`select pg_sleep(0.05)`.execute(rm.db)));
    expect(await terminate()).toBeGreaterThan(0);
    await sleep(300);
    expect(await count()).toBe(0);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]!.code).toBe('57P01');
  });

  it('a read-model transaction cut mid-flight fails without ending the process, and the next one commits', async () => {
    const cut = rm.db.transaction().execute(async (trx) => {
      await sql`insert into ${sql.id(schema, 'tally')} values (1)`.execute(trx);
      expect(await terminate()).toBeGreaterThan(0);
      await sleep(200);
      await sql`insert into ${sql.id(schema, 'tally')} values (2)`.execute(trx);
    });
    await expect(cut).rejects.toThrow();
    await sleep(100);
    await rm.db.transaction().execute(async (trx) => {
      await sql`insert into ${sql.id(schema, 'tally')} values (3)`.execute(trx);
    });
    expect(await count()).toBe(1);
  });
});
