// docs/domain.md's problem rules (征题 → 领题 → 解题 → 评题) exercised through the HTTP API: every command's
// allowed path answered with its status, ETag and events, and every rule's refusal answered with its status
// and problem type while the item's revision stays where it was. Items are set up over HTTP only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type ApiResponse, startApiFixture } from './test-support/api-fixture.js';
import {
  expectAccepted,
  expectRefused,
  expectUnmoved,
  problemSteps,
  promisedBy,
  readItem,
  residentProblem,
  solution,
} from './test-support/items.js';

let api: ApiFixture;
let steps: ReturnType<typeof problemSteps>;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
  steps = problemSteps(api);
  // The fixture has no secretary of a district: one is appointed over HTTP, for a problem at the top level.
  expectAccepted(
    await api.request('office1', 'POST', '/people', { body: { personId: 'sec-d1', kind: 'official', name: '高峰' } }),
    ['PersonRegistered'],
    201,
  );
  expectAccepted(
    await api.request('office1', 'POST', '/people/sec-d1/roles', { body: { role: 'secretary', unitId: 'd1' } }),
    ['RoleGranted'],
  );
});

afterAll(async () => {
  await api?.close();
});

let serial = 0;
const freshId = (label: string) => `p-${label}-${++serial}`;

const post = (
  as: string,
  id: string,
  step: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) => api.request(as, 'POST', `/problems/${id}/${step}`, { body, headers });

/** The answer and the item as read back agree: the status GET shows and the revision the command reached. */
const expectNow = async (id: string, answer: Record<string, unknown>, status: string) => {
  const item = await readItem(api, 'problem', id);
  expect({ status: item.status, revision: item.revision }).toEqual({ status, revision: answer.revision });
  return item;
};

type State = 'none' | 'solicited' | 'assigned' | 'claimed' | 'solved' | 'reopened' | 'closed' | 'rejected';

/** Brings a fresh res1 problem in d1-s1-c1 to `state` along the allowed path (claimed by sec-c1). */
const bringTo = async (id: string, state: State) => {
  if (state === 'none') return;
  await steps.solicit(id);
  if (state === 'solicited') return;
  if (state === 'assigned') return void (await steps.assign(id, 'd1-dept'));
  if (state === 'rejected') return void (await steps.reject(id));
  await steps.claim(id);
  if (state === 'claimed') return;
  await steps.solve(id);
  if (state === 'reopened') await steps.evaluate(id, 'unsatisfied', ['ProblemEvaluated', 'ProblemReopened']);
  if (state === 'closed') await steps.evaluate(id, 'satisfied', ['ProblemEvaluated', 'ProblemClosed']);
};

describe('the allowed path through a problem', () => {
  it('solicited → assigned to a department → claimed by its handler → progress → solved → unsatisfied (reopened) → supervised → solved → satisfied (closed)', async () => {
    const id = freshId('walk');
    const solicited = expectAccepted(
      await api.request('res1', 'POST', '/problems', { body: residentProblem(id) }),
      ['ProblemSolicited'],
      201,
    );
    expect(solicited.revision).toBe(0);
    await expectNow(id, solicited, 'solicited');

    const assigned = expectAccepted(await post('office1', id, 'assign', { toUnitId: 'd1-dept', note: '住建职责' }), [
      'ProblemAssigned',
    ]);
    expect((await expectNow(id, assigned, 'assigned')).state).toMatchObject({
      unitId: 'd1-dept',
      assignedTo: 'd1-dept',
    });

    const claimed = expectAccepted(
      await post('handler', id, 'claim', { plan: '协调物业维修', promisedBy: promisedBy() }),
      ['ProblemClaimed'],
    );
    expect((await expectNow(id, claimed, 'claimed')).state).toMatchObject({
      claim: { claimantId: 'handler', role: 'department_handler', unitId: 'd1-dept' },
    });

    await expectNow(
      id,
      expectAccepted(await post('handler', id, 'progress', { note: '灯具已订购' }), ['ProblemProgressNoted']),
      'claimed',
    );
    await expectNow(id, expectAccepted(await post('handler', id, 'solve', solution), ['ProblemSolved']), 'solved');

    const reopened = expectAccepted(
      await post('res1', id, 'evaluate', { kind: 'resident', verdict: 'unsatisfied', comment: '还是不亮' }),
      ['ProblemEvaluated', 'ProblemReopened'],
    );
    expect((await expectNow(id, reopened, 'claimed')).state).toMatchObject({
      reworkCount: 1,
      claim: { claimantId: 'handler' },
    });

    const supervised = expectAccepted(
      await post('office1', id, 'supervise', { ground: 'reopened', note: '返工督办' }),
      ['ProblemSupervised'],
    );
    expect((await expectNow(id, supervised, 'claimed')).state).toMatchObject({ supervisionCount: 1 });

    await expectNow(id, expectAccepted(await post('handler', id, 'solve', solution), ['ProblemSolved']), 'solved');
    const closed = expectAccepted(await post('res1', id, 'evaluate', { kind: 'resident', verdict: 'satisfied' }), [
      'ProblemEvaluated',
      'ProblemClosed',
    ]);
    expect(closed.revision).toBe(10);
    await expectNow(id, closed, 'closed');
  });

  it.each(
    [
      { who: 'a resident, as the raiser', as: 'res1', body: {} },
      {
        who: 'an enterprise, as the raiser',
        as: 'ent1',
        body: {
          unitId: 'd1-s1',
          source: 'enterprise',
          raiser: { kind: 'enterprise', enterpriseName: '海晨机械', enterpriseId: 'ent1' },
        },
      },
      {
        who: 'a grid worker, on a visit in their grid',
        as: 'grid1',
        body: { unitId: 'd1-s1-c1-g1', source: 'grid_visit', raiser: undefined },
      },
      {
        who: 'a secretary, in a suggestion drive below their unit',
        as: 'sec-s1',
        body: { source: 'suggestion_drive', raiser: undefined },
      },
      {
        who: 'the office, a supervision case of its district',
        as: 'office1',
        body: { source: 'supervision_case', raiser: undefined },
      },
    ].map((c) => [c.who, c] as const),
  )('征题 by %s is accepted (201) with its Location', async (_who, { as, body }) => {
    const id = freshId('channel');
    const answer = await api.request(as, 'POST', '/problems', { body: residentProblem(id, body) });
    await expectNow(id, expectAccepted(answer, ['ProblemSolicited'], 201), 'solicited');
    expect(answer.headers.get('location')).toBe(`/api/v1/problems/${id}`);
  });

  it('上报: a community secretary escalates to the street, the claim is released and the street secretary claims it', async () => {
    const id = freshId('escalate');
    await bringTo(id, 'claimed');
    const escalated = expectAccepted(await post('sec-c1', id, 'escalate', { reason: '涉及跨社区管网' }), [
      'ProblemEscalated',
    ]);
    expect((await expectNow(id, escalated, 'solicited')).state).toMatchObject({ unitId: 'd1-s1', claim: null });
    const claimed = expectAccepted(await post('sec-s1', id, 'claim', { plan: '街道统筹', promisedBy: promisedBy() }), [
      'ProblemClaimed',
    ]);
    expect((await expectNow(id, claimed, 'claimed')).state).toMatchObject({
      claim: { claimantId: 'sec-s1', unitId: 'd1-s1' },
    });
  });

  it.each(
    [
      { who: 'the office', as: 'office1', from: 'solicited' as const },
      { who: 'the office, after routing', as: 'office1', from: 'assigned' as const },
      { who: 'the secretary of the unit where it sits', as: 'sec-c1', from: 'solicited' as const },
    ].map((c) => [c.who, c.from, c] as const),
  )('rejection by %s ends an unclaimed problem (%s → rejected)', async (_who, _from, { as, from }) => {
    const id = freshId('reject');
    await bringTo(id, from);
    const rejected = expectAccepted(
      await post(as, id, 'reject', { ground: 'duplicate', reason: '与已受理的问题重复', duplicateOf: 'p-other' }),
      ['ProblemRejected'],
    );
    await expectNow(id, rejected, 'rejected');
  });

  it('企业评: an enterprise problem is claimed by the street secretary, solved and closed by the enterprise that raised it', async () => {
    const id = freshId('enterprise');
    await steps.solicit(
      id,
      {
        unitId: 'd1-s1',
        source: 'enterprise',
        raiser: { kind: 'enterprise', enterpriseName: '海晨机械', enterpriseId: 'ent1' },
      },
      'ent1',
    );
    await steps.claim(id, 'sec-s1');
    await steps.solve(id, 'sec-s1');
    const closed = expectAccepted(
      await post('ent1', id, 'evaluate', { kind: 'enterprise', verdict: 'basically_satisfied' }),
      ['ProblemEvaluated', 'ProblemClosed'],
    );
    await expectNow(id, closed, 'closed');
  });

  it.each(
    [
      {
        when: 'a supervision case has no raiser',
        body: { source: 'supervision_case', raiser: undefined },
        assessment: {},
      },
      {
        when: 'the resident raiser is not someone the system knows',
        body: { raiser: { kind: 'resident', name: '来电群众', phone: '13900000000' } },
        assessment: {},
      },
      { when: 'the office states the raiser cannot be reached', body: {}, assessment: { raiserUnreachable: true } },
    ].map((c) => [c.when, c] as const),
  )('考核评 closes a solved problem when %s', async (_when, { body, assessment }) => {
    const id = freshId('assess');
    await steps.solicit(id, body, 'office1');
    await steps.claim(id);
    await steps.solve(id);
    const closed = expectAccepted(
      await post('office1', id, 'evaluate', { kind: 'assessment', verdict: 'satisfied', ...assessment }),
      ['ProblemEvaluated', 'ProblemClosed'],
    );
    await expectNow(id, closed, 'closed');
  });

  it('考核评 while the raiser can still be asked is recorded and leaves it solved; the raiser’s verdict closes it', async () => {
    const id = freshId('assess-awaits');
    await bringTo(id, 'solved');
    const assessed = expectAccepted(
      await post('office1', id, 'evaluate', { kind: 'assessment', verdict: 'satisfied' }),
      ['ProblemEvaluated'],
    );
    await expectNow(id, assessed, 'solved');
    await expectNow(id, await steps.evaluate(id, 'satisfied', ['ProblemEvaluated', 'ProblemClosed']), 'closed');
  });

  it('回访: the office records the resident’s satisfied verdict on their behalf, which closes it as the raiser’s', async () => {
    const id = freshId('callback');
    await bringTo(id, 'solved');
    const closed = expectAccepted(
      await post('office1', id, 'evaluate', { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true }),
      ['ProblemEvaluated', 'ProblemClosed'],
    );
    await expectNow(id, closed, 'closed');
    const [evaluated, closing] = (await api.store.readStream(`problem-${id}`)).slice(-2);
    expect(evaluated).toMatchObject({
      type: 'ProblemEvaluated',
      actor: { personId: 'office1', role: 'office' },
      data: { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true },
    });
    expect(closing).toMatchObject({ type: 'ProblemClosed', data: { basis: 'raiser_verdict' } });
  });

  it('回访: an unsatisfied verdict taken by the office reopens it to the claimant', async () => {
    const id = freshId('callback-reopens');
    await bringTo(id, 'solved');
    const reopened = expectAccepted(
      await post('office1', id, 'evaluate', { kind: 'resident', verdict: 'unsatisfied', onBehalfOfRaiser: true }),
      ['ProblemEvaluated', 'ProblemReopened'],
    );
    expect((await expectNow(id, reopened, 'claimed')).state).toMatchObject({ reworkCount: 1 });
  });

  it('督办 on the ground overdue is accepted once the promised date has passed (claim recorded offline by the grid app)', async () => {
    const id = freshId('overdue');
    // The directory was set up a day ago, so acts can be backdated up to that. The claim is written in
    // UTC−12, where 23 h ago is at least two calendar days before today in UTC (the server's "now"); its
    // promised date is that day, which is past by the time the office supervises.
    const claimedAt = new Date(Date.now() - 23 * 3_600_000);
    const local = new Date(claimedAt.getTime() - 12 * 3_600_000).toISOString();
    const occurredAt = `${local.slice(0, 19)}-12:00`;
    const solicitedAt = new Date(claimedAt.getTime() - 60_000).toISOString();
    expectAccepted(
      await api.request('res1', 'POST', '/problems', {
        body: residentProblem(id),
        clientId: 'grid-app',
        headers: { 'x-occurred-at': solicitedAt },
      }),
      ['ProblemSolicited'],
      201,
    );
    expectAccepted(
      await api.request('sec-c1', 'POST', `/problems/${id}/claim`, {
        body: { plan: '当天处理', promisedBy: local.slice(0, 10) },
        clientId: 'grid-app',
        headers: { 'x-occurred-at': occurredAt },
      }),
      ['ProblemClaimed'],
    );
    const supervised = expectAccepted(await post('office1', id, 'supervise', { ground: 'overdue' }), [
      'ProblemSupervised',
    ]);
    expect((await expectNow(id, supervised, 'claimed')).state).toMatchObject({ supervisionCount: 1 });
  });
});

interface Refusal {
  readonly title: string;
  readonly state: State;
  readonly send: (id: string) => Promise<ApiResponse>;
  readonly status: number;
  readonly code: string;
  readonly rule: string;
  /** Sets the item up otherwise than `bringTo` does. */
  readonly setUp?: (id: string) => Promise<unknown>;
}

const codeStatus = { validation: 400, forbidden: 403, not_found: 404, conflict: 409, invalid_state: 422 } as const;

const refusal = (
  words: string,
  rule: string,
  code: keyof typeof codeStatus,
  state: State,
  send: Refusal['send'],
  setUp?: Refusal['setUp'],
): Refusal => ({
  title: `${words} (${rule}, ${codeStatus[code]})`,
  state,
  send,
  status: codeStatus[code],
  code,
  rule,
  ...(setUp === undefined ? {} : { setUp }),
});

const solicitAs = (as: string, overrides: Record<string, unknown>) => (id: string) =>
  api.request(as, 'POST', '/problems', { body: residentProblem(id, overrides) });
const claimBody = { plan: '联系物业更换灯泡', promisedBy: promisedBy() };
const acting = (role: string) => ({ 'x-acting-role': role });

/** A problem ent-9 raised (an enterprise not in the directory), recorded by the office, claimed and solved by sec-s1. */
const solvedForAnotherEnterprise = async (id: string) => {
  await steps.solicit(
    id,
    {
      unitId: 'd1-s1',
      source: 'enterprise',
      raiser: { kind: 'enterprise', enterpriseName: '青岛某厂', enterpriseId: 'ent-9' },
    },
    'office1',
  );
  await steps.claim(id, 'sec-s1');
  await steps.solve(id, 'sec-s1');
};

/** A problem solicited by the office at the district itself, claimed by the district's secretary. */
const claimedAtDistrict = async (id: string) => {
  await steps.solicit(id, { unitId: 'd1', source: 'supervision_case', raiser: undefined }, 'office1');
  await steps.claim(id, 'sec-d1');
};

const refusals: readonly Refusal[] = [
  refusal('a command acts only on a problem that exists', 'problem.not_found', 'not_found', 'none', (id) =>
    post('sec-c1', id, 'claim', claimBody),
  ),
  refusal('a closed problem accepts no commands', 'problem.closed', 'invalid_state', 'closed', (id) =>
    post('sec-c1', id, 'progress', { note: '补充说明' }),
  ),
  refusal('a rejected problem accepts no commands', 'problem.rejected', 'invalid_state', 'rejected', (id) =>
    post('sec-c1', id, 'claim', claimBody),
  ),
  refusal(
    'a problem id is solicited only once',
    'problem.solicit.already_exists',
    'conflict',
    'solicited',
    solicitAs('res1', {}),
  ),
  refusal(
    'a resident records only their own channel, not a grid visit',
    'problem.solicit.source_not_allowed',
    'forbidden',
    'none',
    solicitAs('res1', { source: 'grid_visit' }),
  ),
  refusal(
    'supervision cases are recorded only by the office',
    'problem.solicit.source_not_allowed',
    'forbidden',
    'none',
    solicitAs('sec-c1', { source: 'supervision_case', raiser: undefined }),
  ),
  refusal(
    'a resident raises only their own problems',
    'problem.solicit.not_the_raiser',
    'forbidden',
    'none',
    solicitAs('res1', { raiser: { kind: 'resident', personId: 'res2' } }),
  ),
  refusal(
    'a grid worker records visits only in their grid or below',
    'problem.solicit.outside_own_unit',
    'forbidden',
    'none',
    solicitAs('grid1', { unitId: 'd1-s1-c2', source: 'grid_visit', raiser: undefined }),
  ),
  refusal(
    'a secretary records suggestions only in their unit or below',
    'problem.solicit.outside_own_unit',
    'forbidden',
    'none',
    solicitAs('sec-c1', { unitId: 'd1-s1-c2', source: 'suggestion_drive', raiser: undefined }),
  ),
  refusal(
    'a resident problem has a resident raiser',
    'problem.solicit.raiser_mismatch',
    'validation',
    'none',
    solicitAs('office1', { raiser: { kind: 'enterprise', enterpriseName: '海晨机械' } }),
  ),
  refusal(
    'the problem’s unit is in the directory',
    'problem.solicit.unknown_unit',
    'validation',
    'none',
    solicitAs('res1', { unitId: 'd1-nowhere' }),
  ),
  refusal(
    'a problem has a title',
    'problem.solicit.title_required',
    'validation',
    'none',
    solicitAs('res1', { title: '   ' }),
  ),
  refusal('only the office routes problems', 'problem.assign.not_office', 'forbidden', 'solicited', (id) =>
    post('sec-c1', id, 'assign', { toUnitId: 'd1-dept' }, acting('secretary')),
  ),
  refusal('only an unclaimed problem is routed', 'problem.assign.not_open', 'invalid_state', 'claimed', (id) =>
    post('office1', id, 'assign', { toUnitId: 'd1-dept' }),
  ),
  refusal('the target unit is in the directory', 'problem.assign.unknown_unit', 'validation', 'solicited', (id) =>
    post('office1', id, 'assign', { toUnitId: 'd1-nowhere' }),
  ),
  refusal('one claimant at a time', 'problem.claim.already_claimed', 'conflict', 'claimed', (id) =>
    post('sec-s1', id, 'claim', claimBody),
  ),
  refusal(
    'only a secretary of the unit or an ancestor unit claims',
    'problem.claim.not_secretary_of_unit',
    'forbidden',
    'solicited',
    (id) => post('sec-c2', id, 'claim', claimBody),
  ),
  refusal(
    'a department handler claims only what was assigned to their department',
    'problem.claim.not_handler_of_department',
    'forbidden',
    'solicited',
    (id) => post('handler', id, 'claim', claimBody),
  ),
  refusal('a claim has a plan', 'problem.claim.plan_required', 'validation', 'solicited', (id) =>
    post('sec-c1', id, 'claim', { ...claimBody, plan: ' ' }),
  ),
  refusal(
    'the promised date is today or later',
    'problem.claim.promised_date_in_past',
    'validation',
    'solicited',
    (id) => post('sec-c1', id, 'claim', { ...claimBody, promisedBy: '2020-01-01' }),
  ),
  refusal('only a claimed problem is escalated', 'problem.escalate.not_claimed', 'invalid_state', 'solicited', (id) =>
    post('sec-c1', id, 'escalate', { reason: '需街道统筹' }),
  ),
  refusal('only the claimant escalates', 'problem.escalate.not_claimant', 'forbidden', 'claimed', (id) =>
    post('sec-s1', id, 'escalate', { reason: '需区里统筹' }),
  ),
  refusal(
    'a district-level problem cannot go higher',
    'problem.escalate.at_top_level',
    'invalid_state',
    'none',
    (id) => post('sec-d1', id, 'escalate', { reason: '无处上报' }),
    claimedAtDistrict,
  ),
  refusal('an escalation has a reason', 'problem.escalate.reason_required', 'validation', 'claimed', (id) =>
    post('sec-c1', id, 'escalate', { reason: ' ' }),
  ),
  refusal('only the office supervises', 'problem.supervise.not_office', 'forbidden', 'reopened', (id) =>
    post('sec-s1', id, 'supervise', { ground: 'reopened' }, acting('secretary')),
  ),
  refusal(
    'supervision on the ground overdue needs an overdue item',
    'problem.supervise.not_overdue',
    'invalid_state',
    'solicited',
    (id) => post('office1', id, 'supervise', { ground: 'overdue' }),
  ),
  refusal(
    'supervision on the ground reopened needs an item being reworked',
    'problem.supervise.not_reopened',
    'invalid_state',
    'claimed',
    (id) => post('office1', id, 'supervise', { ground: 'reopened' }),
  ),
  refusal('only an unclaimed problem is rejected', 'problem.reject.not_open', 'invalid_state', 'claimed', (id) =>
    post('office1', id, 'reject', { ground: 'other', reason: '不予受理' }),
  ),
  refusal(
    'only the office or a secretary of the unit itself rejects, not one above it',
    'problem.reject.not_office_or_unit_secretary',
    'forbidden',
    'solicited',
    (id) => post('sec-s1', id, 'reject', { ground: 'other', reason: '不予受理' }),
  ),
  refusal('a rejection has a reason', 'problem.reject.reason_required', 'validation', 'solicited', (id) =>
    post('office1', id, 'reject', { ground: 'other', reason: '  ' }),
  ),
  refusal(
    'progress is noted only on a claimed problem',
    'problem.progress.not_claimed',
    'invalid_state',
    'solicited',
    (id) => post('sec-c1', id, 'progress', { note: '已联系' }),
  ),
  refusal('only the claimant notes progress', 'problem.progress.not_claimant', 'forbidden', 'claimed', (id) =>
    post('sec-s1', id, 'progress', { note: '已联系' }),
  ),
  refusal('a progress note is not empty', 'problem.progress.note_required', 'validation', 'claimed', (id) =>
    post('sec-c1', id, 'progress', { note: ' ' }),
  ),
  refusal(
    'only a claimed problem is solved: a solved one is not solved again',
    'problem.solve.not_claimed',
    'invalid_state',
    'solved',
    (id) => post('sec-c1', id, 'solve', solution),
  ),
  refusal('only the claimant solves', 'problem.solve.not_claimant', 'forbidden', 'claimed', (id) =>
    post('sec-s1', id, 'solve', solution),
  ),
  refusal('a solution has a summary', 'problem.solve.summary_required', 'validation', 'claimed', (id) =>
    post('sec-c1', id, 'solve', { ...solution, summary: ' ' }),
  ),
  refusal(
    'a solution has at least one piece of evidence',
    'problem.solve.evidence_required',
    'validation',
    'claimed',
    (id) => post('sec-c1', id, 'solve', { ...solution, evidence: [] }),
  ),
  refusal('rating only when solved', 'problem.evaluate.not_solved', 'invalid_state', 'claimed', (id) =>
    post('res1', id, 'evaluate', { kind: 'resident', verdict: 'satisfied' }),
  ),
  refusal('百姓评 only by the resident who raised it', 'problem.evaluate.not_raiser', 'forbidden', 'solved', (id) =>
    post('res2', id, 'evaluate', { kind: 'resident', verdict: 'unsatisfied' }),
  ),
  refusal(
    '企业评 only by the enterprise that raised it',
    'problem.evaluate.not_raising_enterprise',
    'forbidden',
    'none',
    (id) => post('ent1', id, 'evaluate', { kind: 'enterprise', verdict: 'satisfied' }),
    solvedForAnotherEnterprise,
  ),
  refusal('考核评 only by the office, not an auditor', 'problem.evaluate.not_office', 'forbidden', 'solved', (id) =>
    post('auditor1', id, 'evaluate', { kind: 'assessment', verdict: 'satisfied' }, acting('auditor')),
  ),
  refusal(
    '回访 only by the office: a secretary acting as one is refused by the rule',
    'problem.evaluate.callback_not_office',
    'forbidden',
    'solved',
    (id) =>
      post(
        'sec-c1',
        id,
        'evaluate',
        { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true },
        acting('secretary'),
      ),
  ),
  refusal(
    '回访 only by the office: a secretary who names no role holds none that may record it',
    'api.no_role_for_command',
    'forbidden',
    'solved',
    (id) => post('sec-c1', id, 'evaluate', { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true }),
  ),
  refusal(
    '回访 needs a raiser the directory knows (a 督查件 has none)',
    'problem.evaluate.no_raiser_to_call_back',
    'invalid_state',
    'none',
    (id) => post('office1', id, 'evaluate', { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true }),
    async (id) => {
      await claimedAtDistrict(id);
      await steps.solve(id, 'sec-d1');
    },
  ),
  refusal(
    'a verdict by 回访 is of the raiser’s kind, not an assessment',
    'problem.evaluate.callback_kind_mismatch',
    'validation',
    'solved',
    (id) => post('office1', id, 'evaluate', { kind: 'assessment', verdict: 'satisfied', onBehalfOfRaiser: true }),
  ),
  refusal(
    'the office calls back only raisers of its own district',
    'problem.office_outside_district',
    'forbidden',
    'solved',
    (id) => post('office2', id, 'evaluate', { kind: 'resident', verdict: 'satisfied', onBehalfOfRaiser: true }),
  ),
  refusal(
    'the office records problems only in its own district',
    'problem.office_outside_district',
    'forbidden',
    'none',
    solicitAs('office2', { source: 'supervision_case', raiser: undefined }),
  ),
  refusal(
    'the office routes only problems of its own district',
    'problem.office_outside_district',
    'forbidden',
    'solicited',
    (id) => post('office2', id, 'assign', { toUnitId: 'd2-s1-c1' }),
  ),
  refusal(
    'the office routes only into units of its own district',
    'problem.office_outside_district',
    'forbidden',
    'solicited',
    (id) => post('office1', id, 'assign', { toUnitId: 'd2-s1-c1' }),
  ),
  refusal(
    'the office rejects only problems of its own district',
    'problem.office_outside_district',
    'forbidden',
    'solicited',
    (id) => post('office2', id, 'reject', { ground: 'out_of_scope', reason: '不属本区' }),
  ),
  refusal(
    'the office supervises only problems of its own district',
    'problem.office_outside_district',
    'forbidden',
    'reopened',
    (id) => post('office2', id, 'supervise', { ground: 'reopened' }),
  ),
  refusal(
    'the office assesses only problems of its own district',
    'problem.office_outside_district',
    'forbidden',
    'solved',
    (id) => post('office2', id, 'evaluate', { kind: 'assessment', verdict: 'satisfied', raiserUnreachable: true }),
  ),
];

describe('every problem rule refuses over HTTP, and the item does not move', () => {
  it.each(refusals.map((r) => [r.title, r] as const))('%s', async (_title, {
    state,
    send,
    status,
    code,
    rule,
    setUp,
  }) => {
    const id = freshId('rule');
    if (setUp !== undefined) await setUp(id);
    else await bringTo(id, state);
    const before = setUp !== undefined || state !== 'none' ? (await readItem(api, 'problem', id)).revision : null;
    expectRefused(await send(id), { status, code, rule });
    await expectUnmoved(api, 'problem', id, before);
  });
});
