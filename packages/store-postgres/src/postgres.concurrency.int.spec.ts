// The ordering scheme under load on a real PostgreSQL: 8 writers with random pauses inside their
// transactions, one subscriber throughout. Every event arrives exactly once, each stream in revision
// order, positions never going backwards. Seeds are printed so a failure can be replayed.
import { isBanshishiError, type NewEvent, type PositionedEvent, uuidFromName, verifyStream } from '@banshishi/core';
import { createRandom } from '@banshishi/testkit';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresEventStore } from './postgres.js';

const writers = 8;
const totalEvents = 20_000;
const streamCount = 200;
const seeds = (process.env.STORE_SEEDS ?? `${Date.now() % 1_000_000},1,2,3,4`).split(',').map(Number);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let pool: pg.Pool;
beforeAll(async () => {
  pool = await connectTestDatabase({ max: writers + 4, asyncCommit: true });
});
afterAll(async () => {
  await pool.end();
});

describe('PostgreSQL event store under concurrent writers', () => {
  it.each(
    seeds,
  )(`seed %i: 8 writers, ${totalEvents} events over ${streamCount} streams, one subscriber sees each event once and in order`, async (seed) => {
    console.log(`concurrency seed ${seed} (replay with STORE_SEEDS=${seed})`);
    const random = createRandom(seed);
    const schema = freshSchemaName('concurrency');
    const store = await getPostgresEventStore({
      pool,
      schema,
      pollIntervalMs: 100,
      // Pauses inside the transaction, after the INSERT: the window in which a later position can
      // commit first, which is exactly what the reader must not run ahead of.
      beforeCommit: async () => {
        const r = random.next();
        if (r < 0.3) await sleep(Math.floor(r * 10));
      },
    });
    try {
      const received: PositionedEvent[] = [];
      const subscription = store.subscribe({
        batchSize: 500,
        onEvents: async (events) => {
          received.push(...events);
          if (random.chance(0.1)) await sleep(2);
        },
      });
      await subscription.caughtUp;

      let remaining = totalEvents;
      let serial = 0;
      let conflicts = 0;
      const known = new Map<string, number>();
      const writer = async (w: number) => {
        while (remaining > 0) {
          const size = Math.min(remaining, random.int(1, 16));
          remaining -= size;
          const streamId = `${random.chance(0.5) ? 'problem' : 'wish'}-${random.int(0, streamCount - 1)}`;
          const batch: NewEvent[] = Array.from({ length: size }, () => {
            serial += 1;
            return {
              eventId: uuidFromName(`concurrency/${seed}/${serial}`),
              type: 'Thing',
              schemaVersion: 1,
              data: { n: serial, writer: w },
              occurredAt: new Date(1_700_000_000_000 + serial).toISOString(),
              actor: { personId: `writer-${w}`, role: 'system' },
              correlationId: `c-${serial}`,
              causationId: `c-${serial}`,
            };
          });
          // Half the writers append with the revision they last saw and re-read on conflict, as command
          // handling does; the other half append with "any".
          for (;;) {
            const expectedRevision = w % 2 === 0 ? 'any' : (known.get(streamId) ?? 'no_stream');
            try {
              const result = await store.append(streamId, batch, { expectedRevision });
              known.set(streamId, result.nextExpectedRevision);
              break;
            } catch (error) {
              if (!isBanshishiError(error) || error.rule !== 'store.wrong_expected_revision') throw error;
              conflicts += 1;
              const head = await store.streamHead(streamId);
              if (head === null) known.delete(streamId);
              else known.set(streamId, head.revision);
            }
          }
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
      const wrote = Date.now() - started;

      // However long the frontier is held back by other files' transactions, every event arrives; then a
      // moment more, in which a duplicate delivery would show up.
      while (received.length < totalEvents) await sleep(20);
      await sleep(200);
      await subscription.stop();
      console.log(
        `seed ${seed}: wrote ${totalEvents} events in ${wrote} ms (${conflicts} conflicts), delivered ${received.length}`,
      );

      expect(received).toHaveLength(totalEvents);
      expect(new Set(received.map((e) => e.eventId)).size).toBe(totalEvents);
      for (let i = 1; i < received.length; i++) {
        if (received[i]!.globalPosition <= received[i - 1]!.globalPosition) {
          throw new Error(
            `position went backwards at delivery ${i}: ${received[i - 1]!.globalPosition} then ${received[i]!.globalPosition}`,
          );
        }
      }
      const byStream = new Map<string, PositionedEvent[]>();
      for (const e of received) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      for (const [streamId, events] of byStream) {
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        const head = await store.streamHead(streamId);
        expect(verifyStream(streamId, events, head!)).toMatchObject({ ok: true });
      }
    } finally {
      await store.close();
      await dropSchema(pool, schema);
    }
  });
});
