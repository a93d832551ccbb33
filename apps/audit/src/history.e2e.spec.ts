// `banshishi-audit history` and `state` as an auditor runs them, on an embedded data folder holding the demo
// campaign: the stream verified first, then each act in words with who did it in which role and whether they
// held it then; residents by role only unless personal data is asked for with a purpose, which is recorded
// before anything is opened; bad arguments refused naming the flag.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCorePersonalDataSealer, uuidFromName } from '@banshishi/core';
import { type DemoManifest, generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPGliteEventStore, getPGliteSubjectKeyStore, pgliteExecutor } from '@banshishi/store-postgres';
import { personalSubstrings } from '@banshishi/testkit';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);
let dataDir: string;
let manifest: DemoManifest;
let closed: { streamId: string; revisions: number; problemId: string };
let forgedAt: number;
let forgedStream: string;

const audit = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: '', EVENTS_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'banshishi-audit-history-'));
  const pglite = await PGlite.create(dataDir);
  const store = await getPGliteEventStore({ pglite });
  const keys = await getPGliteSubjectKeyStore({ pglite });
  const source = generateDemoEvents({ seed: 3, scale: 400 });
  await bulkLoadDemo(source, {
    executor: pgliteExecutor(pglite),
    personalData: createCorePersonalDataSealer({ keys }),
  });
  manifest = source.manifest();
  const rows = await pglite.query<{ stream_id: string; n: number }>(
    `SELECT stream_id, count(*)::int AS n FROM event_store.events
      WHERE stream_id IN (SELECT stream_id FROM event_store.events WHERE type = 'ProblemClosed')
        AND stream_id IN (SELECT stream_id FROM event_store.events WHERE type = 'ProblemSolicited' AND actor->>'role' = 'resident')
      GROUP BY stream_id ORDER BY n DESC, stream_id LIMIT 1`,
  );
  const [first] = rows.rows;
  closed = { streamId: first!.stream_id, revisions: first!.n, problemId: first!.stream_id.slice('problem-'.length) };
  // A supervision forged through the store (so its hash and head are right) by a secretary claiming to act as
  // the office: a step the chain cannot tell from a real one, made in a role its actor never held.
  const open = await pglite.query<{ stream_id: string }>(
    `SELECT e.stream_id FROM event_store.events e JOIN event_store.streams s ON s.stream_id = e.stream_id AND s.revision = e.revision
      WHERE e.category = 'problem' AND e.type IN ('ProblemClaimed', 'ProblemProgressNoted') ORDER BY e.stream_id LIMIT 1`,
  );
  forgedStream = open.rows[0]!.stream_id;
  const events = await store.readStream(forgedStream);
  const claim = events.find((e) => e.type === 'ProblemClaimed')!;
  forgedAt = events.length;
  // The problem is still claimed, so the step itself is possible: only the role is wrong.
  await store.append(
    forgedStream,
    [
      {
        eventId: uuidFromName(`forged-supervision/${forgedStream}`),
        type: 'ProblemSupervised',
        schemaVersion: 1,
        data: { problemId: forgedStream.slice('problem-'.length), ground: 'overdue' },
        occurredAt: events[events.length - 1]!.occurredAt,
        actor: { ...claim.actor, role: 'office' },
        correlationId: 'forged',
        causationId: 'forged',
      },
    ],
    { expectedRevision: events.length - 1 },
  );
  await keys.close();
  await store.close();
  await pglite.close();
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('audit history', () => {
  it('verifies the stream first, then tells each act in words with the actor and the role they held then', async () => {
    const { code, stdout } = await audit('history', closed.problemId);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      `history of ${closed.streamId}: ${closed.revisions} events, recorded head at revision ${closed.revisions - 1}`,
    );
    expect(lines[1]).toMatch(/^verified first: the hash chain is intact/);
    expect(stdout).toContain('征题 ProblemSolicited: raised at ');
    expect(stdout).toContain('领题 ProblemClaimed: claimed by ');
    expect(stdout).toMatch(/promised by: \d{4}-\d{2}-\d{2}/);
    expect(stdout).toMatch(/verdict: (satisfied|basically_satisfied)/);
    expect(stdout).toContain('销号 ProblemClosed: closed');
    expect(stdout).toContain('by a resident, resident of ');
    expect(stdout.match(/held that role then: yes/g)?.length).toBe(closed.revisions);
    // Residents by role only: no name, phone, ID number or address of anyone in the demo.
    for (const value of personalSubstrings(manifest)) expect(stdout).not.toContain(value);
  });

  it('gives the same as JSON, with officials named and the role check per event', async () => {
    const { code, stdout } = await audit('history', closed.streamId, '--json');
    expect(code).toBe(0);
    const history = JSON.parse(stdout);
    expect(history).toMatchObject({
      streamId: closed.streamId,
      verified: true,
      findings: [],
      events: closed.revisions,
    });
    expect(history.entries.map((e: { revision: number }) => e.revision)).toEqual([...Array(closed.revisions).keys()]);
    const claim = history.entries.find((e: { type: string }) => e.type === 'ProblemClaimed');
    expect(claim.actor).toMatchObject({
      role: expect.stringMatching(/secretary|department_handler/),
      heldRole: { atOccurred: true, atRecorded: true },
    });
    expect(claim.actor.name).toEqual(expect.any(String));
    const raised = history.entries[0];
    expect(raised.actor).toMatchObject({ role: 'resident', name: null });
  });

  it('says when an actor did not hold the role they acted in, on a stream whose chain verifies', async () => {
    const { code, stdout } = await audit('history', forgedStream, '--json');
    const history = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(history.verified).toBe(true);
    const forged = history.entries.find((e: { revision: number }) => e.revision === forgedAt);
    expect(forged.actor).toMatchObject({ role: 'office', heldRole: { atOccurred: false, atRecorded: false } });
    const text = (await audit('history', forgedStream)).stdout;
    expect(text).toContain('held that role then: NO');
  });

  it('keeps to a date range', async () => {
    const all = JSON.parse((await audit('history', closed.streamId, '--json')).stdout);
    const from = all.entries[1].occurredAt;
    const to = all.entries[2].occurredAt;
    const some = JSON.parse((await audit('history', closed.streamId, '--from', from, '--to', to, '--json')).stdout);
    expect(some.entries.map((e: { revision: number }) => e.revision)).toEqual([1, 2]);
  });

  it('opens residents’ data only with a purpose, recording the read in the log first', async () => {
    const refused = await audit('history', closed.streamId, '--include-personal-data');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--purpose');
    const notAuditor = await audit(
      'history',
      closed.streamId,
      '--include-personal-data',
      '--purpose',
      '纪检复核 2025-17',
      '--as',
      manifest.keyPeople.secretaries[0]!.personId,
    );
    expect(notAuditor.code).toBe(2);
    expect(notAuditor.stderr).toContain('--as');

    const { code, stdout } = await audit(
      'history',
      closed.streamId,
      '--include-personal-data',
      '--purpose',
      '纪检复核 2025-17',
      '--as',
      manifest.keyPeople.auditor.personId,
      '--json',
    );
    expect(code).toBe(0);
    const history = JSON.parse(stdout);
    expect(history.revealed.length).toBeGreaterThan(0);
    const raiser = history.entries[0].actor;
    expect(manifest.personal.names).toContain(raiser.name);
    // The read is in the log: one PersonalDataRevealed per subject, naming the auditor and the purpose.
    const subject = history.revealed[0];
    const access = JSON.parse((await audit('history', `access-${subject}`, '--json')).stdout);
    const last = access.entries[access.entries.length - 1];
    expect(last).toMatchObject({
      type: 'PersonalDataRevealed',
      actor: { personId: manifest.keyPeople.auditor.personId, role: 'auditor' },
    });
    expect(last.described.fields).toContainEqual(['purpose', 'audit_review']);
  });

  it('refuses what it cannot answer, naming the argument, with exit status 2', async () => {
    expect(await audit('history', 'no-such-item')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no stream holds'),
    });
    expect(await audit('history', closed.streamId, '--from', 'yesterday')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from'),
    });
    expect(await audit('history', closed.streamId, '--bogus')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--bogus'),
    });
    expect(await audit('frobnicate')).toMatchObject({ code: 2 });
  });
});

describe('audit state', () => {
  it('shows the item as it stood at a moment and at a revision, readably and as JSON', async () => {
    const all = JSON.parse((await audit('history', closed.streamId, '--json')).stdout);
    const claimedAt = all.entries.find((e: { type: string }) => e.type === 'ProblemClaimed').occurredAt;
    const text = await audit('state', closed.problemId, '--as-of', claimedAt);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('  status: claimed');
    const json = JSON.parse((await audit('state', closed.streamId, '--at-revision', '0', '--json')).stdout);
    expect(json).toMatchObject({ revision: 0, events: 1, of: closed.revisions, state: { status: 'solicited' } });
    const end = JSON.parse((await audit('state', closed.streamId, '--as-of', '2099-01-01T00:00:00Z', '--json')).stdout);
    expect(end.state.status).toBe('closed');
    const before = JSON.parse(
      (await audit('state', closed.streamId, '--as-of', '2000-01-01T00:00:00+08:00', '--json')).stdout,
    );
    expect(before).toMatchObject({ revision: null, events: 0 });
  });

  it('refuses a bad moment or revision, naming the flag', async () => {
    expect(await audit('state', closed.streamId, '--as-of', '2025-13-01')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--as-of'),
    });
    expect(await audit('state', closed.streamId, '--at-revision', '-1')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--at-revision'),
    });
    expect(await audit('state', closed.streamId)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--as-of'),
    });
    expect(await audit('state', closed.streamId, '--as-of', '2025-01-01T00:00:00Z', '--by', 'moon')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--by'),
    });
  });
});
