// Overdue is one rule (core's isOverdue; docs/read-models.md, "Overdue"): the public list's flag and the
// per-unit overdue count must say what the decider says, for every problem and every unit, on PGlite and
// on the real PostgreSQL.
import {
  type Actor,
  categoryOf,
  clearVersionOf,
  type ExistingProblem,
  getInMemoryEventStore,
  isOverdue,
  type PositionedEvent,
  type ProblemState,
  problemDecider,
  problemEventRegistry,
  uuidFromName,
} from '@banshishi/core';
import { demoHistory, randomHistory } from '@banshishi/testkit';
import { postgresReadModels, type TestReadModels } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels } from '../open.js';
import { projectionList } from '../projections/index.js';
import { projectBatch } from '../runtime/batch.js';
import { ensureProjection, type ReadModels } from '../runtime/builds.js';
import { listPublicProblems } from './disclosure.js';
import { unitMonthFigures } from './evaluation.js';

interface Backend {
  readonly name: string;
  start(): Promise<void>;
  /** Read models in a schema of their own, for one test. */
  fresh(): Promise<ReadModels>;
  stop(): Promise<void>;
}

const pgliteBackend = (): Backend => {
  let pglite: PGlite;
  let schemas = 0;
  return {
    name: 'PGlite',
    start: async () => {
      pglite = new PGlite();
    },
    fresh: () => openReadModels({ kind: 'pglite', pglite }, `rm${++schemas}`),
    stop: () => pglite.close(),
  };
};

/** One schema at a time: a test's read models are dropped when the next test asks for fresh ones. */
const postgresBackend = (): Backend => {
  let current: TestReadModels | undefined;
  const disposeCurrent = async () => {
    await current?.dispose();
    current = undefined;
  };
  return {
    name: 'the real PostgreSQL',
    start: async () => {},
    fresh: async () => {
      await disposeCurrent();
      current = await postgresReadModels('overdue_int');
      return current;
    },
    stop: disposeCurrent,
  };
};

const project = async (rm: ReadModels, events: readonly PositionedEvent[]) => {
  for (const projection of projectionList) {
    const { build } = await ensureProjection(rm, projection);
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      await projectBatch(rm, projection, { build, onlyIfLive: true }, batch, batch[batch.length - 1]!.checkpoint);
    }
  }
};

/** Every problem as the decider sees it after its whole stream. */
const deciderStates = (events: readonly PositionedEvent[]): Map<string, ProblemState> => {
  const states = new Map<string, ProblemState>();
  for (const stored of events) {
    if (categoryOf(stored.streamId) !== 'problem') continue;
    const decoded = problemEventRegistry.decode(stored);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    const id = decoded.right.data.problemId;
    states.set(id, problemDecider.evolve(states.get(id) ?? problemDecider.initialState, decoded.right));
  }
  return states;
};

/** The decider's rule, the list's flag and the per-unit counts at every level, for one `asOf`. */
const expectAgreementAt = async (rm: ReadModels, states: ReadonlyMap<string, ProblemState>, asOf: string) => {
  const byDecider: Record<string, boolean> = {};
  for (const [id, state] of states) byDecider[id] = state.status !== 'none' && isOverdue(state, asOf);
  const listed = await listPublicProblems(rm, { asOf, limit: 1_000_000 });
  expect(Object.fromEntries(listed.map((p) => [p.problem_id, p.overdue])), `list as of ${asOf}`).toEqual(byDecider);

  for (const level of [1, 2, 3, 4] as const) {
    const expected: Record<string, number> = {};
    for (const p of listed) {
      const unitId = p.unit_path[`level${level}`];
      if (unitId === null) continue;
      const key = `${unitId} ${p.solicited_date.slice(0, 7)}`;
      expected[key] = (expected[key] ?? 0) + (byDecider[p.problem_id] ? 1 : 0);
    }
    const figures = await unitMonthFigures(rm, { level, asOf });
    expect(
      Object.fromEntries(figures.map((f) => [`${f.unitId} ${f.month}`, f.overdue])),
      `level ${level} as of ${asOf}`,
    ).toEqual(expected);
  }
  return Object.values(byDecider).filter(Boolean).length;
};

/** A business time `hours` after `from`, written with the Jiaozhou offset. */
const later = (from: string, hours: number): string =>
  `${new Date(Date.parse(from) + hours * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/** `asOf` moments from the end of a history on: right at it, on the following days, and at local midnights. */
const asOfArbitrary = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 30 * 24 }).map((hours) => ({ hours, at: null })),
    fc.record({ hours: fc.integer({ min: 0, max: 30 * 24 }), at: fc.constantFrom('00:00:00', '23:59:59') }),
  ),
  { minLength: 1, maxLength: 4 },
);
const asOfMoments = (end: string, picks: readonly { hours: number; at: string | null }[]) =>
  picks.map(({ hours, at }) => {
    const moment = later(end, hours);
    return at === null ? moment : `${moment.slice(0, 10)}T${at}+08:00`;
  });
/** The latest business time in a log, as a moment every `asOf` must not precede (the tables hold the present). */
const endOf = (events: readonly PositionedEvent[]): string =>
  events.reduce((a, e) => (Date.parse(e.occurredAt) > Date.parse(a) ? e.occurredAt : a), events[0]!.occurredAt);

describe.each([pgliteBackend(), postgresBackend()])('overdue on $name', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  describe('examples', () => {
    const sys: Actor = { personId: 'system', role: 'system' };
    const sec: Actor = { personId: 'sec-g1', role: 'secretary', unitId: 'g1' };
    const res: Actor = { personId: 'res-1', role: 'resident' };
    const at = (day: number, time = '09:00:00') => `2025-12-${String(day).padStart(2, '0')}T${time}+08:00`;

    /** The directory d1 > s1 > c1 > g1 and one 小事 (3-day window) raised in g1 on 1 December at `raisedAt`. */
    const history = async (raisedAt: string, then: (put: Put) => Promise<void>) => {
      const store = getInMemoryEventStore();
      let n = 0;
      const put: Put = (type, data, actor, occurredAt) =>
        store
          .append(
            type.startsWith('Problem') ? 'problem-p1' : `unit-${(data as { unitId: string }).unitId}`,
            [
              {
                eventId: uuidFromName(`overdue-example/${++n}`),
                type,
                schemaVersion: ((d) => (d === undefined ? 1 : clearVersionOf(d)))(
                  problemEventRegistry.definitions.get(type),
                ),
                data,
                occurredAt,
                actor,
                correlationId: 'c',
                causationId: 'c',
              },
            ],
            { expectedRevision: 'any' },
          )
          .then(() => undefined);
      for (const [unitId, kind, parentId] of [
        ['d1', 'district', null],
        ['s1', 'street', 'd1'],
        ['c1', 'community', 's1'],
        ['g1', 'grid', 'c1'],
      ] as const)
        await put('UnitRegistered', { unitId, name: unitId, kind, parentId }, sys, at(1, '00:00:00'));
      await put(
        'ProblemSolicited',
        {
          problemId: 'p1',
          unitId: 'g1',
          source: 'resident',
          grade: 'small',
          title: '路灯不亮',
          solicitedAt: raisedAt,
          raiser: { kind: 'resident', personId: 'res-1' },
        },
        res,
        raisedAt,
      );
      await then(put);
      const events = (await store.readAll({ limit: 1_000 })).events;
      const rm = await backend.fresh();
      await project(rm, events);
      return { rm, states: deciderStates(events) };
    };
    type Put = (type: string, data: unknown, actor: Actor, occurredAt: string) => Promise<void>;

    const overdueOf = async (rm: ReadModels, asOf: string) => {
      const [listed] = await listPublicProblems(rm, { asOf });
      const counts = await Promise.all(
        ([1, 2, 3, 4] as const).map(async (level) =>
          Object.fromEntries((await unitMonthFigures(rm, { level, asOf })).map((f) => [f.unitId, f.overdue])),
        ),
      );
      return { listed: listed!.overdue, counts: Object.assign({}, ...counts) as Record<string, number> };
    };

    it('an escalated problem left unclaimed past its response window is overdue in the list and counted for its unit', async () => {
      const { rm, states } = await history(at(1), async (put) => {
        await put(
          'ProblemClaimed',
          {
            problemId: 'p1',
            claimantId: 'sec-g1',
            claimantRole: 'secretary',
            claimantUnitId: 'g1',
            plan: '联系供电所',
            promisedBy: '2025-12-10',
          },
          sec,
          at(1, '10:00:00'),
        );
        await put(
          'ProblemEscalated',
          { problemId: 'p1', fromUnitId: 'g1', toUnitId: 'c1', reason: '需上级协调', releasedClaimantId: 'sec-g1' },
          sec,
          at(2),
        );
      });
      const asOf = at(5, '08:00:00');
      expect(isOverdue(states.get('p1') as ExistingProblem, asOf)).toBe(true);
      // It sits in c1 now: counted there and above, and no longer in g1.
      expect(await overdueOf(rm, asOf)).toEqual({ listed: true, counts: { d1: 1, s1: 1, c1: 1 } });
      await expectAgreementAt(rm, states, asOf);
    });

    it('an unclaimed problem is overdue from the local day after the last day of its window, not 72 hours on', async () => {
      const { rm, states } = await history(at(1, '20:00:00'), async () => {});
      // 小事: the window's last day is 4 December, all of it; overdue from 5 December 00:00 local time.
      expect(await overdueOf(rm, at(4, '21:00:00'))).toEqual({
        listed: false,
        counts: { d1: 0, s1: 0, c1: 0, g1: 0 },
      });
      expect(await overdueOf(rm, at(5, '00:00:00'))).toEqual({ listed: true, counts: { d1: 1, s1: 1, c1: 1, g1: 1 } });
      for (const asOf of [at(4, '21:00:00'), at(4, '23:59:59'), at(5, '00:00:00')])
        await expectAgreementAt(rm, states, asOf);
    });

    it('a reopened problem is overdue once past the promised day of the claim it returns to', async () => {
      const { rm, states } = await history(at(1), async (put) => {
        await put(
          'ProblemClaimed',
          {
            problemId: 'p1',
            claimantId: 'sec-g1',
            claimantRole: 'secretary',
            claimantUnitId: 'g1',
            plan: '联系供电所',
            promisedBy: '2025-12-03',
          },
          sec,
          at(1, '10:00:00'),
        );
        await put('ProblemSolved', { problemId: 'p1', summary: '已更换灯泡', evidence: [] }, sec, at(2));
        await put('ProblemEvaluated', { problemId: 'p1', kind: 'resident', verdict: 'unsatisfied' }, res, at(3));
        await put('ProblemReopened', { problemId: 'p1', claimantId: 'sec-g1', reworkCount: 1 }, sys, at(3));
      });
      expect(await overdueOf(rm, at(3, '23:59:59'))).toMatchObject({ listed: false });
      expect(await overdueOf(rm, at(4, '00:00:00'))).toEqual({ listed: true, counts: { d1: 1, s1: 1, c1: 1, g1: 1 } });
      for (const asOf of [at(3, '23:59:59'), at(4, '00:00:00')]) await expectAgreementAt(rm, states, asOf);
    });
  });

  it('property: the decider, the public list and the per-unit counts agree on overdue over random histories', async () => {
    let overdueSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), asOfArbitrary, async (seed, picks) => {
        const history = await randomHistory(seed, 200);
        const events = (await history.store.readAll({ limit: 1_000_000 })).events;
        const rm = await backend.fresh();
        await project(rm, events);
        const states = deciderStates(events);
        for (const asOf of asOfMoments(endOf(events), picks)) overdueSeen += await expectAgreementAt(rm, states, asOf);
      }),
      { numRuns: 12 },
    );
    expect(overdueSeen).toBeGreaterThan(0);
  });

  it('property: the same over demo campaigns decided by the deciders, from random seeds at small scale', async () => {
    let overdueSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 300, max: 600 }),
        asOfArbitrary,
        async (seed, scale, picks) => {
          const history = await demoHistory(seed, scale);
          const rm = await backend.fresh();
          await project(rm, history.events);
          const states = deciderStates(history.events);
          for (const asOf of [history.asOf, ...asOfMoments(endOf(history.events), picks)])
            overdueSeen += await expectAgreementAt(rm, states, asOf);
        },
      ),
      { numRuns: 4 },
    );
    expect(overdueSeen).toBeGreaterThan(0);
  });
});
