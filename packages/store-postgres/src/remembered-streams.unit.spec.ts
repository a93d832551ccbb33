// The command handler's remembered streams over the SQL store, on PGlite: two store instances on one schema
// stand for two processes, each with its own head cache and its own handler. What one appends, the other's
// remembered state does not know; the one-statement append must find out, and nothing may be lost.
import {
  commandHandler,
  createCorePersonalDataSealer,
  type DecisionContext,
  directoryViewOf,
  getInMemorySubjectKeyStore,
  type ProblemCommand,
  problemDecider,
  problemEventRegistry,
  problemStreamId,
  problemStreamIdOf,
  verifyStream,
} from '@banshishi/core';
import { PGlite } from '@electric-sql/pglite';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSqlEventStore, type SqlEventStore } from './event-store.js';
import { pgliteExecutor } from './executor.js';

const context: DecisionContext = {
  directory: directoryViewOf({
    units: [
      { unitId: 'district', name: '胶州市', kind: 'district', parentId: null },
      { unitId: 'street', name: '街道', kind: 'street', parentId: 'district' },
      { unitId: 'community', name: '社区', kind: 'community', parentId: 'street' },
      { unitId: 'grid', name: '网格', kind: 'grid', parentId: 'community' },
    ],
    holdings: [
      { personId: 'secretary-1', role: 'secretary', unitId: 'community', since: '2024-01-01' },
      { personId: 'resident-1', role: 'resident', unitId: 'grid', since: '2024-01-01' },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const now = '2025-03-03T09:00:00+08:00';
const resident = { metadata: { actor: { personId: 'resident-1', role: 'resident' as const }, now } };
const secretary = { metadata: { actor: { personId: 'secretary-1', role: 'secretary' as const }, now } };
const problemId = 'remembered-1';
const solicit: ProblemCommand = {
  type: 'solicitProblem',
  data: {
    problemId,
    unitId: 'grid',
    source: 'resident',
    grade: 'small',
    title: '楼道灯不亮',
    description: '三号楼二单元楼道灯坏了',
    category: 'infrastructure',
    raiser: { kind: 'resident', personId: 'resident-1', name: '居民', phone: '13800000000', address: '三号楼' },
  },
  ...resident,
};
const claim: ProblemCommand = {
  type: 'claimProblem',
  data: { problemId, plan: '联系物业更换灯具', promisedBy: '2025-03-10' },
  ...secretary,
};
const note = (text: string): ProblemCommand => ({
  type: 'noteProblemProgress',
  data: { problemId, note: text },
  ...secretary,
});

let pglite: PGlite;
let stores: SqlEventStore[];
beforeAll(async () => {
  pglite = await PGlite.create();
  const first = await getSqlEventStore(pgliteExecutor(pglite), { schema: 'remembered' });
  stores = [first, await getSqlEventStore(pgliteExecutor(pglite), { schema: 'remembered', migrate: false })];
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await pglite.close();
});

describe('remembered streams over the SQL event store, two processes on one log', () => {
  it("a command decided on a state the other process has moved on is decided again on the stream as read: the other's event stays, ours follows it, the chain verifies", async () => {
    const sealer = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
    const handlerOver = (store: SqlEventStore) =>
      commandHandler({
        personalData: sealer,
        store,
        decider: problemDecider,
        registry: problemEventRegistry,
        streamIdOf: problemStreamIdOf,
        context: async () => context,
      });
    const ours = handlerOver(stores[0]!);
    const theirs = handlerOver(stores[1]!);
    expect(E.isRight(await ours(solicit))).toBe(true);
    // The other process claims it; ours still remembers the problem unclaimed, where progress is refused.
    expect(E.isRight(await theirs(claim))).toBe(true);
    const progress = await ours(note('已联系物业'));
    expect(E.isRight(progress) && progress.right.nextExpectedRevision).toBe(2);
    // Ours now remembers the stream as it is, and the other process finds out in turn.
    expect(E.isRight(await theirs(note('灯具已订购')))).toBe(true);
    expect(E.isRight(await ours(note('已更换')))).toBe(true);

    const stream = await stores[0]!.readStream(problemStreamId(problemId));
    expect(stream.map((e) => e.type)).toEqual([
      'ProblemSolicited',
      'ProblemClaimed',
      'ProblemProgressNoted',
      'ProblemProgressNoted',
      'ProblemProgressNoted',
    ]);
    expect(verifyStream(problemStreamId(problemId), stream).ok).toBe(true);
  });
});
