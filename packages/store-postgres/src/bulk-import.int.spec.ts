// The bulk path against a real PostgreSQL: ~50,000 generated events loaded in large transactions must be
// indistinguishable from appended ones — counts per type, one head per stream, intact chains — and the
// store's own command handling must carry on any loaded stream. Runs in a schema of its own, dropped after.
import { randomBytes } from 'node:crypto';
import {
  commandHandler,
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  getInMemorySubjectKeyStore,
  type NoteProblemProgress,
  problemDecider,
  problemEventRegistry,
  problemStreamIdOf,
  verifyStream,
} from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { connectTestDatabase } from '@banshishi/testkit/postgres';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkLoadDemo } from './bulk-import.js';
import { getPostgresEventStore } from './postgres.js';

const schema = `demo_bulk_${randomBytes(4).toString('hex')}`;
const pool = await connectTestDatabase({ max: 4 });

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('bulk loading the demo into PostgreSQL', () => {
  it('stores every generated event with consistent heads and chains, and append continues a loaded stream', async () => {
    const source = generateDemoEvents({ seed: 7, scale: 50_000 });
    const result = await bulkLoadDemo(source, {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool,
      schema,
      eventsPerTransaction: 10_000,
    });
    const manifest = source.manifest();
    expect(result.events).toBe(manifest.events.total);
    expect(result.events).toBeGreaterThan(42_000);
    expect(result.streams).toBe(manifest.streams);

    const byType = await pool.query<{ type: string; n: string }>(
      `SELECT type, count(*) AS n FROM "${schema}".events GROUP BY type`,
    );
    expect(Object.fromEntries(byType.rows.map((r) => [r.type, Number(r.n)]))).toEqual(manifest.events.byType);
    // The streams table says, for every stream, exactly where its last event is.
    const mismatched = await pool.query(
      `SELECT s.stream_id FROM "${schema}".streams s
         LEFT JOIN (SELECT stream_id, max(revision) AS revision, count(*) AS n FROM "${schema}".events GROUP BY stream_id) e
           ON e.stream_id = s.stream_id
        WHERE e.revision IS DISTINCT FROM s.revision OR e.n <> s.revision + 1
           OR s.hash <> (SELECT hash FROM "${schema}".events x WHERE x.stream_id = s.stream_id AND x.revision = s.revision)`,
    );
    expect(mismatched.rows).toEqual([]);
    expect(Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".streams`)).rows[0].n)).toBe(
      manifest.streams,
    );

    const store = await getPostgresEventStore({ pool, schema, migrate: false });
    try {
      const sample = await pool.query<{ stream_id: string }>(
        `SELECT stream_id FROM "${schema}".streams ORDER BY md5(stream_id) LIMIT 60`,
      );
      for (const { stream_id: streamId } of sample.rows) {
        const head = await store.streamHead(streamId);
        const verification = verifyStream(streamId, await store.readStream(streamId), head ?? undefined);
        expect(verification.ok, streamId).toBe(true);
      }
      // Global order is business order: the log reads back in the order it was generated.
      const first = await store.readAll({ limit: 5000 });
      const times = first.events.map((e) => Date.parse(e.occurredAt));
      expect(times.every((time, i) => i === 0 || time >= times[i - 1]!)).toBe(true);

      // A problem still in work when the clock stopped: its claimant notes progress through the store's
      // ordinary command handling, on top of the bulk-loaded chain.
      const open = await pool.query<{ stream_id: string }>(
        `SELECT e.stream_id FROM "${schema}".events e JOIN "${schema}".streams s USING (stream_id)
          WHERE e.type = 'ProblemClaimed' AND e.category = 'problem'
            AND NOT EXISTS (SELECT 1 FROM "${schema}".events x WHERE x.stream_id = e.stream_id
                              AND x.type IN ('ProblemSolved', 'ProblemEscalated', 'ProblemClosed'))
          ORDER BY e.global_position LIMIT 1`,
      );
      const streamId = open.rows[0]!.stream_id;
      const before = (await store.streamHead(streamId))!;
      const events = await store.readStream(streamId);
      const claimed = events.find((e) => e.type === 'ProblemClaimed')!;
      const handle = commandHandler({
        personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
        store,
        decider: problemDecider,
        registry: problemEventRegistry,
        streamIdOf: problemStreamIdOf,
        context: createDirectoryContextLoader(store),
      });
      const note: NoteProblemProgress = {
        type: 'noteProblemProgress',
        data: { problemId: (claimed.data as { problemId: string }).problemId, note: '已协调施工队，下周进场' },
        metadata: { actor: claimed.actor, now: '2022-01-05T10:00:00+08:00' },
      };
      const noted = await handle(note);
      if (E.isLeft(noted)) throw new Error(noted.left.message);
      const after = await store.streamHead(streamId);
      expect(after?.revision).toBe(before.revision + 1);
      expect(verifyStream(streamId, await store.readStream(streamId), after!).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
