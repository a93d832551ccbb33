// The command API on a free loopback port over a small directory of its own (two districts, their units
// and one person per role), for specs that drive it over HTTP as a client app would. The directory is set
// up through command handling as `system`; everything after that goes through the API.
import type { Server } from 'node:http';
import {
  type Actor,
  commandHandler,
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  type EventStore,
  getInMemoryEventStore,
  getInMemorySubjectKeyStore,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  type SubjectKeyStore,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
} from '@banshishi/core';
import {
  freshnessOf,
  type OpenReadModels,
  openPglite,
  openReadModels,
  projectionList,
  runProjection,
} from '@banshishi/read-models';
import * as E from 'fp-ts/lib/Either.js';
import { pino } from 'pino';
import { createTokenVerifier, issueDevToken } from '../auth/tokens.js';
import { type ApiDeps, createApiApp } from '../http/app.js';
import { apiBase } from '../routes/command-routes.js';
import { closeServer, listen } from '../serve.js';

export const fixtureSecret = new TextEncoder().encode('a test secret of at least thirty-two bytes, for HS256');

type UnitKind = 'district' | 'street' | 'department' | 'community' | 'grid';
const units: readonly [id: string, name: string, kind: UnitKind, parent: string | null][] = [
  ['d1', '胶州市', 'district', null],
  ['d1-s1', '三里河街道', 'street', 'd1'],
  ['d1-s1-c1', '扬州路社区', 'community', 'd1-s1'],
  ['d1-s1-c1-g1', '扬州路社区第一网格', 'grid', 'd1-s1-c1'],
  ['d1-s1-c2', '郑州路社区', 'community', 'd1-s1'],
  ['d1-dept', '住房和城乡建设局', 'department', 'd1'],
  ['d2', '黄岛区', 'district', null],
  ['d2-s1', '辛安街道', 'street', 'd2'],
  ['d2-s1-c1', '辛安社区', 'community', 'd2-s1'],
];

type Kind = 'official' | 'resident' | 'enterprise';
/** One person per role the rules tell apart; `name` of a resident is personal data and sealed. */
const people: readonly [id: string, kind: Kind, name: string, roles: readonly [string, string][]][] = [
  ['office1', 'official', '王建国', [['office', 'd1']]],
  ['office2', 'official', '刘海涛', [['office', 'd2']]],
  ['sec-c1', 'official', '张丽', [['secretary', 'd1-s1-c1']]],
  ['sec-c2', 'official', '孙强', [['secretary', 'd1-s1-c2']]],
  ['sec-s1', 'official', '赵敏', [['secretary', 'd1-s1']]],
  ['sec-d2', 'official', '钱伟', [['secretary', 'd2-s1-c1']]],
  ['handler', 'official', '周杰', [['department_handler', 'd1-dept']]],
  ['grid1', 'official', '吴芳', [['grid_worker', 'd1-s1-c1-g1']]],
  ['member1', 'official', '郑华', [['member', 'd1']]],
  ['member2', 'official', '冯磊', [['member', 'd2']]],
  ['res1', 'resident', '李秀英', [['resident', 'd1-s1-c1']]],
  ['res2', 'resident', '陈桂兰', [['resident', 'd1-s1-c2']]],
  ['ent1', 'enterprise', '青岛海晨机械有限公司', [['enterprise', 'd1-s1']]],
  ['auditor1', 'official', '何静', [['auditor', 'd1']]],
  ['nobody', 'official', '林涛', []],
];

export const fixturePeople = people.map(([id]) => id);

const system: Actor = { personId: 'system', role: 'system' };

/** Sets the directory up on `store` as `system`, a day in the past so every role is held by now. */
export const setUpDirectory = async (store: EventStore, keys: SubjectKeyStore): Promise<void> => {
  const context = createDirectoryContextLoader(store);
  const personalData = createCorePersonalDataSealer({ keys });
  const unitHandler = commandHandler({
    store,
    decider: unitDecider,
    registry: unitEventRegistry,
    streamIdOf: unitStreamIdOf,
    context,
    personalData,
  });
  const personHandler = commandHandler({
    store,
    decider: personDecider,
    registry: personEventRegistry,
    streamIdOf: personStreamIdOf,
    context,
    personalData,
  });
  const now = new Date(Date.now() - 86_400_000).toISOString();
  // On PostgreSQL the loader reads below the subscription frontier, which any open transaction on the
  // server holds back for a moment: a unit registered a moment ago may not be visible to the next command.
  const must = async (issue: () => Promise<E.Either<{ rule: string; message: string }, unknown>>) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const done = await issue();
      if (E.isRight(done)) return;
      if (!done.left.rule.startsWith('directory.') || Date.now() > deadline)
        throw new Error(`setup refused: ${done.left.rule}: ${done.left.message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const metadata = { actor: system, now };
  for (const [unitId, name, kind, parentId] of units)
    await must(() => unitHandler({ type: 'registerUnit', data: { unitId, name, kind, parentId }, metadata } as never));
  for (const [personId, kind, name, roles] of people) {
    await must(() => personHandler({ type: 'registerPerson', data: { personId, kind, name }, metadata } as never));
    for (const [role, unitId] of roles)
      await must(() => personHandler({ type: 'grantRole', data: { personId, role, unitId }, metadata } as never));
  }
};

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export interface ApiFixture {
  readonly url: string;
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  readonly readModels: OpenReadModels;
  /** A bearer token for a person of the directory. */
  token(personId: string, claims?: { clientId?: string }): Promise<string>;
  /** A request as `personId` (or with no token for null), JSON in and out. */
  request(
    personId: string | null,
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; clientId?: string },
  ): Promise<ApiResponse>;
  /** Waits until the read models have applied everything in the store. */
  projected(): Promise<void>;
  close(): Promise<void>;
}

export const startApiFixture = async (
  options: {
    readonly store?: EventStore;
    /** The subject key store (default in memory): a PostgreSQL one for specs that check its rows. */
    readonly keys?: SubjectKeyStore;
    readonly overrides?: Partial<ApiDeps>;
    /** Read models in an in-memory PGlite, following the store live (the work lists need them). */
    readonly readModels?: boolean;
  } = {},
): Promise<ApiFixture> => {
  const store = options.store ?? getInMemoryEventStore();
  const keys = options.keys ?? getInMemorySubjectKeyStore();
  await setUpDirectory(store, keys);
  const pglite = await openPglite('memory://');
  const readModels = await openReadModels({ kind: 'pglite', pglite });
  const running =
    options.readModels === false
      ? []
      : projectionList.map((projection) => runProjection({ store, readModels, projection, batchSize: 500 }));
  await Promise.all(running.map((r) => r.caughtUp));
  // The log's head as main.ts reads it from PostgreSQL (logHead), here from any store, so the work lists
  // report their lag in events as in production rather than "unknown".
  const logHead = async () => {
    const { events } = await store.readAll({ limit: 1_000_000 });
    const last = events[events.length - 1];
    return last === undefined ? null : { position: last.globalPosition, recordedAt: last.recordedAt };
  };
  const app = createApiApp({
    store,
    keys,
    readModels,
    freshness: () => freshnessOf(readModels, logHead),
    verifyToken: createTokenVerifier({ keys: { kind: 'secret', secret: fixtureSecret } }),
    integrations: { 'grid-app': { maxBackdateMs: 72 * 3_600_000 } },
    logger: pino({ level: 'silent' }),
    limits: { bodyBytes: 64 * 1024, perAddressPerMinute: 1_000_000, perTokenPerMinute: 1_000_000 },
    ...options.overrides,
  });
  const { server, url } = await listen(app, 0, '127.0.0.1');
  const base = url.replace(/\/$/, '');
  const token = (personId: string, claims: { clientId?: string } = {}) =>
    issueDevToken(fixtureSecret, { personId, ...(claims.clientId === undefined ? {} : { clientId: claims.clientId }) });
  const tokens = new Map<string, string>();
  return {
    url: base,
    store,
    keys,
    readModels,
    token,
    async request(personId, method, path, { body, headers = {}, clientId } = {}) {
      const key = `${personId}/${clientId ?? ''}`;
      if (personId !== null && !tokens.has(key))
        tokens.set(key, await token(personId, clientId === undefined ? {} : { clientId }));
      const response = await fetch(
        `${base}${path.startsWith('/api') || path.startsWith('/open') ? '' : apiBase}${path}`,
        {
          method,
          headers: {
            ...(personId === null ? {} : { authorization: `Bearer ${tokens.get(key)}` }),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        },
      );
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: the text is the answer.
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async projected() {
      const head = await store.readAll({ limit: 1_000_000 });
      const last = head.events[head.events.length - 1]?.globalPosition ?? 0;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const f = await freshnessOf(readModels, async () => ({ position: last, recordedAt: new Date().toISOString() }));
        if (f.lagEvents === 0 || Date.now() > deadline) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await closeServer(server as Server);
      await Promise.all(running.map((r) => r.stop()));
      await readModels.close();
      await pglite.close();
    },
  };
};
