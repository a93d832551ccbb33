// A demo campaign's log written straight into a PostgreSQL event store, for the crash test and the
// read-model benchmark: the events are the generator's (decided by the deciders), sealed into the same
// hash chain an append would make, and inserted a few thousand per statement. Appending command by
// command costs milliseconds each, and these need a hundred thousand to a million events in seconds.
import { categoryOf, type StreamHead, sealEvents } from '@banshishi/core';
import type { PGlite } from '@banshishi/read-models';
import { getPGliteEventStore, getPostgresEventStore } from '@banshishi/store-postgres';
import { type DemoManifest, generateDemoEvents } from '@banshishi/testkit';
import type pg from 'pg';

export interface DemoLog {
  readonly events: number;
  /** Undefined when the log was cut at `limit` before the campaign's end. */
  readonly manifest: DemoManifest | undefined;
}

export interface DemoLogOptions {
  readonly seed: number;
  readonly scale: number;
  /** Stop after this many events: a prefix of a valid history is a valid history. */
  readonly limit?: number;
}

export type DemoLogTarget = { readonly pool: pg.Pool } | { readonly pglite: PGlite };

export const loadDemoLog = async (target: DemoLogTarget, schema: string, options: DemoLogOptions): Promise<DemoLog> => {
  // Creates and migrates the store's schema.
  await ('pool' in target
    ? await getPostgresEventStore({ pool: target.pool, schema })
    : await getPGliteEventStore({ pglite: target.pglite, schema })
  ).close();
  const query = (text: string, params: unknown[] = []) =>
    'pool' in target ? target.pool.query(text, params) : target.pglite.query(text, params);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const heads = new Map<string, StreamHead & { category: string }>();
  const source = generateDemoEvents({ seed: options.seed, scale: options.scale, batchSize: 5000 });
  let written = 0;
  for (const batch of source) {
    const columns: unknown[][] = Array.from({ length: 14 }, () => []);
    for (const segment of batch) {
      if (written >= limit) break;
      const events = segment.events.slice(0, limit - written);
      const head = heads.get(segment.streamId) ?? null;
      const sealed = sealEvents(segment.streamId, head, events, events[0]!.occurredAt);
      for (const e of sealed) {
        const values = [
          e.streamId,
          e.revision,
          e.eventId,
          e.type,
          e.schemaVersion,
          JSON.stringify(e.data),
          e.occurredAt,
          e.recordedAt,
          JSON.stringify(e.actor),
          e.correlationId,
          e.causationId,
          e.prevHash,
          e.hash,
          categoryOf(e.streamId),
        ];
        for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]);
      }
      const last = sealed[sealed.length - 1]!;
      heads.set(segment.streamId, { revision: last.revision, hash: last.hash, category: categoryOf(last.streamId) });
      written += sealed.length;
    }
    await query(
      `INSERT INTO "${schema}".events (stream_id, revision, event_id, type, schema_version, data, occurred_at,
         recorded_at, actor, correlation_id, causation_id, prev_hash, hash, category)
       SELECT s, r, i::uuid, t, v, d::jsonb, o, rec, a::jsonb, c, ca, p, h, cat
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
              WITH ORDINALITY AS e(s, r, i, t, v, d, o, rec, a, c, ca, p, h, cat, ord)
        ORDER BY ord`,
      columns,
    );
    if (written >= limit) break;
  }
  const streams = [...heads];
  for (let i = 0; i < streams.length; i += 20_000) {
    const chunk = streams.slice(i, i + 20_000);
    await query(
      `INSERT INTO "${schema}".streams (stream_id, revision, hash, category)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
      [
        chunk.map(([id]) => id),
        chunk.map(([, h]) => h.revision),
        chunk.map(([, h]) => h.hash),
        chunk.map(([, h]) => h.category),
      ],
    );
  }
  // Statistics for the planner, as after any bulk load: without them a category read sorts the whole log.
  await query(`ANALYZE "${schema}".events`);
  return { events: written, manifest: written < limit ? source.manifest() : undefined };
};
