// The same audit commands against EventStoreDB: verify, history and state through the port, from a server
// holding the demo campaign. No server runs where the suite usually runs (CI has no Docker), so this file is
// skipped, loudly, unless ESDB_CONNECTION_STRING points at one (docs/event-store-esdb.md says how to start one).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getEventStoreDBEventStore } from '@banshishi/store-esdb';
import { demoHistory } from '@banshishi/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

const url = process.env.ESDB_CONNECTION_STRING;
if (!url) {
  console.warn(
    'audit against EventStoreDB SKIPPED: ESDB_CONNECTION_STRING is not set ' +
      "(e.g. ESDB_CONNECTION_STRING='esdb://localhost:2113?tls=false'; see docs/event-store-esdb.md)",
  );
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);
const namespace = `audit${randomUUID().replaceAll('-', '')}`;

const audit = async (...args: string[]) => {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, EVENTS_URL: url!, ESDB_NAMESPACE: namespace, DATABASE_URL: '' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
};

describe.skipIf(!url)('audit commands against EventStoreDB', () => {
  let events: number;
  let problem: string;
  beforeAll(async () => {
    const history = await demoHistory(2, 200);
    const store = getEventStoreDBEventStore({ connectionString: url! }, { namespace });
    try {
      for (const streamId of new Set(history.events.map((e) => e.streamId))) {
        const original = await history.store.readStream(streamId);
        await store.append(
          streamId,
          original.map(({ eventId, type, schemaVersion, data, occurredAt, actor, correlationId, causationId }) => ({
            eventId,
            type,
            schemaVersion,
            data,
            occurredAt,
            actor,
            correlationId,
            causationId,
          })),
          { expectedRevision: 'no_stream' },
        );
      }
    } finally {
      await store.close();
    }
    events = history.events.length;
    problem = history.events.find((e) => e.type === 'ProblemClosed')!.streamId;
  }, 120_000);

  it('verify finds nothing in the untouched demo', async () => {
    const { code, stdout } = await audit('verify', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ events, findings: [] });
  });

  it('history verifies the stream and tells it; state folds it', async () => {
    const history = await audit('history', problem, '--json');
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ streamId: problem, verified: true });
    const state = await audit('state', problem, '--as-of', '2099-01-01T00:00:00Z', '--json');
    expect(JSON.parse(state.stdout).state.status).toBe('closed');
  });
});
