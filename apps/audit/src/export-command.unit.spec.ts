// `audit export` as the CLI runs it (runExport: arguments, store, output file, summary, exit status) on an
// embedded PGlite folder holding a sealed demo: the file appears whole or not at all, a bad flag is named
// before the store is opened, and a refused exporter leaves neither a file nor a record.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCorePersonalDataSealer, readWholeLogEvents } from '@banshishi/core';
import { type DemoManifest, generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPGliteEventStore, getPGliteSubjectKeyStore, pgliteExecutor } from '@banshishi/store-postgres';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from './export.js';

let dataDir: string;
let outDir: string;
let manifest: DemoManifest;
let events: number;

const text = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, read: () => chunks.join('') };
};

/** Opens the folder for one export, as main.ts does: one PGlite user at a time. */
const open = async () => {
  const pglite = await PGlite.create(dataDir);
  const store = await getPGliteEventStore({ pglite, migrate: false });
  const keys = await getPGliteSubjectKeyStore({ pglite, migrate: false });
  return {
    store,
    keys,
    clock: () => new Date('2022-02-01T00:00:00Z'),
    close: async () => {
      await keys.close();
      await store.close();
      await pglite.close();
    },
  };
};

const exportWith = async (...argv: string[]) => {
  const stdout = text();
  const stderr = text();
  let opened = false;
  const code = await runExport(
    argv,
    () => {
      opened = true;
      return open();
    },
    { stdout: stdout.stream, stderr: stderr.stream },
  );
  return { code, stdout: stdout.read(), stderr: stderr.read(), opened };
};

const accessRecords = async () => {
  const deps = await open();
  try {
    return (await readWholeLogEvents(deps.store)).filter((e) => e.streamId.startsWith('access-'));
  } finally {
    await deps.close();
  }
};

const range = ['--from', '2021-12-31T00:00:00+08:00', '--to', '2100-01-01T00:00:00+08:00'];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'banshishi-export-'));
  outDir = await mkdtemp(join(tmpdir(), 'banshishi-export-out-'));
  const pglite = await PGlite.create(dataDir);
  const keys = await getPGliteSubjectKeyStore({ pglite });
  const source = generateDemoEvents({ seed: 5, scale: 300 });
  const loaded = await bulkLoadDemo(source, {
    executor: pgliteExecutor(pglite),
    personalData: createCorePersonalDataSealer({ keys }),
    clock: () => new Date('2022-01-01T00:00:00Z'),
  });
  events = loaded.events;
  manifest = source.manifest();
  await keys.close();
  await pglite.close();
}, 60_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
});

describe('audit export, the command', () => {
  it('writes the export to --output under a temporary name, renames it at the end, and sums up on stderr', async () => {
    const target = join(outDir, 'log.csv');
    const { code, stdout, stderr } = await exportWith(...range, '--format', 'csv', '--output', target);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `exported ${events} events recorded from 2021-12-31T00:00:00+08:00 to 2100-01-01T00:00:00+08:00 (csv); personal data withheld\n`,
    );
    expect((await readFile(target, 'utf8')).trimEnd().split('\n')).toHaveLength(events + 1);
    expect((await readdir(outDir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('writes to stdout by default', async () => {
    const { code, stdout } = await exportWith(...range, '--format', 'jsonl', '--streams', 'campaign');
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).streamId),
    ).toEqual(Array(manifest.events.byCategory.campaign).fill(manifest.campaign.streamId));
  });

  it('names a bad flag, exits 2, and never opens the store', async () => {
    const { code, stdout, stderr, opened } = await exportWith(
      '--from',
      'last week',
      '--to',
      '2100-01-01T00:00:00Z',
      '--format',
      'csv',
      '--output',
      join(outDir, 'bad.csv'),
    );
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      '--from: expected an ISO-8601 time with an offset (2026-12-01T09:30:00+08:00), got "last week"',
    );
    expect(stdout).toBe('');
    expect(opened).toBe(false);
    expect(await readdir(outDir)).not.toContain('bad.csv');
  });

  it('refuses a secretary personal data: exit 1, the rule on stderr, the old file untouched, no record', async () => {
    const target = join(outDir, 'refused.jsonl');
    await writeFile(target, 'the export of last year\n');
    const before = await readdir(outDir);
    const { code, stderr } = await exportWith(
      ...range,
      '--format',
      'jsonl',
      '--output',
      target,
      '--include-personal-data',
      '--purpose',
      '看看',
      '--as',
      manifest.keyPeople.secretaries[0]!.personId,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('export refused (audit.export.not_auditor_or_office)');
    expect(await readdir(outDir)).toEqual(before);
    expect(await readFile(target, 'utf8')).toBe('the export of last year\n');
    expect(await accessRecords()).toEqual([]);
  });

  it('exports personal data for the office with a purpose, and the summary names who, not why', async () => {
    const dispatcher = manifest.keyPeople.dispatcher;
    const purpose = '领导小组办公室年度核查';
    const { code, stdout, stderr } = await exportWith(
      ...range,
      '--format',
      'jsonl',
      '--include-personal-data',
      '--purpose',
      purpose,
      '--as',
      dispatcher.personId,
      '--role',
      'office',
      '--unit',
      dispatcher.unitId,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(manifest.keyPeople.residents[0]!.name);
    const records = await accessRecords();
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.actor.personId === dispatcher.personId && r.actor.role === 'office')).toBe(true);
    expect(stderr).toContain(`personal data of ${records.length} subjects revealed`);
    expect(stderr).toContain(dispatcher.personId);
    expect(stderr).not.toContain(purpose);
  });

  it('names --output when its folder cannot be written, exit 2', async () => {
    const { code, stderr } = await exportWith(
      ...range,
      '--format',
      'csv',
      '--output',
      join(outDir, 'no', 'such', 'x.csv'),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^export refused \(audit\.export\.invalid_flag\): --output: cannot write next to /);
  });
});
