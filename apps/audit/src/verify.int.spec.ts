// What `verify` finds after a malicious operator edits the event store's tables with SQL and leaves the
// recorded heads alone: each tampering on the real PostgreSQL and on embedded PGlite, with the kind of
// finding an auditor gets for it.
import { randomBytes } from 'node:crypto';
import { type NewEvent, uuidFromName } from '@banshishi/core';
import { openPglite, type PGlite, pgPool } from '@banshishi/read-models';
import {
  type AuditLog,
  getPGliteAuditLog,
  getPGliteEventStore,
  getPostgresAuditLog,
  getPostgresEventStore,
  type SqlEventStore,
} from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditReport, verifyEventLog } from './verify.js';

interface Opened {
  readonly store: SqlEventStore;
  readonly schema: string;
  sql(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  audit(): Promise<AuditReport>;
}

interface Backend {
  readonly name: string;
  open(schema: string): Promise<Opened>;
  drop(schema: string): Promise<void>;
  end(): Promise<void>;
}

const auditWith = async (log: AuditLog): Promise<AuditReport> => {
  try {
    return await verifyEventLog(log);
  } finally {
    await log.close();
  }
};

const postgres = (): Backend => {
  let pool: ReturnType<typeof pgPool> | null = null;
  const admin = () => {
    pool ??= pgPool({ connectionString: databaseUrl, max: 2 });
    return pool;
  };
  return {
    name: 'PostgreSQL',
    async open(schema) {
      const store = await getPostgresEventStore({ connectionString: databaseUrl, schema });
      return {
        store,
        schema,
        sql: async (text, params = []) => (await admin().query(text, params as unknown[])).rows,
        audit: () => auditWith(getPostgresAuditLog({ connectionString: databaseUrl, schema })),
      };
    },
    async drop(schema) {
      await admin().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
    async end() {
      await pool?.end();
    },
  };
};

const pglite = (): Backend => {
  let database: Promise<PGlite> | null = null;
  const db = () => {
    database ??= openPglite();
    return database;
  };
  return {
    name: 'PGlite',
    async open(schema) {
      const instance = await db();
      const store = await getPGliteEventStore({ pglite: instance, schema });
      return {
        store,
        schema,
        sql: async (text, params = []) => (await instance.query<Record<string, unknown>>(text, [...params])).rows,
        audit: async () => auditWith(await getPGliteAuditLog({ pglite: instance, schema })),
      };
    },
    async drop(schema) {
      await (await db()).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
    async end() {
      if (database !== null) await (await database).close();
    },
  };
};

let counter = 0;
const noted = (problemId: string, data: unknown = undefined, type = 'ProblemProgressNoted'): NewEvent => {
  counter += 1;
  return {
    eventId: uuidFromName(`verify-spec/${Date.now()}/${counter}`),
    type,
    schemaVersion: 1,
    data: data ?? { problemId, note: `进展 ${counter}` },
    occurredAt: '2025-03-01T09:00:00+08:00',
    actor: { personId: 'sec-1', role: 'secretary', unitId: 'u-1' },
    correlationId: 'c',
    causationId: 'c',
  };
};

describe.each([postgres(), pglite()])('verify on $name', (backend) => {
  let log: Opened;
  const schemas: string[] = [];
  const events = () => `"${log.schema}".events`;
  const streams = () => `"${log.schema}".streams`;
  const kinds = async () =>
    (await log.audit()).findings.map(({ kind, streamId, revision }) => ({ kind, streamId, revision }));
  const positionOf = async (streamId: string, revision: number) =>
    Number(
      (
        await log.sql(`SELECT global_position FROM ${events()} WHERE stream_id = $1 AND revision = $2`, [
          streamId,
          revision,
        ])
      )[0]!.global_position,
    );

  beforeEach(async () => {
    if (log !== undefined) await log.store.close();
    const schema = `test_verify_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    log = await backend.open(schema);
    await log.store.append(
      'problem-a',
      [0, 1, 2, 3].map(() => noted('a')),
      { expectedRevision: 'no_stream' },
    );
    await log.store.append('problem-b', [noted('b'), noted('b')], { expectedRevision: 'no_stream' });
    await log.store.append('wish-c', [noted('c', { wishId: 'c', memberId: 'm-1', reason: null }, 'WishReleased')], {
      expectedRevision: 'no_stream',
    });
  });
  afterAll(async () => {
    await log?.store.close();
    for (const schema of schemas) await backend.drop(schema);
    await backend.end();
  });

  it('verify reports a stream whose every event was deleted', async () => {
    await log.sql(`DELETE FROM ${events()} WHERE stream_id = 'problem-b'`);
    expect(await kinds()).toEqual([{ kind: 'missing_events', streamId: 'problem-b', revision: 0 }]);
  });

  it('verify reports a stream whose events have no recorded head', async () => {
    await log.sql(`DELETE FROM ${streams()} WHERE stream_id = 'problem-b'`);
    expect(await kinds()).toEqual([{ kind: 'missing_head', streamId: 'problem-b', revision: 1 }]);
  });

  it('verify reports events the read frontier hides behind a transaction id the server never assigned', async () => {
    await log.sql(
      `UPDATE ${events()} SET tx_id = (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8
        WHERE stream_id = 'problem-b'`,
    );
    expect(await kinds()).toEqual([
      { kind: 'future_transaction', streamId: 'problem-b', revision: 0 },
      { kind: 'future_transaction', streamId: 'problem-b', revision: 1 },
    ]);
  });

  it('verify reports global positions that do not ascend with revisions inside a stream', async () => {
    // Identity columns refuse an UPDATE, so the operator deletes both rows and inserts them again with
    // each other's position.
    const [p1, p2] = [await positionOf('problem-a', 1), await positionOf('problem-a', 2)];
    await log.sql(
      `CREATE TEMP TABLE swapped AS SELECT * FROM ${events()} WHERE stream_id = 'problem-a' AND revision IN (1, 2)`,
    );
    await log.sql(`DELETE FROM ${events()} WHERE stream_id = 'problem-a' AND revision IN (1, 2)`);
    await log.sql(
      `UPDATE swapped SET global_position = CASE global_position WHEN $1::bigint THEN $2::bigint ELSE $1::bigint END`,
      [p1, p2],
    );
    await log.sql(`INSERT INTO ${events()} OVERRIDING SYSTEM VALUE SELECT * FROM swapped`);
    await log.sql('DROP TABLE swapped');
    expect((await log.audit()).findings).toEqual([
      expect.objectContaining({ kind: 'position_order', streamId: 'problem-a', revision: 2, position: p1 }),
    ]);
  });

  it('verify reports two events that swapped places in a stream as a broken link', async () => {
    await log.sql(`UPDATE ${events()} SET revision = 1000 WHERE stream_id = 'problem-a' AND revision = 1`);
    await log.sql(`UPDATE ${events()} SET revision = 1 WHERE stream_id = 'problem-a' AND revision = 2`);
    await log.sql(`UPDATE ${events()} SET revision = 2 WHERE stream_id = 'problem-a' AND revision = 1000`);
    // The chain is read in revision order, so a swap is a link that does not match (never a revision gap);
    // the positions, which moved with the rows, now run backwards too.
    expect(await kinds()).toEqual([
      { kind: 'broken_link', streamId: 'problem-a', revision: 1 },
      { kind: 'position_order', streamId: 'problem-a', revision: 2 },
    ]);
  });

  it('verify reports an event whose category does not match its stream id', async () => {
    await log.sql(`UPDATE ${events()} SET category = 'wish' WHERE stream_id = 'problem-a' AND revision = 3`);
    expect(await kinds()).toEqual([{ kind: 'wrong_category', streamId: 'problem-a', revision: 3 }]);
  });

  it('verify reports a recorded head whose category does not match its stream id', async () => {
    await log.sql(`UPDATE ${streams()} SET category = 'problem' WHERE stream_id = 'wish-c'`);
    expect(await kinds()).toEqual([{ kind: 'wrong_category', streamId: 'wish-c', revision: 0 }]);
  });

  it('verify reports an edited payload that no longer decodes, besides its hash', async () => {
    await log.sql(
      `UPDATE ${events()} SET data = jsonb_set(data, '{note}', '42') WHERE stream_id = 'problem-a' AND revision = 1`,
    );
    expect(await kinds()).toEqual([
      { kind: 'hash_mismatch', streamId: 'problem-a', revision: 1 },
      { kind: 'undecodable_event', streamId: 'problem-a', revision: 1 },
    ]);
  });

  it('verify reports an event that does not decode even when its hash chain verifies', async () => {
    await log.store.append('problem-a', [noted('a', { problemId: 'a', note: 42 })], { expectedRevision: 3 });
    expect(await kinds()).toEqual([{ kind: 'undecodable_event', streamId: 'problem-a', revision: 4 }]);
  });

  it('verify reports an event type that no registry knows', async () => {
    await log.store.append('problem-b', [noted('b', { problemId: 'b' }, 'ProblemTeleported')], {
      expectedRevision: 1,
    });
    expect(await kinds()).toEqual([{ kind: 'unknown_event_type', streamId: 'problem-b', revision: 2 }]);
  });

  it('verify reads the wish-claim ledger (领梦 quota reservations) as a known lifecycle', async () => {
    await log.store.append(
      'wishclaims-m-1',
      [
        noted(
          'c',
          { memberId: 'm-1', wishId: 'c', wishRevision: 0, holding: [{ wishId: 'c', wishRevision: 0 }] },
          'WishClaimReserved',
        ),
      ],
      { expectedRevision: 'no_stream' },
    );
    expect(await kinds()).toEqual([]);
  });

  it('verify finds nothing in an untouched log and counts every stream and event', async () => {
    const report = await log.audit();
    expect(report).toMatchObject({ streams: 3, events: 7, findings: [] });
  });
});
