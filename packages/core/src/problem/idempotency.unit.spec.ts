// A claim sent twice (a mini-program retrying after a lost reply) must be stored once.

import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import { commandHandler } from '../handling/command-handler.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { type ClaimProblem, problemStreamIdOf, type SolicitProblem } from './commands.js';
import { problemDecider } from './decider.js';
import { problemRules } from './errors.js';
import { problemEventRegistry, problemStreamId } from './events.js';

const context: DecisionContext = {
  directory: directoryViewOf({
    units: [
      { unitId: 'street-a', name: '三里河街道', kind: 'street', parentId: null },
      { unitId: 'community-a1', name: '三里河社区', kind: 'community', parentId: 'street-a' },
    ],
    holdings: [
      { personId: 'sec-community-a1', role: 'secretary', unitId: 'community-a1', since: '2024-01-01' },
      { personId: 'sec-street-a', role: 'secretary', unitId: 'street-a', since: '2024-01-01' },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const solicit: SolicitProblem = {
  type: 'solicitProblem',
  data: {
    problemId: 'p-1',
    unitId: 'community-a1',
    source: 'resident',
    grade: 'minor',
    title: '井盖松动',
    raiser: { kind: 'resident', personId: 'resident-1' },
  },
  metadata: { actor: { personId: 'resident-1', role: 'resident' }, now: '2025-03-01T09:00:00+08:00' },
};
const claimBy = (personId: string): ClaimProblem => ({
  type: 'claimProblem',
  data: { problemId: 'p-1', plan: '联系市政更换', promisedBy: '2025-03-02' },
  metadata: { actor: { personId, role: 'secretary' }, now: '2025-03-01T10:00:00+08:00' },
});

const setUp = async () => {
  const store = getInMemoryEventStore();
  const handle = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: problemDecider,
    registry: problemEventRegistry,
    streamIdOf: problemStreamIdOf,
    context: async () => context,
  });
  await handle(solicit);
  return { store, handle };
};

describe('idempotent 领题', () => {
  it('the same claim sent twice with one idempotency key stores one set of events', async () => {
    const { store, handle } = await setUp();
    const first = await handle(claimBy('sec-community-a1'), { idempotencyKey: 'claim-req-42' });
    const second = await handle(claimBy('sec-community-a1'), { idempotencyKey: 'claim-req-42' });

    expect(E.isRight(first) && first.right.replayed).toBe(false);
    expect(E.isRight(second) && second.right.replayed).toBe(true);
    if (E.isLeft(first) || E.isLeft(second)) throw new Error('both sends should succeed');
    expect(second.right.events.map((e) => e.eventId)).toEqual(first.right.events.map((e) => e.eventId));

    const stream = await store.readStream(problemStreamId('p-1'));
    expect(stream.map((e) => e.type)).toEqual(['ProblemSolicited', 'ProblemClaimed']);
    expect(verifyStream(problemStreamId('p-1'), stream).ok).toBe(true);
  });

  it('without the key, the second claim is refused instead: one claimant at a time', async () => {
    const { store, handle } = await setUp();
    await handle(claimBy('sec-community-a1'));
    const second = await handle(claimBy('sec-street-a'));
    expect(second).toMatchObject(E.left({ code: 'conflict', rule: problemRules.claimAlreadyClaimed }));
    expect((await store.readStream(problemStreamId('p-1'))).length).toBe(2);
  });
});
