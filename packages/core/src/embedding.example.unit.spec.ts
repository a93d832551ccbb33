// How an intake app embeds the core, as a test so the example cannot rot: decode an untrusted body,
// hand the command to the handler, read back the event stream and verify its hash chain.

import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  commandHandler,
  type DecisionContext,
  decodeWith,
  directoryViewOf,
  getInMemoryEventStore,
  problemDecider,
  problemEventRegistry,
  problemStreamIdOf,
  SolicitProblemData,
  verifyStream,
} from './index.js';
import { createCorePersonalDataSealer } from './personal-data.js';
import { getInMemorySubjectKeyStore } from './privacy/key-store.js';

// The directory as the app knows it: 胶州市 → 九龙街道 → 青年社区, with the community's secretary.
const directory = directoryViewOf({
  units: [
    { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'jiulong', name: '九龙街道', kind: 'street', parentId: 'jiaozhou' },
    { unitId: 'qingnian', name: '青年社区', kind: 'community', parentId: 'jiulong' },
  ],
  holdings: [
    { personId: 'sec-wang', role: 'secretary', unitId: 'qingnian', since: '2021-01-01' },
    { personId: 'res-li', role: 'resident', unitId: 'qingnian', since: '2021-01-01' },
  ],
});
const context: DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };

describe('embedding @banshishi/core in an intake app', () => {
  it('raises and claims a problem, then verifies the stream', async () => {
    const store = getInMemoryEventStore(); // or getPostgresEventStore / getPGliteEventStore
    const handle = commandHandler({
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      store,
      decider: problemDecider,
      registry: problemEventRegistry,
      streamIdOf: problemStreamIdOf,
      context: async () => context,
    });

    // A body from a mini-program: decoded once, at the boundary.
    const body = {
      problemId: 'p-2021-0001',
      unitId: 'qingnian',
      source: 'resident',
      grade: 'small',
      title: '小区路灯不亮',
      raiser: { kind: 'resident', personId: 'res-li', name: '李秀英', phone: '13800000000', address: '青年社区3号楼' },
    };
    const data = decodeWith(SolicitProblemData)(body);
    if (E.isLeft(data)) throw new Error(data.left.message);
    const raised = await handle(
      {
        type: 'solicitProblem',
        data: data.right,
        metadata: { actor: { personId: 'res-li', role: 'resident' }, now: '2021-04-02T09:00:00+08:00' },
      },
      { idempotencyKey: 'mini-program/req-1' },
    );
    expect(E.isRight(raised)).toBe(true);

    const claimed = await handle({
      type: 'claimProblem',
      data: { problemId: 'p-2021-0001', plan: '联系物业更换灯具', promisedBy: '2021-04-05' },
      metadata: {
        actor: { personId: 'sec-wang', role: 'secretary', unitId: 'qingnian' },
        now: '2021-04-02T15:00:00+08:00',
      },
    });
    // The revision is what an HTTP API hands out as the ETag.
    expect(E.isRight(claimed) && claimed.right.nextExpectedRevision).toBe(1);

    const events = await store.readStream('problem-p-2021-0001');
    expect(events.map((e) => e.type)).toEqual(['ProblemSolicited', 'ProblemClaimed']);
    expect(verifyStream('problem-p-2021-0001', events).ok).toBe(true);
  });

  it('a bad body names the field and stores nothing', () => {
    const decoded = decodeWith(SolicitProblemData)({
      problemId: 'p-1',
      unitId: 'qingnian',
      source: 'pigeon',
      grade: 'small',
      title: 't',
    });
    expect(E.isLeft(decoded) && decoded.left.message).toMatch(/^body\.source: expected one of resident \| enterprise/);
  });
});
