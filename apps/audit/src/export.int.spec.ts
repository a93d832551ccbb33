// `audit export` on a sealed demo history, on embedded PGlite and on the real PostgreSQL: every event of the
// range once and in order with its envelope, CSV that parses back to the same rows, no personal value unless
// an auditor asks with a purpose, and then the access recorded in the log before the first byte.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  createCorePersonalDataSealer,
  directoryViewOf,
  type EventStore,
  forgetSubject,
  type PositionedEvent,
  personalDataMarkers,
  readWholeLogEvents,
  type StoredEvent,
  type SubjectKeyStore,
  verifyStream,
} from '@banshishi/core';
import { type DemoManifest, generateDemoEvents } from '@banshishi/demo';
import { pgPool } from '@banshishi/read-models';
import {
  type BulkSegment,
  bulkLoadDemo,
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
  pgliteExecutor,
} from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import { parse } from 'csv-parse/sync';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportDeps, type ExportOptions, exportColumns, exportEvents, parseExportArgs } from './export.js';

// The demo is loaded 60 events per transaction, and the store clock moves an hour per transaction: the log
// then spans many distinct store times, from 2022-01-01T00:00Z on.
const loadStart = Date.parse('2022-01-01T00:00:00Z');
const hour = 3_600_000;
const exportNow = new Date('2022-02-01T00:00:00Z');

interface World {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  readonly manifest: DemoManifest;
  /** The log as loaded, before any export appended to it. */
  readonly log: readonly PositionedEvent[];
  readonly deps: ExportDeps;
}

interface Backend {
  readonly name: string;
  world(): Promise<World>;
  end(): Promise<void>;
}

type Bulk = (batch: readonly BulkSegment[], clock: () => Date, first: boolean) => Promise<unknown>;

/**
 * Every event of the store once readAll shows them all. On the shared PostgreSQL, readAll shows only rows
 * below the oldest transaction still running anywhere (the store's ordering rule), so a transaction of
 * another spec file can hide freshly committed rows for a moment.
 */
const visibleLog = async (store: EventStore, atLeast: number): Promise<PositionedEvent[]> => {
  for (let waited = 0; ; waited += 100) {
    const log = await readWholeLogEvents(store);
    if (log.length >= atLeast || waited > 30_000) return log;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const load = async (
  open: (schemas: {
    events: string;
    keys: string;
  }) => Promise<{ store: EventStore; keys: SubjectKeyStore; bulk: Bulk }>,
): Promise<World> => {
  const tag = randomBytes(5).toString('hex');
  const { store, keys, bulk } = await open({ events: `export_events_${tag}`, keys: `export_keys_${tag}` });
  const source = generateDemoEvents({ seed: 3, scale: 400 });
  // About 60 events per load, each an hour after the one before: the log spans many store times.
  let pending: BulkSegment[] = [];
  let loads = 0;
  const flush = async () => {
    const at = new Date(loadStart + hour * loads);
    await bulk(pending, () => at, loads === 0);
    loads += 1;
    pending = [];
  };
  for (const batch of source)
    for (const segment of batch) {
      pending.push(segment);
      if (pending.reduce((n, s) => n + s.events.length, 0) >= 60) await flush();
    }
  if (pending.length > 0) await flush();
  const manifest = source.manifest();
  const log = await visibleLog(store, manifest.events.total);
  expect(log).toHaveLength(manifest.events.total);
  return { store, keys, manifest, log, deps: { store, keys, clock: () => exportNow, pageSize: 37 } };
};

const pgliteBackend = (): Backend => {
  let instance: Promise<PGlite> | null = null;
  return {
    name: 'PGlite',
    world: () =>
      load(async (schemas) => {
        instance ??= PGlite.create();
        const pglite = await instance;
        const store = await getPGliteEventStore({ pglite, schema: schemas.events });
        const keys = await getPGliteSubjectKeyStore({ pglite, schema: schemas.keys });
        return {
          store,
          keys,
          bulk: (batch, clock, first) =>
            bulkLoadDemo([batch], {
              executor: pgliteExecutor(pglite),
              schema: schemas.events,
              migrate: first,
              personalData: createCorePersonalDataSealer({ keys }),
              clock,
            }),
        };
      }),
    async end() {
      if (instance !== null) await (await instance).close();
    },
  };
};

const postgresBackend = (): Backend => {
  const opened: { store: EventStore; keys: { close(): Promise<void> }; schemas: string[] }[] = [];
  return {
    name: 'PostgreSQL',
    world: () =>
      load(async (schemas) => {
        const store = await getPostgresEventStore({ connectionString: databaseUrl, schema: schemas.events });
        const keys = await getPostgresSubjectKeyStore({ connectionString: databaseUrl, schema: schemas.keys });
        opened.push({ store, keys, schemas: [schemas.events, schemas.keys] });
        return {
          store,
          keys,
          bulk: (batch, clock, first) =>
            bulkLoadDemo([batch], {
              connectionString: databaseUrl,
              schema: schemas.events,
              migrate: first,
              personalData: createCorePersonalDataSealer({ keys }),
              clock,
            }),
        };
      }),
    async end() {
      const admin = pgPool({ connectionString: databaseUrl, max: 1 });
      try {
        for (const o of opened) {
          await o.store.close();
          await o.keys.close();
          for (const schema of o.schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        }
      } finally {
        await admin.end();
      }
    },
  };
};

/** Collects what is written; `beforeFirst` runs before the first chunk is taken. */
const collector = (beforeFirst?: () => Promise<void>) => {
  const chunks: string[] = [];
  let first = true;
  const out = new Writable({
    write(chunk, _encoding, done) {
      const take = () => {
        chunks.push(String(chunk));
        done();
      };
      if (!first || beforeFirst === undefined) return take();
      first = false;
      beforeFirst().then(take, done);
    },
  });
  return { out, text: () => chunks.join('') };
};

const optionsOf = (...args: string[]): ExportOptions => {
  const parsed = parseExportArgs(args);
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
};

const run = async (world: World, options: ExportOptions, beforeFirst?: () => Promise<void>) => {
  const { out, text } = collector(beforeFirst);
  const result = await exportEvents(world.deps, options, out);
  return { result, text: text() };
};

const jsonLines = (text: string): Record<string, unknown>[] =>
  text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);

const envelopeOf = (e: StoredEvent) => ({
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  streamId: e.streamId,
  revision: e.revision,
  globalPosition: e.globalPosition,
  occurredAt: e.occurredAt,
  recordedAt: e.recordedAt,
  actor: e.actor,
  correlationId: e.correlationId,
  causationId: e.causationId,
  prevHash: e.prevHash,
  hash: e.hash,
});

const iso = (ms: number) => new Date(ms).toISOString();
const wholeRange = ['--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z'];

/** Every personal value of the log, taken by revealing it (for this spec's own checks only). */
const personalValuesOf = async (world: World): Promise<string[]> => {
  const revealed = await createCorePersonalDataSealer({ keys: world.keys }).reveal(world.log, {
    code: 'verification',
    statement: 'the export spec checks which values it must withhold',
  });
  if (E.isLeft(revealed)) throw new Error(revealed.left.message);
  const text = JSON.stringify(revealed.right.map((e) => e.data));
  const { names, phones, idNumbers, addresses, freeText } = world.manifest.personal;
  // Only values that really are in the log, and long enough not to occur by chance in other text.
  const values = [...names, ...phones, ...idNumbers, ...addresses, ...freeText].filter(
    (v) => v.length >= 3 && text.includes(v),
  );
  expect(values.length).toBeGreaterThan(20);
  return values;
};

/** Each data subject of the log's sealed values, with the events (`stream@revision`) holding them. */
const subjectsAndEvents = (log: readonly StoredEvent[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const e of log)
    for (const found of new Set(JSON.stringify(e.data).match(/"subject":"[^"]+"/g) ?? [])) {
      const subject = found.slice('"subject":"'.length, -1);
      out.set(subject, [...(out.get(subject) ?? []), `${e.streamId}@${e.revision}`]);
    }
  return out;
};

const accessEvents = (log: readonly StoredEvent[]) => log.filter((e) => e.streamId.startsWith('access-'));

/** What the access streams of the log's subjects hold, read stream by stream (readStream shows every commit). */
const accessRecords = async (world: World): Promise<StoredEvent[]> => {
  const out: StoredEvent[] = [];
  for (const subject of subjectsAndEvents(world.log).keys())
    out.push(...(await world.store.readStream(`access-${subject}`)));
  return out;
};

const exportSpec = (backend: Backend) =>
  describe(`audit export on ${backend.name}`, () => {
    afterAll(() => backend.end());

    it('writes every event recorded in the range once, in log order, with its whole envelope (JSON lines)', async () => {
      const world = await backend.world();
      const from = iso(loadStart + 2 * hour);
      const to = iso(loadStart + 5 * hour);
      const { result, text } = await run(world, optionsOf('--from', from, '--to', to, '--format', 'jsonl'));
      const expected = world.log.filter(
        (e) => Date.parse(e.recordedAt) >= Date.parse(from) && Date.parse(e.recordedAt) < Date.parse(to),
      );
      expect(expected.length).toBeGreaterThan(100);
      expect(expected.length).toBeLessThan(world.log.length / 2);
      const rows = jsonLines(text);
      expect(rows.map(({ data: _data, ...envelope }) => envelope)).toEqual(expected.map(envelopeOf));
      expect(Object.keys(rows[0]!)).toEqual([
        'eventId',
        'type',
        'schemaVersion',
        'streamId',
        'revision',
        'globalPosition',
        'occurredAt',
        'recordedAt',
        'actor',
        'correlationId',
        'causationId',
        'prevHash',
        'hash',
        'data',
      ]);
      expect(E.isRight(result) && result.right).toEqual({ events: expected.length, subjectsRevealed: 0 });
    });

    it('writes CSV that parses back to the same rows, the actor in three columns and the payload as canonical JSON', async () => {
      const world = await backend.world();
      const jsonl = jsonLines((await run(world, optionsOf(...wholeRange, '--format', 'jsonl'))).text);
      const csv = (await run(world, optionsOf(...wholeRange, '--format', 'csv'))).text;
      const records = parse(csv, { columns: true }) as Record<string, string>[];
      expect(Object.keys(records[0]!)).toEqual([...exportColumns]);
      expect(records).toHaveLength(world.log.length);
      expect(
        records.map((r) => ({
          ...r,
          schemaVersion: Number(r.schemaVersion),
          revision: Number(r.revision),
          globalPosition: Number(r.globalPosition),
          data: JSON.parse(r.data!),
        })),
      ).toEqual(
        jsonl.map((r) => {
          const { actor, ...rest } = r as { actor: { personId: string; role: string; unitId?: string } };
          return {
            ...rest,
            'actor.personId': actor.personId,
            'actor.role': actor.role,
            'actor.unitId': actor.unitId ?? '',
          };
        }),
      );
    });

    it('selects streams by id, by prefix and by category', async () => {
      const world = await backend.world();
      const problem = world.log.find((e) => e.streamId.startsWith('problem-'))!.streamId;
      const wanted = (e: StoredEvent) =>
        e.streamId === problem || e.streamId.startsWith('wish-') || e.streamId.startsWith('unit-');
      const { text } = await run(
        world,
        optionsOf(...wholeRange, '--format', 'jsonl', '--streams', `${problem},wish-*,unit`),
      );
      const rows = jsonLines(text);
      expect(rows.map((r) => r.eventId)).toEqual(world.log.filter(wanted).map((e) => e.eventId));
      expect(new Set(rows.map((r) => String(r.streamId).split('-')[0]))).toEqual(new Set(['problem', 'wish', 'unit']));
    });

    it('withholds every personal value by default: the sealed marker stands in, and no ciphertext is written', async () => {
      const world = await backend.world();
      const values = await personalValuesOf(world);
      const ciphertexts = world.log.flatMap((e) => JSON.stringify(e.data).match(/"ciphertext":"[^"]+"/g) ?? []);
      expect(ciphertexts.length).toBeGreaterThan(20);
      for (const format of ['jsonl', 'csv']) {
        const { text } = await run(world, optionsOf(...wholeRange, '--format', format));
        for (const v of values) expect(text).not.toContain(v);
        expect(text).not.toContain('ciphertext');
        expect(text).toContain(personalDataMarkers.sealed);
      }
      expect(await accessRecords(world)).toEqual([]);
    });

    it('with --include-ciphertext writes sealed values as stored: every stream of the export verifies on its own', async () => {
      const world = await backend.world();
      const values = await personalValuesOf(world);
      const { text } = await run(world, optionsOf(...wholeRange, '--format', 'jsonl', '--include-ciphertext'));
      for (const v of values) expect(text).not.toContain(v);
      const byStream = new Map<string, StoredEvent[]>();
      for (const row of jsonLines(text) as unknown as StoredEvent[])
        byStream.set(row.streamId, [...(byStream.get(row.streamId) ?? []), row]);
      expect(byStream.size).toBe(new Set(world.log.map((e) => e.streamId)).size);
      for (const [streamId, events] of byStream) expect(verifyStream(streamId, events)).toMatchObject({ ok: true });
    });

    it('reveals personal data to an auditor with a purpose, recording who exported what and why before the first byte', async () => {
      const world = await backend.world();
      const values = await personalValuesOf(world);
      const auditor = world.manifest.keyPeople.auditor;
      const purpose = '2021年度办实事专项审计 (纪检组 审字第7号)';
      const expected = subjectsAndEvents(world.log);
      const recordedBeforeFirstByte: StoredEvent[] = [];
      const { result, text } = await run(
        world,
        optionsOf(
          ...wholeRange,
          '--format',
          'jsonl',
          '--include-personal-data',
          '--purpose',
          purpose,
          '--as',
          auditor.personId,
        ),
        async () => {
          for (const subject of expected.keys())
            recordedBeforeFirstByte.push(...(await world.store.readStream(`access-${subject}`)));
        },
      );
      for (const v of values) expect(text).toContain(v);
      expect(text).not.toContain(personalDataMarkers.sealed);

      // One record per subject whose sealed values the range holds, naming exactly those events, every one
      // stored before the first byte was written.
      const records = accessEvents(await visibleLog(world.store, world.log.length + expected.size));
      expect(records).toHaveLength(expected.size);
      expect(new Set(recordedBeforeFirstByte.map((e) => e.eventId))).toEqual(new Set(records.map((e) => e.eventId)));
      expect(E.isRight(result) && result.right).toEqual({
        events: world.log.length,
        subjectsRevealed: expected.size,
        exporter: { personId: auditor.personId, role: 'auditor', unitId: auditor.unitId },
      });
      // The records are not part of the export: it ends where the range ended when it began.
      expect(jsonLines(text)).toHaveLength(world.log.length);

      const opened = await createCorePersonalDataSealer({ keys: world.keys }).reveal(records, {
        code: 'verification',
        statement: 'the export spec reads the access records back',
      });
      if (E.isLeft(opened)) throw new Error(opened.left.message);
      for (const record of opened.right) {
        const data = record.data as {
          subject: string;
          purpose: string;
          statement: string;
          events: { streamId: string; revision: number }[];
        };
        expect(record).toMatchObject({
          type: 'PersonalDataRevealed',
          streamId: `access-${data.subject}`,
          actor: { personId: auditor.personId, role: 'auditor', unitId: auditor.unitId },
          occurredAt: exportNow.toISOString(),
        });
        expect(data.purpose).toBe('audit_export');
        expect(data.statement).toBe(purpose);
        expect(data.events.map((e) => `${e.streamId}@${e.revision}`)).toEqual(expected.get(data.subject));
      }
    });

    it('shows a forgotten subject’s fields as the forgotten marker, with or without personal data', async () => {
      const world = await backend.world();
      const resident = world.manifest.keyPeople.residents[0]!;
      const subject = `person:${resident.personId}`;
      const forgotten = await forgetSubject(
        {
          store: world.store,
          keys: world.keys,
          context: async () => ({
            directory: directoryViewOf({ units: [], holdings: [] }),
            wishClaims: { openClaimsOf: () => 0, limit: 3 },
          }),
          clock: () => exportNow,
        },
        {
          type: 'forgetSubject',
          data: { subject, basis: 'consent_withdrawn', reference: 'PIPL-2022-0001' },
          metadata: { actor: { personId: 'system', role: 'system' }, now: exportNow.toISOString() },
        },
      );
      if (E.isLeft(forgotten)) throw new Error(forgotten.left.message);
      const theirs = world.log.filter((e) => JSON.stringify(e.data).includes(`"subject":"${subject}"`));
      expect(theirs.length).toBeGreaterThan(0);
      const auditor = world.manifest.keyPeople.auditor.personId;
      for (const extra of [[], ['--include-personal-data', '--purpose', '核查遗忘是否执行', '--as', auditor]]) {
        const { result, text } = await run(world, optionsOf(...wholeRange, '--format', 'jsonl', ...extra));
        expect(E.isRight(result)).toBe(true);
        const rows = jsonLines(text);
        for (const e of theirs) {
          const row = rows.find((r) => r.eventId === e.eventId)!;
          expect(JSON.stringify(row.data)).toContain(personalDataMarkers.forgotten);
        }
        expect(text).not.toContain(resident.name);
      }
    });

    it('refuses an exporter who is neither auditor nor office: nothing recorded, nothing written', async () => {
      const world = await backend.world();
      const secretary = world.manifest.keyPeople.secretaries[0]!;
      for (const [personId, role] of [
        [secretary.personId, undefined],
        [world.manifest.keyPeople.auditor.personId, 'office'],
        ['nobody-in-the-directory', undefined],
      ] as const) {
        const { result, text } = await run(
          world,
          optionsOf(
            ...wholeRange,
            '--format',
            'csv',
            '--include-personal-data',
            '--purpose',
            'curiosity',
            '--as',
            personId,
            ...(role === undefined ? [] : ['--role', role]),
          ),
        );
        expect(E.isLeft(result) && result.left).toMatchObject({
          code: 'forbidden',
          rule: 'audit.export.not_auditor_or_office',
        });
        expect(text).toBe('');
      }
      expect(await accessRecords(world)).toEqual([]);
    });

    it('writes nothing, and reports it, when the access cannot be recorded', async () => {
      const world = await backend.world();
      const failing: EventStore = {
        ...world.store,
        append: async () => {
          throw new Error('the log refused the write');
        },
      };
      const { out, text } = collector();
      const result = await exportEvents(
        { ...world.deps, store: failing },
        optionsOf(
          ...wholeRange,
          '--format',
          'jsonl',
          '--include-personal-data',
          '--purpose',
          '审计',
          '--as',
          world.manifest.keyPeople.auditor.personId,
        ),
        out,
      );
      expect(E.isLeft(result) && result.left).toMatchObject({ rule: 'audit.export.access_not_recorded' });
      expect(text()).toBe('');
      expect(await accessRecords(world)).toEqual([]);
    });
  });

exportSpec(pgliteBackend());
exportSpec(postgresBackend());
