// The workbench's two reads over HTTP: 我的诉求 (GET /me/items: what a resident or an enterprise raised,
// and nobody else's) and the office's 派单 queue (GET /me/queue: what waits on the office in its district,
// refused to every other role). Items are set up over HTTP only; answers are checked against their codecs.
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyItems, OfficeQueue } from './routes/responses.js';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';
import { expectAccepted, expectRefused, problemSteps, residentProblem, wishSteps } from './test-support/items.js';

let api: ApiFixture;
let problems: ReturnType<typeof problemSteps>;
let wishes: ReturnType<typeof wishSteps>;

interface Work {
  readonly problemId: string;
  readonly status: string;
  readonly reworkCount: number;
  readonly overdue: boolean;
}
interface Items {
  readonly problems: Work[];
  readonly wishes: { wishId: string; status: string }[];
  readonly freshness: { source: string; lagEvents: number | null };
}
interface Queue {
  readonly units: string[];
  readonly toRoute: Work[];
  readonly overdue: Work[];
  readonly reopened: Work[];
  readonly awaitingVerdict: Work[];
  readonly toShowcase: { wishId: string }[];
  readonly unclaimedWishes: { wishId: string }[];
  readonly freshness: { source: string; lagEvents: number | null };
}

const read = async <A>(as: string, path: string, codec: t.Mixed): Promise<A> => {
  await api.projected();
  const answer = await api.request(as, 'GET', path);
  expect(answer.status, answer.text).toBe(200);
  expect(E.isRight(codec.decode(answer.body)), answer.text).toBe(true);
  expect(answer.headers.get('cache-control')).toContain('no-store');
  return answer.body as A;
};
const myItems = (as: string) => read<Items>(as, '/me/items', MyItems);
const myQueue = (as: string) => read<Queue>(as, '/me/queue', OfficeQueue);
const ids = (rows: readonly { problemId: string }[]) => rows.map((r) => r.problemId);
const wishIds = (rows: readonly { wishId: string }[]) => rows.map((r) => r.wishId);

beforeAll(async () => {
  api = await startApiFixture();
  problems = problemSteps(api);
  wishes = wishSteps(api);
  // res1's problem and wish; res2's problem and wish; ent1's problem; a wish a grid worker recorded for
  // a resident the directory does not know.
  await problems.solicit('wr-p1');
  await problems.solicit(
    'wr-p2',
    { unitId: 'd1-s1-c2', raiser: { kind: 'resident', personId: 'res2', name: '陈桂兰' } },
    'res2',
  );
  await problems.solicit(
    'wr-p3',
    {
      unitId: 'd1-s1',
      source: 'enterprise',
      raiser: { kind: 'enterprise', enterpriseName: '海晨机械', enterpriseId: 'ent1' },
    },
    'ent1',
  );
  await wishes.collect('wr-w1', { wisher: { personId: 'res1', name: '李秀英' } });
  await wishes.collect('wr-w2', { unitId: 'd1-s1-c2', wisher: { personId: 'res2', name: '陈桂兰' } }, 'res2');
  await wishes.collect('wr-w3', { unitId: 'd1-s1-c1-g1', wisher: { name: '马兰' } }, 'grid1');
});

afterAll(async () => {
  await api?.close();
});

describe('GET /me/items (我的诉求)', () => {
  it('a resident sees their own problem and wish, newest first, and not another resident’s', async () => {
    await problems.solicit('wr-p4');
    const mine = await myItems('res1');
    expect(ids(mine.problems)).toEqual(['wr-p4', 'wr-p1']);
    expect(wishIds(mine.wishes)).toEqual(['wr-w1']);
    expect(mine.freshness).toMatchObject({ source: 'read_models', lagEvents: 0 });
    const theirs = await myItems('res2');
    expect(ids(theirs.problems)).toEqual(['wr-p2']);
    expect(wishIds(theirs.wishes)).toEqual(['wr-w2']);
  });

  it('an enterprise sees the problems raised under its id', async () => {
    const mine = await myItems('ent1');
    expect(ids(mine.problems)).toEqual(['wr-p3']);
    expect(mine.wishes).toEqual([]);
  });

  it('an item follows its lifecycle in the list, and its answer holds no personal value', async () => {
    await problems.claim('wr-p1');
    const answer = await api.request('res1', 'GET', '/me/items');
    const mine = answer.body as Items;
    expect(mine.problems.find((p) => p.problemId === 'wr-p1')).toMatchObject({ status: 'claimed', reworkCount: 0 });
    for (const value of ['李秀英', '陈桂兰', '马兰', '3号楼二单元']) expect(answer.text).not.toContain(value);
  });

  it('officials raised nothing, so their lists are empty; a wish for an unknown resident is in nobody’s', async () => {
    for (const person of ['office1', 'sec-c1', 'grid1']) {
      const theirs = await myItems(person);
      expect({ person, problems: theirs.problems, wishes: theirs.wishes }).toEqual({
        person,
        problems: [],
        wishes: [],
      });
    }
  });
});

describe('GET /me/queue (派单)', () => {
  it('the office sees what was raised in its district in toRoute, oldest first, and unclaimed wishes', async () => {
    const queue = await myQueue('office1');
    expect(queue.units).toEqual(['d1']);
    expect(ids(queue.toRoute)).toEqual(expect.arrayContaining(['wr-p2', 'wr-p3', 'wr-p4']));
    expect(ids(queue.toRoute).indexOf('wr-p2')).toBeLessThan(ids(queue.toRoute).indexOf('wr-p4'));
    expect(ids(queue.toRoute)).not.toContain('wr-p1');
    expect(wishIds(queue.unclaimedWishes)).toEqual(expect.arrayContaining(['wr-w1', 'wr-w2', 'wr-w3']));
    expect(queue.freshness).toMatchObject({ source: 'read_models', lagEvents: 0 });
    // Another district's office sees none of it.
    const other = await myQueue('office2');
    expect(other.units).toEqual(['d2']);
    expect([...ids(other.toRoute), ...wishIds(other.unclaimedWishes)]).toEqual([]);
  });

  it('a solved problem waits in awaitingVerdict; a reopened one is in reopened with its rework count', async () => {
    await problems.solicit('wr-solved');
    await problems.claim('wr-solved');
    await problems.solve('wr-solved');
    await problems.solicit('wr-reopened');
    await problems.claim('wr-reopened');
    await problems.solve('wr-reopened');
    await problems.evaluate('wr-reopened', 'unsatisfied', ['ProblemEvaluated', 'ProblemReopened']);
    const queue = await myQueue('office1');
    expect(ids(queue.awaitingVerdict)).toContain('wr-solved');
    expect(ids(queue.awaitingVerdict)).not.toContain('wr-reopened');
    expect(queue.reopened.find((p) => p.problemId === 'wr-reopened')).toMatchObject({
      status: 'claimed',
      reworkCount: 1,
    });
    expect(ids(queue.reopened)).not.toContain('wr-solved');
    expect(ids(queue.toRoute)).not.toContain('wr-solved');

    // 回访 closes the solved one: it leaves the queue.
    expectAccepted(
      await api.request('office1', 'POST', '/problems/wr-solved/evaluate', {
        body: { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true },
      }),
      ['ProblemEvaluated', 'ProblemClosed'],
    );
    expect(ids((await myQueue('office1')).awaitingVerdict)).not.toContain('wr-solved');
  });

  it('a claimed problem past its promised day is in overdue (claim recorded offline by the grid app)', async () => {
    // As in problem-rules: the claim is written in UTC−12 23 h ago, promising that local day, which is past.
    const claimedAt = new Date(Date.now() - 23 * 3_600_000);
    const local = new Date(claimedAt.getTime() - 12 * 3_600_000).toISOString();
    expectAccepted(
      await api.request('res1', 'POST', '/problems', {
        body: residentProblem('wr-overdue'),
        clientId: 'grid-app',
        headers: { 'x-occurred-at': new Date(claimedAt.getTime() - 60_000).toISOString() },
      }),
      ['ProblemSolicited'],
      201,
    );
    expectAccepted(
      await api.request('sec-c1', 'POST', '/problems/wr-overdue/claim', {
        body: { plan: '当天处理', promisedBy: local.slice(0, 10) },
        clientId: 'grid-app',
        headers: { 'x-occurred-at': `${local.slice(0, 19)}-12:00` },
      }),
      ['ProblemClaimed'],
    );
    const queue = await myQueue('office1');
    expect(queue.overdue.find((p) => p.problemId === 'wr-overdue')).toMatchObject({ status: 'claimed', overdue: true });
    expect(ids(queue.overdue)).not.toContain('wr-p1');
  });

  it('a confirmed wish whose wisher consented to be shown is in toShowcase; one with consent none is not', async () => {
    for (const [id, consent] of [
      ['wr-show', 'anonymous'],
      ['wr-hidden', 'none'],
    ] as const) {
      await wishes.collect(id, { consent, wisher: { personId: 'res1', name: '李秀英' } });
      await wishes.claim(id, 'member1');
      await wishes.fulfil(id, 'member1');
      await wishes.confirm(id);
    }
    const queue = await myQueue('office1');
    expect(wishIds(queue.toShowcase)).toEqual(['wr-show']);
    expect(wishIds(queue.unclaimedWishes)).not.toContain('wr-show');
    await wishes.showcase('wr-show');
    expect((await myQueue('office1')).toShowcase).toEqual([]);
  });

  it('only the office has a queue: a secretary, a resident or a member is refused by the API’s rule', async () => {
    for (const person of ['sec-c1', 'res1', 'member1', 'nobody'])
      expectRefused(await api.request(person, 'GET', '/me/queue'), {
        status: 403,
        code: 'forbidden',
        rule: 'api.queue_not_office',
      });
  });
});
