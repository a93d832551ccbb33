// The transparency log in SQL, on PGlite (embedded) and on the test PostgreSQL: built batch by batch it
// has the roots and proofs of the same tree kept in memory, for every size; a batch delivered twice changes
// nothing; checkpoints are append-only; proofs of events verify against the signed checkpoint.
import {
  encodeSignerKey,
  eventLeafData,
  getInMemoryEventStore,
  memoryTree,
  merkleHasher,
  type NoteSigner,
  type PositionedEvent,
  parseSignerKey,
  readWholeLogEvents,
  verifyConsistency,
  verifyConsistencyBundle,
  verifyInclusion,
  verifyProofBundle,
} from '@banshishi/core';
import { openPglite, pgKysely, pgliteKysely } from '@banshishi/read-models';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import * as E from 'fp-ts/lib/Either.js';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openTransparencyLog, type TransparencyLog } from './log.js';
import { proveConsistency, proveEvent } from './proof.js';

const origin = 'test.banshishi.example/log';
const signer: NoteSigner = (() => {
  const parsed = parseSignerKey(encodeSignerKey(origin, new Uint8Array(32).fill(3)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
})();

/** A log of `count` events over a few streams, read back as the store delivers them. */
const someEvents = async (count: number): Promise<PositionedEvent[]> => {
  const store = getInMemoryEventStore();
  for (let i = 0; i < count; i++)
    await store.append(
      `problem-${i % 7}`,
      [
        {
          eventId: crypto.randomUUID(),
          type: 'NoteAdded',
          schemaVersion: 1,
          data: { n: i },
          occurredAt: new Date(Date.UTC(2026, 10, 1, 8, 0, i)).toISOString(),
          actor: { personId: 'p-1', role: 'office' },
          correlationId: crypto.randomUUID(),
          causationId: crypto.randomUUID(),
        },
      ],
      { expectedRevision: 'any' },
    );
  return readWholeLogEvents(store);
};

const h = merkleHasher();

interface Backend {
  readonly name: string;
  open(): Promise<{ db: Kysely<unknown>; schema: string }>;
}
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const backends: Backend[] = [
  {
    name: 'PGlite',
    open: async () => {
      const pglite = await openPglite();
      const db = pgliteKysely<unknown>(pglite);
      cleanups.push(async () => {
        await db.destroy();
        await pglite.close();
      });
      return { db, schema: 'transparency' };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const pool = await connectTestDatabase();
      const db = pgKysely<unknown>(pool);
      const schema = freshSchemaName('tlog');
      cleanups.push(async () => {
        await dropSchema(pool, schema);
        await db.destroy();
      });
      return { db, schema };
    },
  },
];

describe.each(backends)('the transparency log on $name', (backend) => {
  const fresh = async (): Promise<{ log: TransparencyLog; db: Kysely<unknown>; schema: string }> => {
    const { db, schema } = await backend.open();
    return {
      log: await openTransparencyLog({ db, schema: `${schema}_${Math.random().toString(36).slice(2, 8)}` }),
      db,
      schema,
    };
  };

  it('built in uneven batches, has the root and proofs of the tree kept in memory, at every size', async () => {
    const events = await someEvents(70);
    const { log } = await fresh();
    const memory = memoryTree(
      h,
      events.map((e) => h.leaf(eventLeafData(e))),
    );
    for (let at = 0, batch = 1; at < events.length; at += batch, batch = (batch * 3) % 11 || 1)
      expect(await log.append(events.slice(at, at + batch))).toBe(Math.min(at + batch, events.length));
    expect(await log.size()).toBe(70);
    expect(await log.cursor()).toBe(events[69]!.checkpoint);
    for (const size of [0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 64, 69, 70])
      expect(Buffer.from(await log.root(size)).toString('hex')).toBe(Buffer.from(memory.root(size)).toString('hex'));
    for (const [index, size] of [
      [0, 1],
      [5, 6],
      [13, 70],
      [69, 70],
      [32, 33],
    ] as const) {
      const proof = await log.inclusionProof(index, size);
      expect(proof.map((p) => Buffer.from(p).toString('hex'))).toEqual(
        memory.inclusionProof(index, size).map((p) => Buffer.from(p).toString('hex')),
      );
      const leaf = await log.leaf(index);
      expect(verifyInclusion(h, leaf!.leafHash, index, size, proof, memory.root(size))).toBe(true);
    }
    for (const [first, second] of [
      [1, 70],
      [7, 8],
      [32, 70],
      [33, 64],
      [69, 70],
    ] as const) {
      const proof = await log.consistencyProof(first, second);
      expect(verifyConsistency(h, first, second, proof, memory.root(first), memory.root(second))).toBe(true);
    }
    await expect(log.root(71)).rejects.toThrow(/tree size 71/);
  });

  it('a batch delivered again, whole or in part, changes nothing', async () => {
    const events = await someEvents(20);
    const { log } = await fresh();
    await log.append(events.slice(0, 12));
    const root12 = await log.root();
    expect(await log.append(events.slice(0, 12))).toBe(12);
    expect(await log.root()).toEqual(root12);
    expect(await log.append(events.slice(8, 20))).toBe(20);
    expect(await log.leaves(0, 20)).toHaveLength(20);
    expect((await log.leaves(8, 13)).map((l) => l.eventId)).toEqual(events.slice(8, 13).map((e) => e.eventId));
  });

  it('signs a checkpoint once per size, keeps every one, and refuses to change or delete them or the tree', async () => {
    const events = await someEvents(10);
    const { log, db } = await fresh();
    const empty = await log.sign(signer, origin);
    expect(empty.size).toBe(0);
    await log.append(events.slice(0, 6));
    const six = await log.sign(signer, origin);
    expect(await log.sign(signer, origin)).toEqual(six);
    await log.append(events.slice(6));
    const ten = await log.sign(signer, origin);
    expect(six.signed.split('\n').slice(0, 2)).toEqual([origin, '6']);
    expect((await log.checkpoints()).map((c) => c.size)).toEqual([10, 6, 0]);
    expect((await log.checkpoints({ before: 10, limit: 1 })).map((c) => c.size)).toEqual([6]);
    expect(await log.checkpointAt(6)).toEqual(six);
    expect(await log.latestCheckpoint()).toEqual(ten);
    const table = sql.id(log.schema, 'checkpoints');
    await expect(sql`UPDATE ${table} SET signed_note = 'x' WHERE tree_size = 6`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM ${table}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE ${table}`.execute(db)).rejects.toThrow(/append-only/);
    expect(await log.checkpoints()).toHaveLength(3);
    const leaves = sql.id(log.schema, 'leaves');
    const nodes = sql.id(log.schema, 'nodes');
    await expect(sql`UPDATE ${leaves} SET event_hash = 'x' WHERE leaf_index = 2`.execute(db)).rejects.toThrow(
      /leaves are append-only: UPDATE refused/,
    );
    await expect(sql`DELETE FROM ${leaves} WHERE leaf_index = 9`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE ${leaves} CASCADE`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ${nodes} SET hash = '\\x00'`.execute(db)).rejects.toThrow(
      /nodes are append-only: UPDATE refused/,
    );
    await expect(sql`DELETE FROM ${nodes}`.execute(db)).rejects.toThrow(/append-only/);
    expect((await log.leaves(0, 10)).map((l) => l.eventHash)).toEqual(events.map((e) => e.hash));
  });

  it('proves any event, by id or by stream and revision, against the latest checkpoint, and says when it cannot', async () => {
    const events = await someEvents(25);
    const { log } = await fresh();
    await log.append(events.slice(0, 20));
    expect(await proveEvent(log, { eventId: events[3]!.eventId })).toEqual(
      E.left(expect.objectContaining({ rule: 'transparency.no_checkpoint' })),
    );
    await log.sign(signer, origin);
    await log.append(events.slice(20));
    for (const e of events.slice(0, 20)) {
      const bundle = await proveEvent(log, { streamId: e.streamId, revision: e.revision });
      expect(E.isRight(bundle)).toBe(true);
      if (E.isRight(bundle)) {
        const verified = verifyProofBundle(bundle.right, signer.verifier, origin);
        expect(E.isRight(verified) && verified.right.leaf.eventId).toBe(e.eventId);
      }
    }
    expect(await proveEvent(log, { eventId: events[22]!.eventId })).toEqual(
      E.left(expect.objectContaining({ rule: 'transparency.not_yet_checkpointed' })),
    );
    expect(await proveEvent(log, { eventId: crypto.randomUUID() })).toEqual(
      E.left(expect.objectContaining({ rule: 'transparency.unknown_event', code: 'not_found' })),
    );
  });

  it('proves that each signed checkpoint extends every earlier one, and says when a size was never signed', async () => {
    const events = await someEvents(30);
    const { log } = await fresh();
    const sizes = [0, 1, 7, 8, 19, 30];
    for (let at = 0; at < sizes.length; at++) {
      await log.append(events.slice(at === 0 ? 0 : sizes[at - 1], sizes[at]));
      await log.sign(signer, origin);
    }
    for (const from of sizes)
      for (const to of sizes.filter((n) => n >= from)) {
        const bundle = await proveConsistency(log, from, to === 30 ? undefined : to);
        const verified = E.isRight(bundle) ? verifyConsistencyBundle(bundle.right, signer.verifier, origin) : bundle;
        expect(E.isRight(verified) && [verified.right.from.size, verified.right.to.size]).toEqual([from, to]);
      }
    expect(await proveConsistency(log, 5)).toEqual(
      E.left(expect.objectContaining({ rule: 'transparency.unknown_checkpoint', code: 'not_found' })),
    );
    expect(await proveConsistency(log, 19, 8)).toEqual(
      E.left(expect.objectContaining({ rule: 'transparency.unknown_checkpoint' })),
    );
  });

  it('opening it again, from another process, keeps the tree and migrates nothing twice', async () => {
    const events = await someEvents(9);
    const { db, schema } = await backend.open();
    const name = `${schema}_again`;
    const [a, b] = await Promise.all([
      openTransparencyLog({ db, schema: name }),
      openTransparencyLog({ db, schema: name }),
    ]);
    await a.append(events);
    expect(await b.size()).toBe(9);
    expect(await b.root()).toEqual(await a.root());
  });
});
