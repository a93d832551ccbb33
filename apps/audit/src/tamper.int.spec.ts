// `banshishi-audit verify` against someone with write access to the real PostgreSQL: each tampering on fresh
// demo data (the campaign as the deciders wrote it, personal fields sealed), and the exact stream and revision
// the auditor is told of, through the command line as an auditor runs it. Untouched data passes.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCorePersonalDataSealer, uuidFromName } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPostgresEventStore, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import { connectTestDatabase, databaseUrl, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);

let admin: Awaited<ReturnType<typeof connectTestDatabase>>;
const schemas: string[] = [];
let schema: string;
let keySchema: string;
const events = () => `"${schema}".events`;

interface Finding {
  readonly kind: string;
  readonly streamId: string;
  readonly revision: number;
}

const verify = async (): Promise<{ code: number; findings: Finding[]; events: number }> => {
  let stdout: string;
  let code = 0;
  try {
    ({ stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', 'verify', '--json'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema, KEY_STORE_SCHEMA: keySchema },
    }));
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (e.code !== 1) throw new Error(`verify could not run (${e.code}): ${e.stderr}`);
    code = 1;
    stdout = e.stdout ?? '';
  }
  const report = JSON.parse(stdout) as { findings: Finding[]; events: number };
  return {
    code,
    events: report.events,
    findings: report.findings.map(({ kind, streamId, revision }) => ({ kind, streamId, revision })),
  };
};

const one = async <T>(text: string, params: unknown[] = []): Promise<T> =>
  (await admin.query(text, params)).rows[0] as T;

/** A closed problem with a long history: the kind of item an operator would want to rewrite. */
const closedProblem = async (): Promise<{ stream_id: string; revisions: number }> =>
  one(
    `SELECT stream_id, count(*)::int AS revisions FROM ${events()}
      WHERE stream_id IN (SELECT stream_id FROM ${events()} WHERE type = 'ProblemClosed')
      GROUP BY stream_id HAVING count(*) >= 6 ORDER BY stream_id LIMIT 1`,
  );

beforeAll(async () => {
  admin = await connectTestDatabase({ max: 2 });
});
afterAll(async () => {
  for (const s of schemas) await dropSchema(admin, s);
  await admin.end();
});

beforeEach(async () => {
  schema = freshSchemaName('tamper');
  keySchema = `${schema}_keys`;
  schemas.push(schema, keySchema);
  const keys = await getPostgresSubjectKeyStore({ connectionString: databaseUrl, schema: keySchema });
  try {
    await bulkLoadDemo(generateDemoEvents({ seed: 5, scale: 600 }), {
      connectionString: databaseUrl,
      schema,
      personalData: createCorePersonalDataSealer({ keys }),
    });
  } finally {
    await keys.close();
  }
});

describe('verify on the real PostgreSQL, each tampering on fresh data', () => {
  it('passes the untouched demo log, every stream and step', async () => {
    const { code, findings, events: n } = await verify();
    expect({ code, findings }).toEqual({ code: 0, findings: [] });
    expect(n).toBeGreaterThan(500);
  });

  it('names a payload edited (a claim’s promised date moved)', async () => {
    const { stream_id } = await closedProblem();
    const { revision } = await one<{ revision: number }>(
      `UPDATE ${events()} SET data = jsonb_set(data, '{promisedBy}', '"2099-12-31"')
        WHERE stream_id = $1 AND type = 'ProblemClaimed' AND revision = (SELECT min(revision) FROM ${events()}
              WHERE stream_id = $1 AND type = 'ProblemClaimed') RETURNING revision`,
      [stream_id],
    );
    expect(await verify()).toMatchObject({
      code: 1,
      findings: [{ kind: 'hash_mismatch', streamId: stream_id, revision }],
    });
  });

  it('names an event deleted from the middle of a stream', async () => {
    const { stream_id } = await closedProblem();
    await admin.query(`DELETE FROM ${events()} WHERE stream_id = $1 AND revision = 2`, [stream_id]);
    expect((await verify()).findings).toEqual([{ kind: 'revision_gap', streamId: stream_id, revision: 2 }]);
  });

  it('names two events swapped', async () => {
    const { stream_id } = await closedProblem();
    // The unique (stream, revision) key is checked row by row, so the operator moves one out of the way first.
    for (const [from, to] of [
      [2, 1000],
      [3, 2],
      [1000, 3],
    ])
      await admin.query(`UPDATE ${events()} SET revision = $3 WHERE stream_id = $1 AND revision = $2`, [
        stream_id,
        from,
        to,
      ]);
    expect((await verify()).findings).toEqual([
      { kind: 'broken_link', streamId: stream_id, revision: 2 },
      { kind: 'position_order', streamId: stream_id, revision: 3 },
    ]);
  });

  it('names an actor changed (the claim given to another secretary)', async () => {
    const { stream_id } = await closedProblem();
    await admin.query(
      `UPDATE ${events()} SET actor = jsonb_set(actor, '{personId}', '"someone-else"') WHERE stream_id = $1 AND revision = 1`,
      [stream_id],
    );
    expect((await verify()).findings).toEqual([{ kind: 'hash_mismatch', streamId: stream_id, revision: 1 }]);
  });

  it('names a stream whose every event was deleted', async () => {
    const { stream_id } = await closedProblem();
    await admin.query(`DELETE FROM ${events()} WHERE stream_id = $1`, [stream_id]);
    expect((await verify()).findings).toEqual([{ kind: 'missing_events', streamId: stream_id, revision: 0 }]);
  });

  it('names rows hidden behind a transaction id the server has not assigned', async () => {
    const { stream_id, revisions } = await closedProblem();
    await admin.query(
      `UPDATE ${events()} SET tx_id = (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8
        WHERE stream_id = $1 AND revision >= $2`,
      [stream_id, revisions - 2],
    );
    expect((await verify()).findings).toEqual([
      { kind: 'future_transaction', streamId: stream_id, revision: revisions - 2 },
      { kind: 'future_transaction', streamId: stream_id, revision: revisions - 1 },
    ]);
  });

  it('names an impossible step forged with a correct hash and head (a progress note after closing)', async () => {
    const { stream_id, revisions } = await closedProblem();
    // The forger writes through the store itself, so the chain and the recorded head are exactly right.
    const store = await getPostgresEventStore({ connectionString: databaseUrl, schema, migrate: false });
    try {
      const last = (await store.readStream(stream_id, { direction: 'backwards', limit: 1 }))[0]!;
      const claim = (await store.readStream(stream_id)).find((e) => e.type === 'ProblemClaimed')!;
      await store.append(
        stream_id,
        [
          {
            eventId: uuidFromName(`forged/${stream_id}`),
            type: 'ProblemProgressNoted',
            schemaVersion: 1,
            data: { problemId: (last.data as { problemId: string }).problemId, note: '补记：已按期完成' },
            occurredAt: last.occurredAt,
            actor: claim.actor,
            correlationId: 'forged',
            causationId: 'forged',
          },
        ],
        { expectedRevision: revisions - 1 },
      );
    } finally {
      await store.close();
    }
    expect((await verify()).findings).toEqual([{ kind: 'impossible_step', streamId: stream_id, revision: revisions }]);
  });

  it('says it could not run, with exit status 2, when there is no log to read', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', 'verify'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: `${schema}_absent` },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('could not run');
  });
});
