import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, readWholeLogEvents, verifyStream } from '@banshishi/core';
import { generateDemoEvents, seedDemo } from '@banshishi/demo';
import { findTextsInSchemas, pgliteExecutor } from '@banshishi/store-postgres';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEmbeddedConfig, defaultTransparencyOrigin, type EmbeddedConfig, type ServeConfig } from './config.js';
import {
  catchUpProjections,
  type Embedded,
  ensureDemo,
  openEmbedded,
  startEmbeddedTransparency,
  summarise,
} from './embedded.js';

/** The manifest of the demo the spec's config seeds, generated again (the same seed gives the same campaign). */
const seededManifest = async () => {
  const source = generateDemoEvents({ seed: 7, scale: 600 });
  for (const _ of source);
  return source.manifest().personal;
};

/** How these specs would serve; opening the database does not look at it. */
const serve: ServeConfig = { port: 0, host: '127.0.0.1', logLevel: 'silent', rateLimitPerMinute: 600 };
const transparency = { transparencyOrigin: defaultTransparencyOrigin, checkpointIntervalSeconds: 60 };

describe('the embedded main job', () => {
  const config: EmbeddedConfig = { ...serve, ...transparency, dataDir: 'memory://', demoSeed: 7, demoScale: 600 };
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await openEmbedded(config);
  });
  afterAll(async () => {
    await embedded.close();
  });

  it('seeds the demo on first start, projects it and summarises progress and rankings', async () => {
    const first = await ensureDemo(embedded, config);
    expect(first.seeded).toBe(true);
    await catchUpProjections(embedded);
    const summary = await summarise(embedded);
    expect(summary.campaign?.name).toContain('千名书记解千题');
    // A problem closes once (a closed item accepts nothing), all within the demo's period: progress on the
    // last day must count every ProblemClosed the generated history holds.
    const closed = first.manifest?.events.byType.ProblemClosed ?? 0;
    expect(closed).toBeGreaterThan(0);
    expect(summary.progress?.problemsSolved).toBe(closed);
    for (const r of summary.ranking) expect(r.counted).toBeGreaterThanOrEqual(5);
  });

  it('stores the residents’ personal data sealed, with the keys in a schema of their own', async () => {
    // Seeded by the first spec of this file.
    const log = await readWholeLogEvents(embedded.store);
    const text = JSON.stringify(log.map((e) => e.data));
    const { names, phones, idNumbers, addresses } = await seededManifest();
    const identifying = [...names, ...phones, ...idNumbers, ...addresses];
    expect(identifying.length).toBeGreaterThan(50);
    expect(identifying.filter((v) => text.includes(v))).toEqual([]);
    expect(
      await findTextsInSchemas(pgliteExecutor(embedded.pglite), ['event_store', 'personal_keys'], identifying),
    ).toEqual([]);
    const [keys] = (
      await embedded.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_keys.subject_keys')
    ).rows;
    expect(keys!.n).toBeGreaterThan(50);
    // Revealed with the embedded sealer, the values are there: sealed, not lost.
    const revealed = await embedded.personalData.reveal(log, { code: 'verification', statement: 'the embedded spec' });
    if (E.isLeft(revealed)) throw new Error(revealed.left.message);
    const clear = JSON.stringify(revealed.right.map((e) => e.data));
    expect(names.filter((v) => clear.includes(v)).length).toBeGreaterThan(50);
  });

  it('keeps the transparency log of every event, signed with a key pair of its own, checkpoints on file', async () => {
    // Seeded by the first spec of this file.
    const events = (await readWholeLogEvents(embedded.store)).length;
    const first = await startEmbeddedTransparency(embedded, config);
    await first.checkpointer.caughtUp;
    await first.checkpointer.stop();
    const { log, verifier } = first.publication;
    expect(await log.size()).toBe(events);
    const latest = (await log.latestCheckpoint())!;
    expect(latest.size).toBe(events);
    const opened = openCheckpoint(latest.signed, verifier, defaultTransparencyOrigin);
    expect(E.isRight(opened) && opened.right.size).toBe(events);
    expect((await stat(join(first.keyDir, 'signer.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(first.keyDir, 'verifier.key'), 'utf8')).trim()).toBe(verifier.encoded);
    expect(await readFile(join(first.checkpointDir, 'latest.checkpoint'), 'utf8')).toBe(latest.signed);
    expect(await readFile(join(first.checkpointDir, `${events}.checkpoint`), 'utf8')).toBe(latest.signed);
    // Started again on the same key folder: the same key, the same tree, no new checkpoint for nothing new.
    const again = await startEmbeddedTransparency(embedded, config, { keyDir: first.keyDir });
    await again.checkpointer.caughtUp;
    await again.checkpointer.stop();
    expect(again.publication.verifier.encoded).toBe(verifier.encoded);
    expect(await again.publication.log.size()).toBe(events);
    expect((await again.publication.log.checkpoints()).map((c) => c.size)).toEqual([events]);
  });

  it('refuses a key folder whose key was made for another origin', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'banshishi-transparency-'));
    const made = await startEmbeddedTransparency(embedded, config, { keyDir });
    await made.checkpointer.stop();
    await expect(
      startEmbeddedTransparency(embedded, { ...config, transparencyOrigin: 'elsewhere.example/log' }, { keyDir }),
    ).rejects.toThrow(/TRANSPARENCY_ORIGIN/);
  });

  it('does not seed again when the store already holds events', async () => {
    const before = await embedded.store.readAll({ limit: 100_000 });
    const again = await ensureDemo(embedded, config);
    expect(again.seeded).toBe(false);
    expect((await embedded.store.readAll({ limit: 100_000 })).events.length).toBe(before.events.length);
  });
});

describe('the first start’s bulk seeding', () => {
  const at = (demoSeeding: 'bulk' | 'deciders'): EmbeddedConfig => ({
    ...serve,
    ...transparency,
    dataDir: 'memory://',
    demoSeed: 5,
    demoScale: 400,
    demoSeeding,
  });
  let bulk: Embedded;
  let deciders: Embedded;
  beforeAll(async () => {
    [bulk, deciders] = await Promise.all([openEmbedded(at('bulk')), openEmbedded(at('deciders'))]);
  });
  afterAll(async () => {
    await Promise.all([bulk.close(), deciders.close()]);
  });

  // Ciphertexts differ run to run (a random nonce, a fresh key per person); where a value is sealed and for
  // whom does not.
  const shapeOf = (data: unknown) =>
    JSON.parse(JSON.stringify(data, (key, value) => (key === 'ciphertext' ? typeof value : value)));
  const envelope = (e: Awaited<ReturnType<typeof readWholeLogEvents>>[number]) => ({
    streamId: e.streamId,
    revision: e.revision,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt,
    actor: e.actor,
    correlationId: e.correlationId,
    causationId: e.causationId,
  });
  const revealedData = async (embedded: Embedded) => {
    const log = await readWholeLogEvents(embedded.store);
    const revealed = await embedded.personalData.reveal(log, { code: 'verification', statement: 'the embedded spec' });
    if (E.isLeft(revealed)) throw new Error(revealed.left.message);
    return revealed.right.map((e) => e.data);
  };
  const subjects = async (embedded: Embedded) =>
    (
      await embedded.pglite.query<{ subject: string }>(
        'SELECT subject FROM personal_keys.subject_keys ORDER BY subject',
      )
    ).rows.map((r) => r.subject);

  it('stores the events command handling stores: same ids, order, envelopes and sealed fields, keys in the key store', async () => {
    const [fromBulk, fromDeciders] = await Promise.all([
      ensureDemo(bulk, at('bulk')),
      ensureDemo(deciders, at('deciders')),
    ]);
    expect(fromBulk.seeded && fromDeciders.seeded).toBe(true);
    expect(fromBulk.manifest).toEqual(fromDeciders.manifest);
    const [bulkLog, decidersLog] = await Promise.all([
      readWholeLogEvents(bulk.store),
      readWholeLogEvents(deciders.store),
    ]);
    expect(bulkLog.length).toBe(fromBulk.manifest?.events.total);
    expect(bulkLog.map(envelope)).toEqual(decidersLog.map(envelope));
    expect(bulkLog.map((e) => shapeOf(e.data))).toEqual(decidersLog.map((e) => shapeOf(e.data)));
    // Each store's own keys open its own ciphertexts to the same values.
    expect(await revealedData(bulk)).toEqual(await revealedData(deciders));
    expect(await subjects(bulk)).toEqual(await subjects(deciders));
    expect((await subjects(bulk)).length).toBeGreaterThan(20);
  });

  it('leaves every stream’s hash chain intact up to the head the streams table names', async () => {
    // Seeded by the spec above.
    const byStream = new Map<string, Awaited<ReturnType<typeof readWholeLogEvents>>>();
    for (const e of await readWholeLogEvents(bulk.store))
      byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    expect(byStream.size).toBeGreaterThan(50);
    for (const [streamId, events] of byStream) {
      const head = await bulk.store.streamHead(streamId);
      expect(head?.revision).toBe(events.length - 1);
      expect(verifyStream(streamId, events, head ?? undefined)).toMatchObject({ ok: true });
    }
  });

  it('is found already stored, command by command, by the old path: nothing is appended twice', async () => {
    const before = (await readWholeLogEvents(bulk.store)).length;
    await seedDemo(bulk.store, { personalData: bulk.personalData, seed: 5, scale: 400 });
    expect((await readWholeLogEvents(bulk.store)).length).toBe(before);
  });
});

describe('a fresh checkout', () => {
  it('creates the data folder, parents included, on first start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'banshishi-'));
    const dataDir = join(root, '.data', 'banshishi');
    const fresh = await openEmbedded({ ...serve, ...transparency, dataDir, demoSeed: 1, demoScale: 300 });
    try {
      expect((await stat(dataDir)).isDirectory()).toBe(true);
      expect((await fresh.store.readAll({ limit: 1 })).events).toEqual([]);
    } finally {
      await fresh.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('embedded configuration', () => {
  it('names the variable that is wrong', () => {
    const decoded = decodeEmbeddedConfig({ BANSHISHI_DEMO_SCALE: 'lots' });
    expect(E.isLeft(decoded) && decoded.left.join()).toContain('env.BANSHISHI_DEMO_SCALE');
  });

  it('refuses a demo too small to hold a campaign', () => {
    const decoded = decodeEmbeddedConfig({ BANSHISHI_DEMO_SCALE: '50' });
    expect(E.isLeft(decoded) && decoded.left.join()).toContain('at least 300');
  });

  it('defaults to a local data folder, the 2021 demo, a quiet board on the loopback and a checkpoint a minute', () => {
    expect(decodeEmbeddedConfig({})).toEqual(
      E.right({
        port: 3000,
        host: '127.0.0.1',
        // The terminal is for people: request logs only when asked for.
        logLevel: 'warn',
        rateLimitPerMinute: 600,
        trustProxy: false,
        dataDir: '.data/banshishi',
        demoSeed: 2021,
        demoScale: 3000,
        demoSeeding: 'bulk',
        transparencyOrigin: 'banshishi.localhost/demo',
        checkpointIntervalSeconds: 60,
      }),
    );
  });

  it('seeds the demo command by command only when asked to, and names a wrong way', () => {
    expect(decodeEmbeddedConfig({ BANSHISHI_DEMO_SEEDING: 'deciders' })).toMatchObject(
      E.right({ demoSeeding: 'deciders' }),
    );
    const decoded = decodeEmbeddedConfig({ BANSHISHI_DEMO_SEEDING: 'fast' });
    expect(E.isLeft(decoded) && decoded.left.join()).toContain('BANSHISHI_DEMO_SEEDING');
  });

  it('takes where and how to serve from the environment', () => {
    expect(
      decodeEmbeddedConfig({ PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'info', BOARD_RATE_LIMIT: '120' }),
    ).toMatchObject(E.right({ port: 8080, host: '0.0.0.0', logLevel: 'info', rateLimitPerMinute: 120 }));
  });

  it('names a wrong port, host or log level', () => {
    for (const [name, value] of [
      ['PORT', '70000'],
      ['PORT', '80x'],
      ['HOST', 'http://example.org/'],
      ['LOG_LEVEL', 'loud'],
      ['BOARD_RATE_LIMIT', '0'],
    ] as const) {
      const decoded = decodeEmbeddedConfig({ [name]: value });
      expect(E.isLeft(decoded) && decoded.left.join(), `${name}=${value}`).toContain(`env.${name}`);
    }
  });
});
