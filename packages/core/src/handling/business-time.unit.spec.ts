// Time never runs backwards inside a stream: each lifecycle step dated before the step it follows is
// refused by command handling with `command.now_before_stream`, whatever the decider would have said.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Command, Decider } from '../decider.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor, DomainEvent } from '../envelope.js';
import { type ProblemCommand, problemStreamIdOf } from '../problem/commands.js';
import { problemDecider } from '../problem/decider.js';
import { problemEventRegistry } from '../problem/events.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { type WishCommand, wishStreamIdOf } from '../wish/commands.js';
import { wishDecider } from '../wish/decider.js';
import { wishEventRegistry } from '../wish/events.js';
import { commandRules } from './business-time.js';
import { commandHandler } from './command-handler.js';
import type { DecisionContext } from './decision-context.js';

const since = '2026-01-01';
const context: DecisionContext = {
  directory: directoryViewOf({
    units: [
      { unitId: 'jz', name: '胶州市', kind: 'district', parentId: null },
      { unitId: 'jz-st', name: '三里河街道', kind: 'street', parentId: 'jz' },
    ],
    holdings: [
      { personId: 'res-1', role: 'resident', unitId: 'jz-st', since },
      { personId: 'sec-1', role: 'secretary', unitId: 'jz-st', since },
      { personId: 'mem-1', role: 'member', unitId: 'jz', since },
      { personId: 'gw-1', role: 'grid_worker', unitId: 'jz-st', since },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const handlerFor = <C extends Command, Ev extends DomainEvent, S>(
  decider: Decider<C, Ev, S, DecisionContext>,
  registry: Parameters<typeof commandHandler<C, Ev, S>>[0]['registry'],
  streamIdOf: (c: C) => string,
) => {
  const store = getInMemoryEventStore();
  const handle = commandHandler({
    personalData: 'in_clear',
    store,
    decider,
    registry,
    streamIdOf,
    context: async () => context,
  });
  return { store, handle };
};

const as = (personId: string, role: Actor['role'], now: string) => ({ actor: { personId, role }, now });
const day = (d: number, hour = 9) =>
  `2026-11-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;

describe('business time within a stream', () => {
  const problem = () => handlerFor(problemDecider, problemEventRegistry, problemStreamIdOf);
  const solicit = (now: string): ProblemCommand => ({
    type: 'solicitProblem',
    data: {
      problemId: 'p-1',
      unitId: 'jz-st',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      raiser: { kind: 'resident', personId: 'res-1', name: '张三' },
    },
    metadata: as('res-1', 'resident', now),
  });
  const claim = (now: string): ProblemCommand => ({
    type: 'claimProblem',
    data: { problemId: 'p-1', plan: '更换灯泡', promisedBy: '2026-11-30' },
    metadata: as('sec-1', 'secretary', now),
  });
  const solve = (now: string): ProblemCommand => ({
    type: 'solveProblem',
    data: { problemId: 'p-1', summary: '已更换', evidence: [{ kind: 'photo', uri: 'https://img.example/1.jpg' }] },
    metadata: as('sec-1', 'secretary', now),
  });
  const rate = (now: string): ProblemCommand => ({
    type: 'evaluateProblem',
    data: { problemId: 'p-1', kind: 'resident', verdict: 'satisfied' },
    metadata: as('res-1', 'resident', now),
  });
  const refusedAsBackwards = (result: E.Either<{ code: string; rule: string }, unknown>) =>
    expect(E.isLeft(result) && { code: result.left.code, rule: result.left.rule }).toEqual({
      code: 'invalid_state',
      rule: commandRules.nowBeforeStream,
    });

  it('a claim dated before the problem was raised is refused', async () => {
    const { store, handle } = problem();
    await handle(solicit(day(10)));
    refusedAsBackwards(await handle(claim(day(9))));
    expect(await store.readStream('problem-p-1')).toHaveLength(1);
  });

  it('a solve dated before its claim is refused', async () => {
    const { store, handle } = problem();
    await handle(solicit(day(10)));
    await handle(claim(day(11)));
    refusedAsBackwards(await handle(solve(day(11, 8))));
    expect(await store.readStream('problem-p-1')).toHaveLength(2);
  });

  it('a rating dated before the solve is refused, and the problem stays open', async () => {
    const { store, handle } = problem();
    await handle(solicit(day(10)));
    await handle(claim(day(11)));
    await handle(solve(day(12)));
    refusedAsBackwards(await handle(rate(day(11))));
    expect((await store.readStream('problem-p-1')).map((e) => e.type)).toEqual([
      'ProblemSolicited',
      'ProblemClaimed',
      'ProblemSolved',
    ]);
    expect(E.isRight(await handle(rate(day(12))))).toBe(true);
  });

  it('a wish claim dated before its collection is refused', async () => {
    const { store, handle } = handlerFor(wishDecider, wishEventRegistry, wishStreamIdOf);
    const collect: WishCommand = {
      type: 'collectWish',
      data: {
        wishId: 'w-1',
        unitId: 'jz-st',
        category: 'life',
        description: '希望有人帮忙修理轮椅',
        consent: 'anonymous',
        wisher: { name: '李四' },
      },
      metadata: as('gw-1', 'grid_worker', day(10)),
    };
    await handle(collect);
    refusedAsBackwards(
      await handle({ type: 'claimWish', data: { wishId: 'w-1' }, metadata: as('mem-1', 'member', day(9)) }),
    );
    expect(await store.readStream('wish-w-1')).toHaveLength(1);
  });
});
