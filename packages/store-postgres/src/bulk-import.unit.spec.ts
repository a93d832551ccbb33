// The bulk loader on PGlite, the embedded default: the same loader as on PostgreSQL, over the store's
// executor. A log cut mid-campaign must still be one an append could have made — heads, chains, positions —
// and the planner must have statistics for it before anyone reads it.
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore, verifyStream } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkLoadDemo } from './bulk-import.js';
import { pgliteExecutor } from './executor.js';
import { getPGliteEventStore } from './postgres.js';

const pglite = await PGlite.create();
afterAll(() => pglite.close());

describe('bulk loading the demo into PGlite', () => {
  it('stores a log cut at the limit with consistent heads and chains, analyzed, and append continues it', async () => {
    const schema = 'bulk_pglite';
    const result = await bulkLoadDemo(generateDemoEvents({ seed: 3, scale: 6_000 }), {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      executor: pgliteExecutor(pglite),
      schema,
      limit: 4_321,
      eventsPerTransaction: 1_000,
      rowsPerStatement: 400,
    });
    expect(result.events).toBe(4_321);
    const { rows: counted } = await pglite.query<{ n: number; last: number }>(
      `SELECT count(*)::int AS n, max(global_position)::int AS last FROM "${schema}".events`,
    );
    expect(counted[0]).toEqual({ n: 4_321, last: 4_321 });
    const { rows: mismatched } = await pglite.query(
      `SELECT s.stream_id FROM "${schema}".streams s
         LEFT JOIN (SELECT stream_id, max(revision) AS revision, count(*) AS n FROM "${schema}".events GROUP BY stream_id) e
           ON e.stream_id = s.stream_id
        WHERE e.revision IS DISTINCT FROM s.revision OR e.n <> s.revision + 1
           OR s.hash <> (SELECT hash FROM "${schema}".events x WHERE x.stream_id = s.stream_id AND x.revision = s.revision)`,
    );
    expect(mismatched).toEqual([]);
    const { rows: streams } = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".streams`);
    expect(streams[0]!.n).toBe(result.streams);
    const { rows: analyzed } = await pglite.query<{ tablename: string }>(
      'SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = $1 ORDER BY tablename',
      [schema],
    );
    expect(analyzed.map((r) => r.tablename)).toEqual(['events', 'streams']);

    const store = await getPGliteEventStore({ pglite, schema, migrate: false });
    try {
      const { rows: sample } = await pglite.query<{ stream_id: string }>(
        `SELECT stream_id FROM "${schema}".streams ORDER BY md5(stream_id) LIMIT 20`,
      );
      for (const { stream_id: streamId } of sample) {
        const head = await store.streamHead(streamId);
        expect(verifyStream(streamId, await store.readStream(streamId), head ?? undefined).ok, streamId).toBe(true);
      }
      const streamId = sample[0]!.stream_id;
      const [last] = (await store.readStream(streamId)).slice(-1);
      const { type, schemaVersion, data, occurredAt, actor, correlationId, causationId } = last!;
      const again = {
        eventId: crypto.randomUUID(),
        type,
        schemaVersion,
        data,
        occurredAt,
        actor,
        correlationId,
        causationId,
      };
      const appended = await store.append(streamId, [again], { expectedRevision: last!.revision });
      expect(appended).toMatchObject({ nextExpectedRevision: last!.revision + 1, lastPosition: 4_322 });
      expect(verifyStream(streamId, await store.readStream(streamId), (await store.streamHead(streamId))!).ok).toBe(
        true,
      );
    } finally {
      await store.close();
    }
  });
});
