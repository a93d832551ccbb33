// The checkpointer follows the store into the tree and signs it: at start once caught up, on request, and
// on its interval when the tree has grown; it writes each checkpoint to its folder; after a restart it
// resumes from the tree's cursor without reading the log from the start; a failing database or store
// stops nothing, it follows again.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EventStore,
  encodeSignerKey,
  getInMemoryEventStore,
  type NewEvent,
  openCheckpoint,
  parseSignerKey,
} from '@banshishi/core';
import { openPglite, pgliteKysely } from '@banshishi/read-models';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';
import { openTransparencyLog } from './log.js';

const origin = 'test.banshishi.example/log';
const parsed = parseSignerKey(encodeSignerKey(origin, new Uint8Array(32).fill(5)));
if (E.isLeft(parsed)) throw new Error(parsed.left.message);
const signer = parsed.right;

const event = (n: number): NewEvent => ({
  eventId: crypto.randomUUID(),
  type: 'NoteAdded',
  schemaVersion: 1,
  data: { n },
  occurredAt: new Date(Date.UTC(2026, 10, 1, 8, 0, n)).toISOString(),
  actor: { personId: 'p-1', role: 'office' },
  correlationId: crypto.randomUUID(),
  causationId: crypto.randomUUID(),
});
const appendSome = async (store: EventStore, from: number, count: number) => {
  for (let i = from; i < from + count; i++)
    await store.append(`problem-${i % 3}`, [event(i)], { expectedRevision: 'any' });
};
const until = async (check: () => Promise<boolean>, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let pglite: Awaited<ReturnType<typeof openPglite>>;
beforeAll(async () => {
  pglite = await openPglite();
});
afterAll(async () => {
  await pglite.close();
});

describe('the checkpointer', () => {
  it('catches up, signs, writes its files, signs a grown tree on its interval, and resumes where it stopped', async () => {
    const db = pgliteKysely<unknown>(pglite);
    const log = await openTransparencyLog({ db, schema: 'tlog_follow' });
    const inner = getInMemoryEventStore();
    await appendSome(inner, 0, 30);
    const reads: (string | null)[] = [];
    const store: EventStore = {
      ...inner,
      subscribe: (options) => {
        reads.push(options.after ?? null);
        return inner.subscribe(options);
      },
    };
    const dir = await mkdtemp(join(tmpdir(), 'checkpoints-'));
    const first = startCheckpointer({ store, log, signer, origin, intervalMs: 50, checkpointDir: dir, batchSize: 7 });
    await first.caughtUp;
    expect(await log.size()).toBe(30);
    const latest = await readFile(join(dir, 'latest.checkpoint'), 'utf8');
    const opened = openCheckpoint(latest, signer.verifier, origin);
    expect(E.isRight(opened) && opened.right.size).toBe(30);
    expect(await readFile(join(dir, '30.checkpoint'), 'utf8')).toBe(latest);

    await appendSome(inner, 30, 5);
    await until(async () => (await log.latestCheckpoint())?.size === 35, 'the interval to sign 35');
    await first.stop();
    expect((await readdir(dir)).sort()).toEqual(['30.checkpoint', '35.checkpoint', 'latest.checkpoint']);

    await appendSome(inner, 35, 4);
    const second = startCheckpointer({ store, log, signer, origin, intervalMs: 60_000, checkpointDir: dir });
    await second.caughtUp;
    expect(await log.size()).toBe(39);
    // The second run read from the cursor the first left, not from the start of the log.
    expect(reads).toEqual([null, await readCursorAfter(inner, 35)]);
    await appendSome(inner, 39, 1);
    await until(async () => (await log.size()) === 40, 'the new event to reach the tree');
    expect((await second.checkpointNow()).size).toBe(40);
    await second.stop();
    await db.destroy();
  });

  it('a database that fails a batch stops nothing: the batch is redone and the tree is whole', async () => {
    const db = pgliteKysely<unknown>(pglite);
    const real = await openTransparencyLog({ db, schema: 'tlog_faulty' });
    let failures = 2;
    const log = {
      ...real,
      append: async (events: Parameters<typeof real.append>[0]) => {
        if (failures > 0) {
          failures--;
          throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
        }
        return real.append(events);
      },
    };
    const store = getInMemoryEventStore();
    await appendSome(store, 0, 12);
    const warnings: string[] = [];
    const checkpointer = startCheckpointer({
      store,
      log,
      signer,
      origin,
      intervalMs: 60_000,
      retryMs: 10,
      logger: { info: () => {}, warn: (_fields, message) => warnings.push(message) },
    });
    await checkpointer.caughtUp;
    expect(await real.size()).toBe(12);
    expect(warnings.filter((w) => /following again/.test(w))).toHaveLength(2);
    await checkpointer.stop();
    await db.destroy();
  });
});

const readCursorAfter = async (store: EventStore, count: number) => (await store.readAll({ limit: count })).checkpoint;
