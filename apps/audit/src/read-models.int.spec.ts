import { randomBytes } from 'node:crypto';
import { catchUpTogether, liveBuild, pgPool, projectionList } from '@banshishi/read-models';
import { getPostgresEventStore } from '@banshishi/store-postgres';
import { demoHistory } from '@banshishi/testkit';
import { databaseUrl } from '@banshishi/testkit/postgres';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeVerifyReadModelsArgs, runVerifyReadModels } from './read-models.js';
import { decodeAuditConfig, type Opened, openSource } from './sources.js';

const opening = async (env: NodeJS.ProcessEnv): Promise<Opened> => {
  const config = decodeAuditConfig(env);
  if (E.isLeft(config)) throw new Error(config.left.join('; '));
  return openSource(config.right);
};

const readModelsOf = async (opened: Opened) => {
  const rm = await opened.readModels();
  if (rm === null) throw new Error('no read models opened');
  return rm;
};

describe('audit verify-read-models on the real PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const env = {
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: `rmcheck_events_${suffix}`,
    READ_MODELS_SCHEMA: `rmcheck_rm_${suffix}`,
  };
  const admin = pgPool({ connectionString: databaseUrl, max: 1 });
  const run = async (argv: string[], environment: NodeJS.ProcessEnv = env) => {
    const out: string[] = [];
    const err: string[] = [];
    const opened = await opening(environment);
    try {
      const status = await runVerifyReadModels(opened, argv, {
        out: (text) => out.push(...text.replace(/\n$/, '').split('\n')),
        err: (text) => err.push(text),
        progress: () => ({ update: () => {}, stop: () => {} }),
      });
      return { status, out, err: err.join('') };
    } finally {
      await opened.close();
    }
  };

  beforeAll(async () => {
    const history = await demoHistory(3, 800);
    const store = await getPostgresEventStore({ connectionString: databaseUrl, schema: env.EVENT_STORE_SCHEMA });
    for (const e of history.events) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    await store.close();
    const opened = await opening(env);
    await catchUpTogether({
      store: opened.store,
      readModels: await readModelsOf(opened),
      projections: projectionList,
    });
    await opened.close();
  });
  afterAll(async () => {
    const { rows } = await admin.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname = $1 or nspname = $2 or nspname like $3',
      [env.EVENT_STORE_SCHEMA, env.READ_MODELS_SCHEMA, `${env.READ_MODELS_SCHEMA}\\_%`],
    );
    for (const { nspname } of rows) await admin.query(`drop schema if exists "${nspname}" cascade`);
    await admin.end();
  });

  it('exits 0 on untouched read models, 1 with the differing row named after a hand edit, in lines and in JSON', async () => {
    const clean = await run([]);
    expect(clean.status).toBe(0);
    expect(clean.out.at(-1)).toBe('the read models say what the log says');
    expect(
      clean.out.filter((l) => / at position \d+, rebuilt from \d+ events: every table matches$/.test(l)),
    ).toHaveLength(projectionList.length);

    const opened = await opening(env);
    const schema = (await liveBuild(await readModelsOf(opened), 'evaluation'))!.schemaName;
    await opened.close();
    const { rows } = await admin.query<{ campaign_id: string; target_problems_solved: number }>(
      `select campaign_id, target_problems_solved from "${schema}".campaigns order by campaign_id limit 1`,
    );
    const campaign = rows[0]!;
    await admin.query(`update "${schema}".campaigns set target_problems_solved = 1 where campaign_id = $1`, [
      campaign.campaign_id,
    ]);

    const tampered = await run(['evaluation']);
    expect(tampered.status).toBe(1);
    expect(tampered.out).toContain(
      `  changed  campaigns  campaign_id=${campaign.campaign_id}  target_problems_solved: live 1, rebuilt ${campaign.target_problems_solved}`,
    );
    const json = await run(['--json', 'evaluation']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.out.join('\n'));
    expect(report.differences).toBe(1);
    expect(report.projections.map((p: { projection: string }) => p.projection)).toEqual(['evaluation']);
  });

  it('exits 2 when it cannot run, and refuses arguments it does not know', async () => {
    const absent = await run([], { ...env, EVENT_STORE_SCHEMA: `rmcheck_absent_${suffix}` });
    expect(absent.status).toBe(2);
    expect(absent.err).toMatch(/^banshishi-audit verify-read-models: could not run: /);
    const unknown = await run(['nonsense']);
    expect(unknown).toMatchObject({ status: 2, out: [] });
    expect(unknown.err).toContain(
      'no projection "nonsense": expected directory, disclosure, evaluation, pairing, raisers, visits, service',
    );
    expect(E.isLeft(decodeVerifyReadModelsArgs(['--repair']))).toBe(true);
  });
});
