// docs/domain.md's wish rules (寻梦 → 领梦 → 圆梦 → 确认 → 亮梦) exercised through the HTTP API: every command's
// allowed path answered with its status, ETag and events, and every rule's refusal answered with its status
// and problem type while the wish's revision stays where it was. Wishes are set up over HTTP only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type ApiResponse, startApiFixture } from './test-support/api-fixture.js';
import {
  enrolMember,
  expectAccepted,
  expectRefused,
  expectUnmoved,
  fulfilment,
  readItem,
  residentWish,
  wishSteps,
} from './test-support/items.js';

let api: ApiFixture;
let steps: ReturnType<typeof wishSteps>;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
  steps = wishSteps(api);
  // A community merged away: it stays in the directory, retired, and takes no new wishes.
  expectAccepted(
    await api.request('office1', 'POST', '/units', {
      body: { unitId: 'd1-s1-c9', name: '已撤并社区', kind: 'community', parentId: 'd1-s1' },
    }),
    ['UnitRegistered'],
    201,
  );
  expectAccepted(await api.request('office1', 'POST', '/units/d1-s1-c9/retire', { body: { reason: '社区撤并' } }), [
    'UnitRetired',
  ]);
});

afterAll(async () => {
  await api?.close();
});

let serial = 0;
const freshId = (label: string) => `w-${label}-${++serial}`;

/**
 * A member of d1 of the test's own: open claims count across every test of the file, and member1's
 * count must stay where the quota test and the walk expect it.
 */
const freshMember = async () => {
  const personId = `m-${++serial}`;
  await enrolMember(api, personId);
  return personId;
};

const post = (
  as: string,
  id: string,
  step: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) => api.request(as, 'POST', `/wishes/${id}/${step}`, { body, headers });

/** The answer and the wish as read back agree: the status GET shows and the revision the command reached. */
const expectNow = async (id: string, answer: Record<string, unknown>, status: string) => {
  const item = await readItem(api, 'wish', id);
  expect({ status: item.status, revision: item.revision }).toEqual({ status, revision: answer.revision });
  return item;
};

/** How the showcased wish stands on the public board, from its stored WishShowcased. */
const displayOf = async (id: string) => {
  const events = await api.store.readStream(`wish-${id}`);
  return (events.find((e) => e.type === 'WishShowcased')?.data as { display?: unknown } | undefined)?.display;
};

type State = 'none' | 'collected' | 'claimed' | 'fulfilled' | 'confirmed' | 'showcased' | 'cancelled';

/** Brings a fresh wish of res1 in d1-s1-c1 to `state` along the allowed path; claimed by `member`. */
const bringTo = async (id: string, state: State, member?: string, collect: Record<string, unknown> = {}) => {
  if (state === 'none') return;
  await steps.collect(id, collect);
  if (state === 'collected') return;
  if (state === 'cancelled') return void (await steps.cancel(id, 'withdrawn', 'res1'));
  const claimant = member ?? (await freshMember());
  await steps.claim(id, claimant);
  if (state === 'claimed') return;
  await steps.fulfil(id, claimant);
  if (state === 'fulfilled') return;
  await steps.confirm(id);
  if (state === 'showcased') await steps.showcase(id);
};

describe('the allowed path through a wish', () => {
  it('collected by the resident → claimed by member1 → released → claimed → fulfilled → confirmed → showcased', async () => {
    const id = freshId('walk');
    const collected = expectAccepted(
      await api.request('res1', 'POST', '/wishes', { body: residentWish(id) }),
      ['WishCollected'],
      201,
    );
    expect(collected.revision).toBe(0);
    expect((await expectNow(id, collected, 'collected')).state).toMatchObject({
      wisher: { personId: 'res1' },
      collector: null,
    });

    const claimed = expectAccepted(await post('member1', id, 'claim', {}), ['WishClaimed']);
    expect((await expectNow(id, claimed, 'claimed')).state).toMatchObject({ claimantId: 'member1' });
    const released = expectAccepted(await post('member1', id, 'release', { reason: '时间冲突' }), ['WishReleased']);
    expect((await expectNow(id, released, 'collected')).state).toMatchObject({ claimantId: null });
    await expectNow(id, expectAccepted(await post('member1', id, 'claim', {}), ['WishClaimed']), 'claimed');
    await expectNow(
      id,
      expectAccepted(await post('member1', id, 'fulfil', fulfilment), ['WishFulfilled']),
      'fulfilled',
    );
    await expectNow(
      id,
      expectAccepted(await post('res1', id, 'confirm', { verdict: 'satisfied', comment: '很满意' }), ['WishConfirmed']),
      'confirmed',
    );
    const showcased = expectAccepted(await post('office1', id, 'showcase', { story: '党员志愿者每周辅导孩子数学' }), [
      'WishShowcased',
    ]);
    expect(showcased.revision).toBe(6);
    await expectNow(id, showcased, 'showcased');
  });

  it('collected by a grid worker on the wisher’s behalf, confirmed by that grid worker for them, showcased by the claimant', async () => {
    const id = freshId('collector');
    const member = await freshMember();
    const collected = expectAccepted(
      await api.request('grid1', 'POST', '/wishes', {
        body: residentWish(id, { unitId: 'd1-s1-c1-g1', wisher: { name: '赵大爷' } }),
      }),
      ['WishCollected'],
      201,
    );
    expect((await expectNow(id, collected, 'collected')).state).toMatchObject({
      wisher: { personId: null },
      collector: { personId: 'grid1', role: 'grid_worker', unitId: 'd1-s1-c1-g1' },
    });
    await steps.claim(id, member);
    await steps.fulfil(id, member);
    await expectNow(
      id,
      expectAccepted(await post('grid1', id, 'confirm', { verdict: 'satisfied' }), ['WishConfirmed']),
      'confirmed',
    );
    await expectNow(
      id,
      expectAccepted(await post(member, id, 'showcase', { story: '党员帮老人修好了收音机' }), ['WishShowcased']),
      'showcased',
    );
  });

  it('the 亮梦 answer to the claimant does not carry the wisher’s name, phone or address in the clear', async () => {
    // The check of the story reveals the wisher inside command handling; that reveal is for the check,
    // not for the caller, who reads contact details only through the recorded wisher-contact read.
    const id = freshId('showcase-answer');
    const member = await freshMember();
    await bringTo(id, 'confirmed', member);
    const answer = expectAccepted(await post(member, id, 'showcase', { story: '党员志愿者每周辅导孩子数学' }), [
      'WishShowcased',
    ]);
    const text = JSON.stringify(answer);
    for (const value of ['李秀英', '13800000001', '扬州路8号']) expect(text).not.toContain(value);
  });

  it('an unsatisfied wisher sends the fulfilled wish back to its claimant (fulfilled → claimed)', async () => {
    const id = freshId('reopen');
    const member = await freshMember();
    await bringTo(id, 'fulfilled', member);
    const reopened = expectAccepted(
      await post('res1', id, 'confirm', { verdict: 'unsatisfied', comment: '还没辅导完' }),
      ['WishReopened'],
    );
    expect((await expectNow(id, reopened, 'claimed')).state).toMatchObject({ claimantId: member });
  });

  it.each([
    ['anonymous', 'without a name', { shownAs: 'anonymous' }],
    ['named', 'under the masked name 李**', { shownAs: 'named', maskedName: '李**' }],
  ] as const)('亮梦 within consent %s shows the wish %s', async (consent, _shown, display) => {
    const id = freshId(`consent-${consent}`);
    await bringTo(id, 'confirmed', undefined, { consent });
    await expectNow(id, await steps.showcase(id), 'showcased');
    expect(await displayOf(id)).toEqual(display);
  });

  it('consent none: a confirmed wish ends there and is never shown', async () => {
    const id = freshId('consent-none');
    await bringTo(id, 'confirmed', undefined, { consent: 'none' });
    const before = await readItem(api, 'wish', id);
    expect(before.status).toBe('confirmed');
    expectRefused(await post('office1', id, 'showcase', { story: '党员辅导孩子数学' }), {
      status: 403,
      code: 'forbidden',
      rule: 'wish.showcase.no_consent',
    });
    await expectUnmoved(api, 'wish', id, before.revision);
  });

  it('a member holds at most 3 open claims (the default): the fourth is refused until one is fulfilled', async () => {
    const member = await freshMember();
    const ids = [1, 2, 3, 4].map((n) => freshId(`quota-${n}`));
    for (const id of ids) await steps.collect(id);
    for (const id of ids.slice(0, 3)) await steps.claim(id, member);
    expectRefused(await post(member, ids[3]!, 'claim', {}), {
      status: 403,
      code: 'forbidden',
      rule: 'wish.claim.quota_reached',
    });
    await expectUnmoved(api, 'wish', ids[3]!, 0);
    await steps.fulfil(ids[0]!, member);
    await expectNow(ids[3]!, await steps.claim(ids[3]!, member), 'claimed');
  });

  it.each([
    ['withdrawn by the wisher', 'withdrawn', 'res1', 'collected', {}],
    ['withdrawn by the collector on the wisher’s behalf', 'withdrawn', 'grid1', 'collected', { unitId: 'd1-s1-c1-g1' }],
    ['withdrawn while claimed, releasing the claim', 'withdrawn', 'res1', 'claimed', {}],
    ['declared invalid by the office', 'invalid', 'office1', 'collected', {}],
    [
      'declared invalid by a secretary above the collector’s unit',
      'invalid',
      'sec-c1',
      'claimed',
      { unitId: 'd1-s1-c1-g1' },
    ],
  ] as const)('a wish %s is cancelled', async (_how, grounds, as, from, collect) => {
    const id = freshId('cancel');
    if (as === 'grid1' || as === 'sec-c1') await steps.collect(id, { ...collect, wisher: { name: '赵大爷' } }, 'grid1');
    else await steps.collect(id, collect);
    if (from === 'claimed') await steps.claim(id, await freshMember());
    const cancelled = await steps.cancel(id, grounds, as);
    expect((await expectNow(id, cancelled, 'cancelled')).state).toMatchObject({ claimantId: null });
  });
});

interface Refusal {
  readonly title: string;
  readonly state: State;
  readonly send: (id: string) => Promise<ApiResponse>;
  readonly status: number;
  readonly code: string;
  readonly rule: string;
  readonly fields?: readonly string[];
  /** Sets the wish up otherwise than `bringTo` does. */
  readonly setUp?: (id: string) => Promise<unknown>;
}

const codeStatus = { validation: 400, forbidden: 403, not_found: 404, conflict: 409, invalid_state: 422 } as const;

const refusal = (
  words: string,
  rule: string,
  code: keyof typeof codeStatus,
  state: State,
  send: Refusal['send'],
  more: Pick<Refusal, 'setUp' | 'fields'> = {},
): Refusal => ({
  title: `${words} (${rule}, ${codeStatus[code]})`,
  state,
  send,
  status: codeStatus[code],
  code,
  rule,
  ...more,
});

const collectAs =
  (as: string, overrides: Record<string, unknown>, headers: Record<string, string> = {}) =>
  (id: string) =>
    api.request(as, 'POST', '/wishes', { body: residentWish(id, overrides), headers });
const acting = (role: string) => ({ 'x-acting-role': role });
const story = { story: '党员志愿者每周辅导孩子数学' };

/** A wish collected by a fresh member for a resident, then claimed and fulfilled by that same member. */
const fulfilledByItsCollector = async (id: string) => {
  const member = await freshMember();
  await steps.collect(id, { wisher: { name: '赵大爷' } }, member);
  await steps.claim(id, member);
  await steps.fulfil(id, member);
  return member;
};
let collectorClaimant = '';

/** A fresh member already holding three open claims, and a fourth wish for them to try. */
let quotaMember = '';
const fourthForAFullMember = async (id: string) => {
  quotaMember = await freshMember();
  for (let n = 0; n < 3; n++) {
    const held = `${id}-held-${n}`;
    await steps.collect(held);
    await steps.claim(held, quotaMember);
  }
  await steps.collect(id);
};

const refusals: readonly Refusal[] = [
  refusal('a command acts only on a wish that was collected', 'wish.not_found', 'not_found', 'none', (id) =>
    post('member1', id, 'claim', {}),
  ),
  refusal('a cancelled wish accepts nothing', 'wish.cancelled', 'invalid_state', 'cancelled', (id) =>
    post('member1', id, 'claim', {}),
  ),
  refusal('a wish is collected once', 'wish.collect.already_collected', 'conflict', 'collected', collectAs('res1', {})),
  refusal(
    'the unit is in the directory',
    'wish.collect.unknown_unit',
    'validation',
    'none',
    collectAs('res1', { unitId: 'd1-nowhere' }),
  ),
  refusal(
    'a retired unit takes no new wishes',
    'wish.collect.retired_unit',
    'invalid_state',
    'none',
    collectAs('res1', { unitId: 'd1-s1-c9' }),
  ),
  refusal(
    'a resident records only their own wish',
    'wish.collect.resident_for_another',
    'forbidden',
    'none',
    collectAs('res1', { wisher: { name: '陈桂兰', personId: 'res2' } }),
  ),
  refusal(
    'a collector records only inside the unit of their role',
    'wish.collect.outside_collector_unit',
    'forbidden',
    'none',
    collectAs('grid1', { unitId: 'd1-s1-c2' }),
  ),
  refusal(
    'only a resident, grid worker, member or secretary records a wish, not the office',
    'wish.collect.not_a_collector',
    'forbidden',
    'none',
    collectAs('office1', {}, acting('office')),
  ),
  refusal(
    'only a resident, grid worker, member or secretary records a wish, not a department handler',
    'wish.collect.not_a_collector',
    'forbidden',
    'none',
    collectAs('handler', {}, acting('department_handler')),
  ),
  refusal(
    'only a wish in collected is claimed: never two claimants',
    'wish.claim.already_claimed',
    'invalid_state',
    'claimed',
    (id) => post('member1', id, 'claim', {}),
  ),
  refusal('only a member claims', 'wish.claim.not_a_member', 'forbidden', 'collected', (id) =>
    post('sec-c1', id, 'claim', {}, acting('secretary')),
  ),
  refusal(
    'a member does not claim their own wish',
    'wish.claim.own_wish',
    'forbidden',
    'none',
    (id) => post('member1', id, 'claim', {}),
    {
      setUp: (id) =>
        steps.collect(id, { unitId: 'd1-s1-c1-g1', wisher: { name: '郑华', personId: 'member1' } }, 'grid1'),
    },
  ),
  refusal(
    '分区认领: a member claims only inside their home district',
    'wish.claim.outside_home_district',
    'forbidden',
    'collected',
    (id) => post('member2', id, 'claim', {}),
  ),
  refusal(
    'at most 3 open claims per member',
    'wish.claim.quota_reached',
    'forbidden',
    'none',
    (id) => post(quotaMember, id, 'claim', {}),
    {
      setUp: fourthForAFullMember,
    },
  ),
  refusal('only a claimed wish is released', 'wish.release.not_claimed', 'invalid_state', 'collected', (id) =>
    post('member1', id, 'release', {}),
  ),
  refusal('only the claimant releases', 'wish.release.not_claimant', 'forbidden', 'claimed', (id) =>
    post('member1', id, 'release', {}),
  ),
  refusal(
    'only a claimed wish is fulfilled: a fulfilled one is not fulfilled again',
    'wish.fulfil.not_claimed',
    'invalid_state',
    'fulfilled',
    (id) => post('member1', id, 'fulfil', fulfilment),
  ),
  refusal('only the claimant fulfils', 'wish.fulfil.not_claimant', 'forbidden', 'claimed', (id) =>
    post('member1', id, 'fulfil', fulfilment),
  ),
  refusal('only a fulfilled wish is confirmed', 'wish.confirm.not_fulfilled', 'invalid_state', 'claimed', (id) =>
    post('res1', id, 'confirm', { verdict: 'satisfied' }),
  ),
  refusal(
    'only the wisher, or the collector on their behalf, confirms',
    'wish.confirm.not_wisher',
    'forbidden',
    'fulfilled',
    (id) => post('res2', id, 'confirm', { verdict: 'satisfied' }),
  ),
  refusal(
    'a collector who is also the claimant cannot confirm their own fulfilment',
    'wish.confirm.by_claimant',
    'forbidden',
    'none',
    (id) => post(collectorClaimant, id, 'confirm', { verdict: 'satisfied' }),
    {
      setUp: async (id) => {
        collectorClaimant = await fulfilledByItsCollector(id);
      },
    },
  ),
  refusal('a wish is showcased once', 'wish.showcase.already_showcased', 'invalid_state', 'showcased', (id) =>
    post('office1', id, 'showcase', story),
  ),
  refusal('only a confirmed wish is showcased', 'wish.showcase.not_confirmed', 'invalid_state', 'fulfilled', (id) =>
    post('office1', id, 'showcase', story),
  ),
  refusal(
    'only the office or the claimant showcases',
    'wish.showcase.not_office_or_claimant',
    'forbidden',
    'confirmed',
    (id) => post('member1', id, 'showcase', story),
  ),
  refusal(
    'consent none: never shown',
    'wish.showcase.no_consent',
    'forbidden',
    'none',
    (id) => post('office1', id, 'showcase', story),
    {
      setUp: (id) => bringTo(id, 'confirmed', undefined, { consent: 'none' }),
    },
  ),
  refusal(
    'the story does not give the wisher’s name',
    'wish.showcase.story_reveals_wisher',
    'validation',
    'confirmed',
    (id) => post('office1', id, 'showcase', { story: '李秀英家的孩子数学进步了' }),
    { fields: ['body.story'] },
  ),
  refusal(
    'the story does not give the wisher’s phone',
    'wish.showcase.story_reveals_wisher',
    'validation',
    'confirmed',
    (id) => post('office1', id, 'showcase', { story: '有需要请拨 138-0000-0001' }),
    { fields: ['body.story'] },
  ),
  refusal(
    'a wish is cancelled only before fulfilment',
    'wish.cancel.after_fulfilment',
    'invalid_state',
    'fulfilled',
    (id) => post('res1', id, 'cancel', { grounds: 'withdrawn' }),
  ),
  refusal(
    'only the wisher, or the collector on their behalf, withdraws',
    'wish.cancel.withdraw_not_wisher',
    'forbidden',
    'collected',
    (id) => post('res2', id, 'cancel', { grounds: 'withdrawn' }),
  ),
  refusal(
    'only the office, or a secretary of the collector’s unit or above it, declares a wish invalid',
    'wish.cancel.invalid_not_office_or_secretary',
    'forbidden',
    'collected',
    (id) => post('sec-c2', id, 'cancel', { grounds: 'invalid', reason: '虚假心愿' }),
  ),
  refusal(
    'declaring a wish invalid needs a reason',
    'wish.cancel.reason_required',
    'validation',
    'collected',
    (id) => post('office1', id, 'cancel', { grounds: 'invalid' }),
    {
      fields: ['body.reason'],
    },
  ),
  refusal(
    'the office showcases only wishes of its own district',
    'wish.office.outside_district',
    'forbidden',
    'confirmed',
    (id) => post('office2', id, 'showcase', story),
  ),
  refusal(
    'the office declares invalid only wishes of its own district',
    'wish.office.outside_district',
    'forbidden',
    'collected',
    (id) => post('office2', id, 'cancel', { grounds: 'invalid', reason: '虚假心愿' }),
  ),
];

describe('every wish rule refuses over HTTP, and the wish does not move', () => {
  it.each(refusals.map((r) => [r.title, r] as const))('%s', async (_title, {
    state,
    send,
    status,
    code,
    rule,
    fields,
    setUp,
  }) => {
    const id = freshId('rule');
    if (setUp !== undefined) await setUp(id);
    else await bringTo(id, state);
    const before = setUp !== undefined || state !== 'none' ? (await readItem(api, 'wish', id)).revision : null;
    expectRefused(await send(id), { status, code, rule, ...(fields === undefined ? {} : { fields }) });
    await expectUnmoved(api, 'wish', id, before);
  });

  it('a collector acting in a role they do not hold is refused by the API before the decider could (api.role_not_held, 403)', async () => {
    // wish.collect.role_not_held cannot be reached over HTTP: the API takes roles from the directory and
    // refuses an X-Acting-Role the person does not hold. Core's decider specs cover the rule itself.
    const id = freshId('role');
    expectRefused(await collectAs('sec-c1', {}, acting('grid_worker'))(id), {
      status: 403,
      code: 'forbidden',
      rule: 'api.role_not_held',
    });
    await expectUnmoved(api, 'wish', id, null);
  });
});
