// The auditor's reads on PostgreSQL and PGlite: every stream of both tables once, its events in revision
// order across page boundaries, and each row's place against the read frontier as stored, including the
// rows that every other reader skips.
import { type NewEvent, uuidFromName } from '@banshishi/core';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditStream, getPGliteAuditLog, getPostgresAuditLog, type SqlAuditLog } from './audit-read.js';
import type { SqlEventStore } from './event-store.js';
import { getPGliteEventStore, getPostgresEventStore } from './postgres.js';

let counter = 0;
const event = (): NewEvent => {
  counter += 1;
  return {
    eventId: uuidFromName(`audit-read-spec/${Date.now()}/${counter}`),
    type: 'Thing',
    schemaVersion: 1,
    data: { n: counter },
    occurredAt: '2024-05-01T00:00:00.000Z',
    actor: { personId: 'p-1', role: 'system' },
    correlationId: 'c',
    causationId: 'c',
  };
};

interface Backend {
  readonly name: string;
  store(schema: string): Promise<SqlEventStore>;
  streams(schema: string, pageSize: number): Promise<{ streams: AuditStream[]; xmax: string }>;
  /** An audit log over the spec's own pool or instance, which its close leaves open. */
  log(schema: string, pageSize: number): Promise<SqlAuditLog>;
  sql(text: string): Promise<unknown>;
}

let pool: pg.Pool;
let pglite: PGlite;
const schemas: string[] = [];
beforeAll(async () => {
  pool = await connectTestDatabase({ max: 4 });
  pglite = await PGlite.create();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema).catch(() => {});
  await pool.end();
  await pglite.close();
});

const collect = async (log: Awaited<ReturnType<typeof getPGliteAuditLog>>) => {
  const streams: AuditStream[] = [];
  try {
    const { xmax } = await log.eachStream((s) => {
      streams.push(s);
    });
    return { streams, xmax };
  } finally {
    await log.close();
  }
};

const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    store: (schema) => getPostgresEventStore({ pool, schema }),
    streams: (schema, pageSize) => collect(getPostgresAuditLog({ pool, schema, pageSize })),
    log: async (schema, pageSize) => getPostgresAuditLog({ pool, schema, pageSize }),
    sql: (text) => pool.query(text),
  },
  {
    name: 'PGlite',
    store: (schema) => getPGliteEventStore({ pglite, schema }),
    streams: async (schema, pageSize) => collect(await getPGliteAuditLog({ pglite, schema, pageSize })),
    log: (schema, pageSize) => getPGliteAuditLog({ pglite, schema, pageSize }),
    sql: (text) => pglite.query(text),
  },
];

describe.each(backends)('audit reads on $name', (backend) => {
  const fresh = async () => {
    const schema = freshSchemaName('audit_read');
    schemas.push(schema);
    const store = await backend.store(schema);
    await store.append('problem-a', [event(), event(), event()], { expectedRevision: 'no_stream' });
    await store.append('wish-b', [event()], { expectedRevision: 'no_stream' });
    await store.append('problem-a', [event(), event()], { expectedRevision: 2 });
    await store.close();
    return schema;
  };

  it('the audit visits each stream once, its events in revision order, however the pages cut them', async () => {
    const schema = await fresh();
    for (const pageSize of [1, 2, 5000]) {
      const { streams } = await backend.streams(schema, pageSize);
      expect(streams.map((s) => [s.streamId, s.events.map((e) => e.revision), s.head?.revision])).toEqual([
        ['problem-a', [0, 1, 2, 3, 4], 4],
        ['wish-b', [0], 0],
      ]);
      expect(streams.flatMap((s) => s.events.map((e) => e.category))).toEqual(
        [...'aaaaa'].map(() => 'problem').concat('wish'),
      );
    }
  });

  it('the audit visits streams that only the heads table knows, and events that have no head', async () => {
    const schema = await fresh();
    await backend.sql(`DELETE FROM "${schema}".events WHERE stream_id = 'wish-b'`);
    await backend.sql(`DELETE FROM "${schema}".streams WHERE stream_id = 'problem-a'`);
    const { streams } = await backend.streams(schema, 2);
    expect(streams.map((s) => [s.streamId, s.events.length, s.head?.revision ?? null])).toEqual([
      ['problem-a', 5, null],
      ['wish-b', 0, 0],
    ]);
  });

  it('the audit counts the events and the streams it visits, those of one table only among them', async () => {
    const schema = await fresh();
    const log = await backend.log(schema, 5000);
    try {
      expect(await log.count()).toEqual({ events: 6, streams: 2 });
      await backend.sql(`DELETE FROM "${schema}".events WHERE stream_id = 'wish-b'`);
      await backend.sql(`DELETE FROM "${schema}".streams WHERE stream_id = 'problem-a'`);
      await backend.sql(`INSERT INTO "${schema}".streams (stream_id, revision, hash, category)
                         VALUES ('unit-c', 0, repeat('0', 64), 'unit')`);
      const visited: string[] = [];
      await log.eachStream((s) => {
        visited.push(s.streamId);
      });
      expect(await log.count()).toEqual({ events: 5, streams: visited.length });
      expect(visited).toEqual(['problem-a', 'unit-c', 'wish-b']);
    } finally {
      await log.close();
    }
  });

  it('a visit that throws ends the read with its error while the next page is in flight, and the log reads again', async () => {
    const schema = await fresh();
    const log = await backend.log(schema, 1);
    try {
      await expect(
        log.eachStream(() => {
          throw new Error('the auditor stopped');
        }),
      ).rejects.toThrow('the auditor stopped');
      const visited: string[] = [];
      await log.eachStream((s) => {
        visited.push(`${s.streamId}:${s.events.length}`);
      });
      expect(visited).toEqual(['problem-a:5', 'wish-b:1']);
    } finally {
      await log.close();
    }
  });

  it('the audit reads one stream as eachStream sees it: hidden rows included, a head without events, nothing at all', async () => {
    const schema = await fresh();
    await backend.sql(
      `UPDATE "${schema}".events SET tx_id = (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8
        WHERE stream_id = 'problem-a' AND revision = 4`,
    );
    await backend.sql(`DELETE FROM "${schema}".events WHERE stream_id = 'wish-b'`);
    const log = await backend.log(schema, 2);
    try {
      const all: Record<string, unknown> = {};
      await log.eachStream((s) => {
        all[s.streamId] = s;
      });
      const one = await log.stream('problem-a');
      expect(one).toEqual(all['problem-a']);
      expect(one.events.map((e) => e.frontier)).toEqual(['final', 'final', 'final', 'final', 'future']);
      expect(await log.stream('wish-b')).toMatchObject({ events: [], head: { revision: 0 } });
      expect(await log.stream('wish-b')).toEqual(all['wish-b']);
      expect(await log.stream('problem-none')).toEqual({ streamId: 'problem-none', events: [], head: null });
    } finally {
      await log.close();
    }
  });

  it('the audit reads rows whose transaction id lies beyond any the server has assigned, and marks them future', async () => {
    const schema = await fresh();
    await backend.sql(
      `UPDATE "${schema}".events SET tx_id = (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8
        WHERE stream_id = 'wish-b'`,
    );
    const store = await backend.store(schema);
    const visible = await store.readAll({});
    await store.close();
    expect(visible.events.some((e) => e.streamId === 'wish-b')).toBe(false);
    const { streams, xmax } = await backend.streams(schema, 5000);
    const wish = streams.find((s) => s.streamId === 'wish-b')!;
    expect(wish.events.map((e) => e.frontier)).toEqual(['future']);
    expect(BigInt(wish.events[0]!.txId)).toBeGreaterThanOrEqual(BigInt(xmax));
    expect(streams.find((s) => s.streamId === 'problem-a')!.events.every((e) => e.frontier !== 'future')).toBe(true);
  });
});

describe('audit reads on PostgreSQL while a transaction is open', () => {
  it('a row held back by a real open transaction is pending, not future', async () => {
    const schema = freshSchemaName('audit_read');
    schemas.push(schema);
    const store = await getPostgresEventStore({ pool, schema });
    const open = await pool.connect();
    try {
      // An older transaction with an id holds the frontier below everything appended after it.
      await open.query('BEGIN');
      await open.query('SELECT pg_current_xact_id()');
      await store.append('problem-late', [event()], { expectedRevision: 'no_stream' });
      const { streams } = await collect(getPostgresAuditLog({ pool, schema }));
      expect(streams.map((s) => [s.streamId, s.events.map((e) => e.frontier)])).toEqual([
        ['problem-late', ['pending']],
      ]);
    } finally {
      await open.query('ROLLBACK');
      open.release();
      await store.close();
    }
  });
});
