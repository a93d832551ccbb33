// The export's arguments, decoded once at the boundary (each refusal names its flag), and its reading: page by
// page, writing as it goes, never the whole log at once.
import { Writable } from 'node:stream';
import {
  type EventStore,
  getInMemoryEventStore,
  getInMemorySubjectKeyStore,
  personalDataMarkers,
  type ReadAllOptions,
} from '@banshishi/core';
import { demoHistory, personalSubstrings, thingEvents } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { exportEvents, parseExportArgs, summaryLine } from './export.js';

const range = ['--from', '2026-01-01T00:00:00+08:00', '--to', '2026-02-01T00:00:00+08:00'];

const refusal = (...args: string[]) => {
  const parsed = parseExportArgs(args);
  if (E.isRight(parsed)) throw new Error(`accepted ${args.join(' ')}`);
  return parsed.left;
};

describe('export arguments', () => {
  it('decodes a plain export: times as given, every stream, personal data withheld', () => {
    expect(parseExportArgs([...range, '--format', 'csv'])).toEqual(
      E.right({
        from: '2026-01-01T00:00:00+08:00',
        to: '2026-02-01T00:00:00+08:00',
        format: 'csv',
        personalData: { mode: 'withheld' },
      }),
    );
  });

  it('reads --streams as stream ids, prefixes and categories', () => {
    const parsed = parseExportArgs([...range, '--format', 'jsonl', '--streams', 'problem-42, wish-1*,unit']);
    expect(E.isRight(parsed) && parsed.right.streams).toEqual([
      { kind: 'stream', streamId: 'problem-42' },
      { kind: 'prefix', prefix: 'wish-1' },
      { kind: 'category', category: 'unit' },
    ]);
  });

  it('decodes a request for personal data with its purpose, the exporter, their role and unit', () => {
    const parsed = parseExportArgs([
      ...range,
      '--format',
      'jsonl',
      '--include-personal-data',
      '--purpose',
      '专项审计',
      '--as',
      'p-7',
      '--role',
      'office',
      '--unit',
      'district-1',
      '--output',
      'out.jsonl',
    ]);
    expect(E.isRight(parsed) && parsed.right).toMatchObject({
      personalData: {
        mode: 'revealed',
        purpose: '专项审计',
        exporter: { personId: 'p-7', role: 'office', unitId: 'district-1' },
      },
      output: 'out.jsonl',
    });
  });

  it.each([
    ['--from', ['--to', '2026-02-01T00:00:00Z', '--format', 'csv']],
    ['--from', ['--from', '2026-01-01', '--to', '2026-02-01T00:00:00Z', '--format', 'csv']],
    ['--from', ['--from', '2026-01-01T00:00:00', '--to', '2026-02-01T00:00:00Z', '--format', 'csv']],
    ['--to', ['--from', '2026-01-01T00:00:00Z', '--to', '2026-02-30T00:00:00Z', '--format', 'csv']],
    ['--to', ['--from', '2026-02-01T00:00:00Z', '--to', '2026-01-01T00:00:00Z', '--format', 'csv']],
    ['--format', [...range]],
    ['--format', [...range, '--format', 'xml']],
    ['--streams', [...range, '--format', 'csv', '--streams', 'problem-1,,wish']],
    ['--streams', [...range, '--format', 'csv', '--streams', 'pro*blem']],
    ['--purpose', [...range, '--format', 'csv', '--include-personal-data', '--as', 'p-1']],
    ['--purpose', [...range, '--format', 'csv', '--include-personal-data', '--purpose', '  ', '--as', 'p-1']],
    ['--as', [...range, '--format', 'csv', '--include-personal-data', '--purpose', '审计']],
    [
      '--role',
      [
        ...range,
        '--format',
        'csv',
        '--include-personal-data',
        '--purpose',
        '审计',
        '--as',
        'p-1',
        '--role',
        'secretary',
      ],
    ],
    ['--purpose', [...range, '--format', 'csv', '--purpose', '审计']],
    ['--as', [...range, '--format', 'csv', '--as', 'p-1']],
    [
      '--include-ciphertext',
      [
        ...range,
        '--format',
        'csv',
        '--include-personal-data',
        '--purpose',
        '审计',
        '--as',
        'p-1',
        '--include-ciphertext',
      ],
    ],
    ['--output', [...range, '--format', 'csv', '--output', '']],
    ['--since', [...range, '--format', 'csv', '--since', 'yesterday']],
    ['--from', ['--from']],
  ])('refuses a bad %s, naming it', (flag, args) => {
    const error = refusal(...args);
    expect(error).toMatchObject({ code: 'validation', rule: 'audit.export.invalid_flag', details: { flag } });
    expect(error.message.startsWith(`${flag}:`)).toBe(true);
  });

  it('refuses a stray positional argument', () => {
    expect(refusal(...range, '--format', 'csv', 'problem-1').code).toBe('validation');
  });
});

describe('export reading', () => {
  const log = async (events: number) => {
    const store = getInMemoryEventStore({ clock: () => new Date('2026-01-15T00:00:00Z') });
    const thing = thingEvents('export-unit');
    for (let i = 0; i < events; i += 100)
      await store.append(
        `thing-${i / 100}`,
        Array.from({ length: 100 }, (_, n) => thing(i + n)),
        { expectedRevision: 'no_stream' },
      );
    return store;
  };

  it('reads the log page by page and writes each page before reading on', async () => {
    const store = await log(5000);
    const limits: number[] = [];
    const counting: EventStore = {
      ...store,
      readAll: (options?: ReadAllOptions) => {
        limits.push(options?.limit ?? Number.POSITIVE_INFINITY);
        return store.readAll(options);
      },
    };
    let readsAtFirstWrite = -1;
    let lines = 0;
    const out = new Writable({
      write(chunk, _encoding, done) {
        if (readsAtFirstWrite < 0) readsAtFirstWrite = limits.length;
        lines += String(chunk).split('\n').length - 1;
        done();
      },
    });
    const options = parseExportArgs([...range, '--format', 'jsonl']);
    if (E.isLeft(options)) throw new Error(options.left.message);
    const result = await exportEvents({ store: counting, pageSize: 250 }, options.right, out);
    expect(E.isRight(result) && result.right.events).toBe(5000);
    expect(lines).toBe(5000);
    expect(Math.max(...limits)).toBe(250);
    expect(limits.length).toBeGreaterThanOrEqual(20);
    expect(readsAtFirstWrite).toBe(1);
  });

  it('writes only the header of a CSV when nothing was recorded in the range', async () => {
    const store = await log(100);
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const options = parseExportArgs([
      '--from',
      '2025-01-01T00:00:00Z',
      '--to',
      '2025-01-01T00:00:00Z',
      '--format',
      'csv',
    ]);
    if (E.isLeft(options)) throw new Error(options.left.message);
    expect(await exportEvents({ store }, options.right, out)).toEqual(E.right({ events: 0, subjectsRevealed: 0 }));
    expect(chunks.join('').split('\n')).toEqual([expect.stringMatching(/^eventId,type,schemaVersion,/), '']);
  });

  it('keeps the purpose out of the summary line: it is the exporter’s own words and may name a person', () => {
    const parsed = parseExportArgs([
      ...range,
      '--format',
      'jsonl',
      '--include-personal-data',
      '--purpose',
      '核查李秀英的投诉',
      '--as',
      'p-7',
    ]);
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    const line = summaryLine(parsed.right, {
      events: 12,
      subjectsRevealed: 3,
      exporter: { personId: 'p-7', role: 'auditor', unitId: 'd-1' },
    });
    expect(line).toContain('exported 12 events');
    expect(line).toContain('personal data of 3 subjects revealed');
    expect(line).not.toContain('李秀英');
  });

  it('withholds personal fields a log holds in the clear (written before sealing) in every mode: no record covers them', async () => {
    const history = await demoHistory(7, 400);
    const values = personalSubstrings(history.manifest);
    const whole = ['--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z', '--format', 'jsonl'];
    const auditor = history.manifest.keyPeople.auditor.personId;
    for (const extra of [
      [],
      ['--include-ciphertext'],
      ['--include-personal-data', '--purpose', '审计', '--as', auditor],
    ]) {
      const chunks: string[] = [];
      const out = new Writable({
        write(chunk, _encoding, done) {
          chunks.push(String(chunk));
          done();
        },
      });
      const options = parseExportArgs([...whole, ...extra]);
      if (E.isLeft(options)) throw new Error(options.left.message);
      const result = await exportEvents(
        { store: history.store, keys: getInMemorySubjectKeyStore(), clock: () => new Date(history.asOf) },
        options.right,
        out,
      );
      expect(E.isRight(result) && result.right).toMatchObject({ events: history.events.length, subjectsRevealed: 0 });
      const text = chunks.join('');
      for (const v of values) expect(text).not.toContain(v);
      expect(text).toContain(personalDataMarkers.sealed);
    }
  });
});
