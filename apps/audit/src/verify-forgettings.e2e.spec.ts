// `pnpm verify-events` as an auditor runs it, on an embedded data folder: a sealed log with one lawful
// forgetting verifies, and a key destroyed behind the log's back (someone with access to the key store,
// shredding a person's data without a ground) is reported and makes the exit status 1.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCorePersonalDataSealer, directoryViewOf, forgetSubject, readWholeLogEvents } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPGliteEventStore, getPGliteSubjectKeyStore, pgliteExecutor } from '@banshishi/store-postgres';
import { PGlite } from '@electric-sql/pglite';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);
let dataDir: string;

const verify = async () => {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', 'verify'], {
      cwd: root,
      env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: undefined as unknown as string },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'banshishi-audit-'));
  const pglite = await PGlite.create(dataDir);
  const store = await getPGliteEventStore({ pglite });
  const keys = await getPGliteSubjectKeyStore({ pglite });
  await bulkLoadDemo(generateDemoEvents({ seed: 3, scale: 400 }), {
    executor: pgliteExecutor(pglite),
    personalData: createCorePersonalDataSealer({ keys }),
  });
  const log = await readWholeLogEvents(store);
  const latest = log.map((e) => Date.parse(e.occurredAt)).reduce((a, b) => Math.max(a, b));
  const now = new Date(latest + 60_000).toISOString();
  const forgotten = await forgetSubject(
    {
      store,
      keys,
      context: async () => ({
        directory: directoryViewOf({ units: [], holdings: [] }),
        wishClaims: { openClaimsOf: () => 0, limit: 3 },
      }),
      clock: () => new Date(now),
    },
    {
      type: 'forgetSubject',
      data: { subject: 'person:nobody-known', basis: 'purpose_achieved', reference: 'CASE-1' },
      metadata: { actor: { personId: 'system', role: 'system' }, now },
    },
  );
  if (E.isLeft(forgotten)) throw new Error(forgotten.left.message);
  await keys.close();
  await store.close();
  await pglite.close();
}, 60_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('verify-events and the key store', () => {
  it('passes a sealed log whose one forgetting was recorded and carried out', async () => {
    const { code, stdout } = await verify();
    expect(stdout).toContain('every stream verifies');
    expect(stdout).toContain('key store: 1 forgettings recorded, each carried out, no key destroyed without a record');
    expect(code).toBe(0);
  }, 60_000);

  it('reports a key destroyed without a SubjectForgotten, and exits 1', async () => {
    const pglite = await PGlite.create(dataDir);
    const [{ subject }] = (
      await pglite.query<{ subject: string }>(
        `UPDATE personal_keys.subject_keys SET key = NULL, forgotten_at = now()
          WHERE subject = (SELECT min(subject) FROM personal_keys.subject_keys WHERE forgotten_at IS NULL)
          RETURNING subject`,
      )
    ).rows as [{ subject: string }];
    await pglite.close();
    const { code, stdout } = await verify();
    expect(stdout).toContain('every stream verifies');
    expect(stdout).toMatch(
      new RegExp(`ALTERED  forgotten_without_record  ${subject.replace(/[.#]/g, '\\$&')}: key destroyed at `),
    );
    expect(code).toBe(1);
  }, 60_000);
});
