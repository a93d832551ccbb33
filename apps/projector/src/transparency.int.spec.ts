// The transparency log kept by the projector, run as operators run it on the real PostgreSQL: `projector
// checkpoint` brings the tree up to the whole log and prints the signed note; `projector run` keeps it
// following new events and signs each grown tree at its interval, into the table and the checkpoint folder.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCorePersonalDataSealer,
  encodeSignerKey,
  eventLeafData,
  getInMemorySubjectKeyStore,
  memoryTree,
  merkleHasher,
  openCheckpoint,
  parseSignerKey,
  readWholeLogEvents,
} from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { type BulkSegment, bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startProjectorProcess } from './test-support/projector-process.js';

const suffix = randomBytes(3).toString('hex');
const eventSchema = `tl_events_${suffix}`;
const readSchema = `tl_rm_${suffix}`;
const treeSchema = `tl_tree_${suffix}`;
const signerKey = encodeSignerKey('banshishi.example/test-log', new Uint8Array(randomBytes(32)));
const verifier = (parseSignerKey(signerKey) as E.Right<{ verifier: Parameters<typeof openCheckpoint>[1] }>).right
  .verifier;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the projector keeps the transparency log on the real PostgreSQL', () => {
  let pool: pg.Pool;
  let live: BulkSegment[];
  let dir: string;
  const env = () => ({
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: eventSchema,
    READ_MODELS_SCHEMA: readSchema,
    TRANSPARENCY_SCHEMA: treeSchema,
    TRANSPARENCY_SIGNER_KEY: signerKey,
    CHECKPOINT_DIR: dir,
    CHECKPOINT_INTERVAL_SECONDS: '1',
  });

  /** The root of the log's first `size` events, computed here from the events themselves. */
  const expectedRoot = async (size: number) => {
    const store = await getPostgresEventStore({ pool, schema: eventSchema, migrate: false });
    const h = merkleHasher();
    const events = (await readWholeLogEvents(store)).slice(0, size);
    expect(events).toHaveLength(size);
    return memoryTree(
      h,
      events.map((e) => h.leaf(eventLeafData(e))),
    ).root(size);
  };
  const eventCount = async () =>
    Number((await pool.query<{ n: string }>(`select count(*) as n from "${eventSchema}".events`)).rows[0]!.n);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    dir = await mkdtemp(join(tmpdir(), 'banshishi-checkpoints-'));
    const segments: BulkSegment[] = [];
    let count = 0;
    for (const batch of generateDemoEvents({ seed: 11, scale: 4_000 })) {
      for (const segment of batch) {
        segments.push(segment);
        count += segment.events.length;
      }
      if (count >= 3_000) break;
    }
    const cut = Math.floor(segments.length * 0.8);
    live = segments.slice(cut);
    await bulkLoadDemo([segments.slice(0, cut)], {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool,
      schema: eventSchema,
    });
  });

  afterAll(async () => {
    for (const schema of [eventSchema, readSchema, treeSchema])
      await pool.query(`drop schema if exists "${schema}" cascade`);
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('checkpoint signs the whole log, once per size, and prints exactly what it kept', async () => {
    const total = await eventCount();
    const output: string[] = [];
    const stdout: string[] = [];
    const child = startProjectorProcess(env(), output, 'checkpoint', stdout);
    expect(await exited(child), output.join('')).toEqual({ code: 0, signal: null });
    const note = stdout.join('');
    const opened = openCheckpoint(note, verifier, 'banshishi.example/test-log');
    expect(E.isRight(opened) && opened.right.size).toBe(total);
    expect(E.isRight(opened) && Buffer.from(opened.right.root).toString('hex')).toBe(
      Buffer.from(await expectedRoot(total)).toString('hex'),
    );
    expect(await readFile(join(dir, `${total}.checkpoint`), 'utf8')).toBe(note);
    expect(await readFile(join(dir, 'latest.checkpoint'), 'utf8')).toBe(note);

    // Asked again with nothing new: the same checkpoint, not a second one.
    const again: string[] = [];
    const second = startProjectorProcess(env(), output, 'checkpoint', again);
    expect(await exited(second), output.join('')).toEqual({ code: 0, signal: null });
    expect(again.join('')).toBe(note);
    const { rows } = await pool.query(`select tree_size from "${treeSchema}".checkpoints`);
    expect(rows.map((r) => Number(r.tree_size))).toEqual([total]);
  });

  it('run follows new events into the tree and signs the grown tree at its interval', async () => {
    const output: string[] = [];
    const child = startProjectorProcess(env(), output);
    try {
      const store = await getPostgresEventStore({ pool, schema: eventSchema, migrate: false });
      for (const segment of live) await store.append(segment.streamId, segment.events, { expectedRevision: 'any' });
      const total = await eventCount();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        expect(child.exitCode, output.join('')).toBeNull();
        const latest = await readFile(join(dir, 'latest.checkpoint'), 'utf8');
        const opened = openCheckpoint(latest, verifier);
        if (E.isRight(opened) && opened.right.size === total) break;
        await sleep(200);
      }
      const latest = openCheckpoint(await readFile(join(dir, 'latest.checkpoint'), 'utf8'), verifier);
      expect(E.isRight(latest) && latest.right.size, output.join('')).toBe(total);
      expect(E.isRight(latest) && Buffer.from(latest.right.root).toString('hex')).toBe(
        Buffer.from(await expectedRoot(total)).toString('hex'),
      );
    } finally {
      child.kill('SIGTERM');
      expect(await exited(child), output.join('')).toEqual({ code: 0, signal: null });
    }
  });
});
