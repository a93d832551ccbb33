// Every rule of the problem decider, each shown allowed and refused, with the rule in the test title.

import { deciderSpecification } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { UnitInfo } from '../directory/view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type {
  AssignProblem,
  ClaimProblem,
  EscalateProblem,
  EvaluateProblem,
  NoteProblemProgress,
  ProblemCommand,
  RejectProblem,
  SolicitProblem,
  SolveProblem,
  SuperviseProblem,
} from './commands.js';
import { type ProblemState, problemDecider } from './decider.js';
import { problemRules as rules } from './errors.js';
import type { ProblemEvent } from './events.js';

// 胶州: a district with two streets, two departments, communities and a grid.
const units: UnitInfo[] = [
  { unitId: 'district', name: '胶州市', kind: 'district', parentId: null },
  { unitId: 'street-a', name: '三里河街道', kind: 'street', parentId: 'district' },
  { unitId: 'street-b', name: '阜安街道', kind: 'street', parentId: 'district' },
  { unitId: 'dept-housing', name: '住建局', kind: 'department', parentId: 'district' },
  { unitId: 'dept-transport', name: '交通局', kind: 'department', parentId: 'district' },
  { unitId: 'community-a1', name: '三里河社区', kind: 'community', parentId: 'street-a' },
  { unitId: 'community-b1', name: '阜安社区', kind: 'community', parentId: 'street-b' },
  { unitId: 'grid-a1-1', name: '三里河一网格', kind: 'grid', parentId: 'community-a1' },
  // 黄岛区, the neighbouring district, with an office of its own.
  { unitId: 'district-hd', name: '黄岛区', kind: 'district', parentId: null },
  { unitId: 'street-hd', name: '薛家岛街道', kind: 'street', parentId: 'district-hd' },
];
const since = '2024-01-01';
const context: DecisionContext = {
  directory: directoryViewOf({
    units,
    holdings: [
      { personId: 'sec-district', role: 'secretary', unitId: 'district', since },
      { personId: 'sec-street-a', role: 'secretary', unitId: 'street-a', since },
      { personId: 'sec-street-b', role: 'secretary', unitId: 'street-b', since },
      { personId: 'sec-community-a1', role: 'secretary', unitId: 'community-a1', since },
      { personId: 'sec-grid', role: 'secretary', unitId: 'grid-a1-1', since },
      { personId: 'sec-housing', role: 'secretary', unitId: 'dept-housing', since },
      { personId: 'handler-housing', role: 'department_handler', unitId: 'dept-housing', since },
      { personId: 'handler-transport', role: 'department_handler', unitId: 'dept-transport', since },
      { personId: 'office-1', role: 'office', unitId: 'district', since },
      { personId: 'office-hd', role: 'office', unitId: 'district-hd', since },
      { personId: 'gridworker-1', role: 'grid_worker', unitId: 'grid-a1-1', since },
      { personId: 'resident-1', role: 'resident', unitId: 'grid-a1-1', since },
      { personId: 'resident-2', role: 'resident', unitId: 'grid-a1-1', since },
      { personId: 'enterprise-1', role: 'enterprise', unitId: 'street-a', since },
      { personId: 'enterprise-2', role: 'enterprise', unitId: 'street-a', since },
      { personId: 'member-1', role: 'member', unitId: 'street-a', since },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const spec = deciderSpecification(problemDecider, context);

const as = (personId: string, role: Actor['role']): Actor => ({ personId, role });
const office = as('office-1', 'office');
const raiser = as('resident-1', 'resident');
const claimant = as('sec-community-a1', 'secretary');

const NOW = '2025-03-01T09:00:00+08:00';
const problemId = 'p-1';

const solicit = (data: Partial<SolicitProblem['data']> = {}, actor = raiser, now = NOW): SolicitProblem => ({
  type: 'solicitProblem',
  data: {
    problemId,
    unitId: 'community-a1',
    source: 'resident',
    grade: 'small',
    title: '楼道灯不亮',
    raiser: { kind: 'resident', personId: 'resident-1', name: '张三', phone: '13800000000' },
    ...data,
  },
  metadata: { actor, now },
});
const assign = (toUnitId: string, actor = office, now = NOW): AssignProblem => ({
  type: 'assignProblem',
  data: { problemId, toUnitId },
  metadata: { actor, now },
});
const claim = (actor: Actor, data: Partial<ClaimProblem['data']> = {}, now = NOW): ClaimProblem => ({
  type: 'claimProblem',
  data: { problemId, plan: '更换灯具', promisedBy: '2025-03-10', ...data },
  metadata: { actor, now },
});
const escalate = (actor = claimant, reason = '需街道协调资金', now = NOW): EscalateProblem => ({
  type: 'escalateProblem',
  data: { problemId, reason },
  metadata: { actor, now },
});
const supervise = (ground: SuperviseProblem['data']['ground'], actor = office, now = NOW): SuperviseProblem => ({
  type: 'superviseProblem',
  data: { problemId, ground, note: '请加快办理' },
  metadata: { actor, now },
});
const reject = (actor: Actor, reason = '与 p-0 重复', now = NOW): RejectProblem => ({
  type: 'rejectProblem',
  data: { problemId, ground: 'duplicate', reason, duplicateOf: 'p-0' },
  metadata: { actor, now },
});
const noteProgress = (actor = claimant, note = '已联系物业', now = NOW): NoteProblemProgress => ({
  type: 'noteProblemProgress',
  data: { problemId, note },
  metadata: { actor, now },
});
const solve = (actor = claimant, data: Partial<SolveProblem['data']> = {}, now = NOW): SolveProblem => ({
  type: 'solveProblem',
  data: {
    problemId,
    summary: '已更换 6 盏灯',
    evidence: [{ kind: 'photo', uri: 'https://img.example/1.jpg' }],
    ...data,
  },
  metadata: { actor, now },
});
const evaluate = (
  actor: Actor,
  kind: EvaluateProblem['data']['kind'],
  verdict: EvaluateProblem['data']['verdict'],
  extra: Partial<EvaluateProblem['data']> = {},
  now = NOW,
): EvaluateProblem => ({
  type: 'evaluateProblem',
  data: { problemId, kind, verdict, ...extra },
  metadata: { actor, now },
});

const solicited: ProblemEvent = {
  type: 'ProblemSolicited',
  data: {
    problemId,
    unitId: 'community-a1',
    source: 'resident',
    grade: 'small',
    title: '楼道灯不亮',
    solicitedAt: NOW,
    raiser: { kind: 'resident', personId: 'resident-1', name: '张三', phone: '13800000000' },
  },
};
const solicitedAt = (unitId: string, more: Partial<Extract<ProblemEvent, { type: 'ProblemSolicited' }>['data']> = {}) =>
  ({ type: 'ProblemSolicited', data: { ...solicited.data, unitId, ...more } }) as ProblemEvent;
const assigned = (toUnitId: string, fromUnitId = 'community-a1'): ProblemEvent => ({
  type: 'ProblemAssigned',
  data: { problemId, fromUnitId, toUnitId },
});
const claimed = (
  claimantId = 'sec-community-a1',
  claimantUnitId = 'community-a1',
  claimantRole: 'secretary' | 'department_handler' = 'secretary',
  promisedBy = '2025-03-10',
): ProblemEvent => ({
  type: 'ProblemClaimed',
  data: { problemId, claimantId, claimantRole, claimantUnitId, plan: '更换灯具', promisedBy },
});
const solved: ProblemEvent = {
  type: 'ProblemSolved',
  data: { problemId, summary: '已更换 6 盏灯', evidence: [{ kind: 'photo', uri: 'https://img.example/1.jpg' }] },
};
const reopened = (reworkCount: number): ProblemEvent => ({
  type: 'ProblemReopened',
  data: { problemId, claimantId: 'sec-community-a1', reworkCount },
});
const closedEvent: ProblemEvent = {
  type: 'ProblemClosed',
  data: { problemId, basis: 'raiser_verdict', verdict: 'satisfied' },
};
const rejectedEvent: ProblemEvent = {
  type: 'ProblemRejected',
  data: { problemId, ground: 'duplicate', reason: '重复' },
};

const stateAfter = (events: readonly ProblemEvent[]): ProblemState =>
  events.reduce(problemDecider.evolve, problemDecider.initialState);

const everyCommand: readonly [string, ProblemCommand][] = [
  ['solicitProblem', solicit()],
  ['assignProblem', assign('dept-housing')],
  ['claimProblem', claim(as('sec-street-a', 'secretary'))],
  ['escalateProblem', escalate()],
  ['superviseProblem', supervise('reopened')],
  ['rejectProblem', reject(office)],
  ['noteProblemProgress', noteProgress()],
  ['solveProblem', solve()],
  ['evaluateProblem', evaluate(raiser, 'resident', 'satisfied')],
];

describe('any problem command', () => {
  it.each(
    everyCommand.filter(([type]) => type !== 'solicitProblem'),
  )('%s on an unknown problem is not found', (_, c) => {
    spec.given([]).when(c).thenError({ code: 'not_found', rule: rules.notFound });
  });

  it.each(everyCommand)('a closed problem (销号) accepts no %s', (_, c) => {
    spec
      .given([solicited, claimed(), solved, closedEvent])
      .when(c)
      .thenError({ code: 'invalid_state', rule: rules.closed });
  });

  it.each(everyCommand)('a rejected problem accepts no %s', (_, c) => {
    spec.given([solicited, rejectedEvent]).when(c).thenError({ code: 'invalid_state', rule: rules.rejected });
  });
});

describe('征题 solicitProblem', () => {
  it('a resident may raise their own problem', () => {
    spec.given([]).when(solicit()).thenEvents([solicited]);
  });

  it('a resident cannot raise a problem in someone else’s name', () => {
    spec
      .given([])
      .when(solicit({ raiser: { kind: 'resident', personId: 'resident-2' } }))
      .thenError({ code: 'forbidden', rule: rules.solicitNotTheRaiser });
  });

  it('an enterprise may raise its own problem', () => {
    const raiserData = {
      kind: 'enterprise' as const,
      enterpriseName: '青岛某机械有限公司',
      enterpriseId: 'enterprise-1',
    };
    spec
      .given([])
      .when(solicit({ source: 'enterprise', raiser: raiserData }, as('enterprise-1', 'enterprise')))
      .thenEvents([solicitedAt('community-a1', { source: 'enterprise', raiser: raiserData })]);
  });

  it('an enterprise cannot raise a problem in another enterprise’s name', () => {
    spec
      .given([])
      .when(
        solicit(
          {
            source: 'enterprise',
            raiser: { kind: 'enterprise', enterpriseName: '别家', enterpriseId: 'enterprise-2' },
          },
          as('enterprise-1', 'enterprise'),
        ),
      )
      .thenError({ code: 'forbidden', rule: rules.solicitNotTheRaiser });
  });

  it('a grid worker may record a grid-visit problem inside their grid', () => {
    spec
      .given([])
      .when(solicit({ unitId: 'grid-a1-1', source: 'grid_visit' }, as('gridworker-1', 'grid_worker')))
      .thenEvents([solicitedAt('grid-a1-1', { source: 'grid_visit' })]);
  });

  it('a grid worker cannot record a problem outside their grid', () => {
    spec
      .given([])
      .when(solicit({ unitId: 'community-b1', source: 'grid_visit' }, as('gridworker-1', 'grid_worker')))
      .thenError({ code: 'forbidden', rule: rules.solicitOutsideOwnUnit });
  });

  it('a secretary may record a suggestion-drive problem in their own unit or below', () => {
    spec
      .given([])
      .when(solicit({ unitId: 'grid-a1-1', source: 'suggestion_drive' }, as('sec-street-a', 'secretary')))
      .thenEvents([solicitedAt('grid-a1-1', { source: 'suggestion_drive' })]);
  });

  it('a secretary of a sibling unit cannot record a suggestion-drive problem', () => {
    spec
      .given([])
      .when(solicit({ unitId: 'community-a1', source: 'suggestion_drive' }, as('sec-street-b', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.solicitOutsideOwnUnit });
  });

  it('the office may record a supervision case (督查件) with no raiser to ask', () => {
    const { raiser: _, ...withoutRaiser } = solicited.data as Extract<
      ProblemEvent,
      { type: 'ProblemSolicited' }
    >['data'];
    spec
      .given([])
      .when(solicit({ source: 'supervision_case', raiser: undefined }, office))
      .thenEvents([{ type: 'ProblemSolicited', data: { ...withoutRaiser, source: 'supervision_case' } }]);
  });

  it('a resident cannot record a supervision case (督查件)', () => {
    spec
      .given([])
      .when(solicit({ source: 'supervision_case' }))
      .thenError({ code: 'forbidden', rule: rules.solicitSourceNotAllowed });
  });

  it('a party member cannot record a problem at all', () => {
    spec
      .given([])
      .when(solicit({ source: 'suggestion_drive' }, as('member-1', 'member')))
      .thenError({ code: 'forbidden', rule: rules.solicitSourceNotAllowed });
  });

  it('acting as the office without holding the office role cannot record a problem', () => {
    spec
      .given([])
      .when(solicit({ source: 'supervision_case' }, as('sec-district', 'office')))
      .thenError({ code: 'forbidden', rule: rules.solicitSourceNotAllowed });
  });

  it('the same problem cannot be solicited twice', () => {
    spec.given([solicited]).when(solicit()).thenError({ code: 'conflict', rule: rules.alreadyExists });
  });

  it('a problem must sit in a unit the directory knows', () => {
    spec
      .given([])
      .when(solicit({ unitId: 'nowhere' }))
      .thenError({ code: 'validation', rule: rules.solicitUnknownUnit });
  });

  it('a resident problem needs a resident raiser, an enterprise problem an enterprise raiser', () => {
    spec
      .given([])
      .when(solicit({ source: 'resident', raiser: { kind: 'enterprise', enterpriseName: 'X' } }, office))
      .thenError({ code: 'validation', rule: rules.solicitRaiserMismatch });
    spec
      .given([])
      .when(solicit({ source: 'enterprise', raiser: undefined }, office))
      .thenError({ code: 'validation', rule: rules.solicitRaiserMismatch });
  });

  it('a problem needs a title', () => {
    spec
      .given([])
      .when(solicit({ title: '  ' }))
      .thenError({ code: 'validation', rule: rules.solicitTitleRequired });
  });
});

describe('转办 assignProblem', () => {
  it('the office may route a problem to a department', () => {
    spec
      .given([solicited])
      .when(assign('dept-housing'))
      .thenEvents([assigned('dept-housing')]);
    expect(stateAfter([solicited, assigned('dept-housing')])).toMatchObject({
      status: 'assigned',
      unitId: 'dept-housing',
      assignedTo: 'dept-housing',
    });
  });

  it('the office may route an assigned problem on again', () => {
    spec
      .given([solicited, assigned('dept-housing')])
      .when(assign('street-a'))
      .thenEvents([assigned('street-a', 'dept-housing')]);
  });

  it('a secretary cannot route a problem (转办 is the office’s)', () => {
    spec
      .given([solicited])
      .when(assign('dept-housing', as('sec-district', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.assignNotOffice });
  });

  it('a claimed problem cannot be routed', () => {
    spec
      .given([solicited, claimed()])
      .when(assign('dept-housing'))
      .thenError({ code: 'invalid_state', rule: rules.assignNotOpen });
  });

  it('a problem cannot be routed to a unit the directory does not know', () => {
    spec.given([solicited]).when(assign('nowhere')).thenError({ code: 'validation', rule: rules.assignUnknownUnit });
  });
});

describe('领题 claimProblem', () => {
  it('a secretary of the unit may claim', () => {
    spec.given([solicited]).when(claim(claimant)).thenEvents([claimed()]);
  });

  it('a secretary of an ancestor unit may claim, answering for the nearest unit they lead', () => {
    spec
      .given([solicited])
      .when(claim(as('sec-street-a', 'secretary')))
      .thenEvents([claimed('sec-street-a', 'street-a')]);
    spec
      .given([solicited])
      .when(claim(as('sec-district', 'secretary')))
      .thenEvents([claimed('sec-district', 'district')]);
  });

  it('a secretary of a sibling unit cannot claim', () => {
    spec
      .given([solicited])
      .when(claim(as('sec-street-b', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
  });

  it('a secretary of a unit below cannot claim', () => {
    spec
      .given([solicited])
      .when(claim(as('sec-grid', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
  });

  it('a resident cannot claim, nor someone acting as a secretary without holding the role', () => {
    spec.given([solicited]).when(claim(raiser)).thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
    spec
      .given([solicited])
      .when(claim(as('member-1', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
  });

  it('a handler of the department it was assigned to may claim', () => {
    spec
      .given([solicited, assigned('dept-housing')])
      .when(claim(as('handler-housing', 'department_handler')))
      .thenEvents([claimed('handler-housing', 'dept-housing', 'department_handler')]);
  });

  it('a handler of another department cannot claim', () => {
    spec
      .given([solicited, assigned('dept-housing')])
      .when(claim(as('handler-transport', 'department_handler')))
      .thenError({ code: 'forbidden', rule: rules.claimNotHandlerOfDepartment });
  });

  it('a department handler cannot claim a problem never assigned to a department', () => {
    spec
      .given([solicited])
      .when(claim(as('handler-housing', 'department_handler')))
      .thenError({ code: 'forbidden', rule: rules.claimNotHandlerOfDepartment });
  });

  it('after 转办 to a department, a secretary of the old unit can no longer claim but the department’s can', () => {
    spec
      .given([solicited, assigned('dept-housing')])
      .when(claim(claimant))
      .thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
    spec
      .given([solicited, assigned('dept-housing')])
      .when(claim(as('sec-housing', 'secretary')))
      .thenEvents([claimed('sec-housing', 'dept-housing')]);
  });

  it('one claimant at a time: a claimed problem cannot be claimed again', () => {
    spec
      .given([solicited, claimed()])
      .when(claim(as('sec-street-a', 'secretary')))
      .thenError({ code: 'conflict', rule: rules.claimAlreadyClaimed });
    spec
      .given([solicited, claimed(), solved])
      .when(claim(as('sec-street-a', 'secretary')))
      .thenError({ code: 'conflict', rule: rules.claimAlreadyClaimed });
  });

  it('a claim needs a plan', () => {
    spec
      .given([solicited])
      .when(claim(claimant, { plan: '' }))
      .thenError({ code: 'validation', rule: rules.claimPlanRequired });
  });

  it('a claim may promise today, but not a day already past', () => {
    spec
      .given([solicited])
      .when(claim(claimant, { promisedBy: '2025-03-01' }))
      .thenEvents([claimed('sec-community-a1', 'community-a1', 'secretary', '2025-03-01')]);
    spec
      .given([solicited])
      .when(claim(claimant, { promisedBy: '2025-02-28' }))
      .thenError({ code: 'validation', rule: rules.claimPromisedDateInPast });
  });
});

describe('上报 escalateProblem', () => {
  const escalated: ProblemEvent = {
    type: 'ProblemEscalated',
    data: {
      problemId,
      fromUnitId: 'community-a1',
      toUnitId: 'street-a',
      reason: '需街道协调资金',
      releasedClaimantId: 'sec-community-a1',
    },
  };

  it('the claimant may escalate one level up: back to solicited at the parent unit, claim released', () => {
    spec.given([solicited, claimed()]).when(escalate()).thenEvents([escalated]);
    expect(stateAfter([solicited, claimed(), escalated])).toMatchObject({
      status: 'solicited',
      unitId: 'street-a',
      claim: null,
    });
  });

  it('after 上报, a secretary of the parent unit may claim and the former claimant may not', () => {
    spec
      .given([solicited, claimed(), escalated])
      .when(claim(as('sec-street-a', 'secretary')))
      .thenEvents([claimed('sec-street-a', 'street-a')]);
    spec
      .given([solicited, claimed(), escalated])
      .when(claim(claimant))
      .thenError({ code: 'forbidden', rule: rules.claimNotSecretaryOfUnit });
  });

  it('a department problem escalates to the district', () => {
    spec
      .given([solicited, assigned('dept-housing'), claimed('handler-housing', 'dept-housing', 'department_handler')])
      .when(escalate(as('handler-housing', 'department_handler')))
      .thenEvents([
        {
          type: 'ProblemEscalated',
          data: {
            problemId,
            fromUnitId: 'dept-housing',
            toUnitId: 'district',
            reason: '需街道协调资金',
            releasedClaimantId: 'handler-housing',
          },
        },
      ]);
  });

  it('someone other than the claimant cannot escalate', () => {
    spec
      .given([solicited, claimed()])
      .when(escalate(as('sec-street-a', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.escalateNotClaimant });
  });

  it('an unclaimed problem cannot be escalated', () => {
    spec.given([solicited]).when(escalate()).thenError({ code: 'invalid_state', rule: rules.escalateNotClaimed });
  });

  it('a district-level problem cannot go higher', () => {
    spec
      .given([solicitedAt('district'), claimed('sec-district', 'district')])
      .when(escalate(as('sec-district', 'secretary')))
      .thenError({ code: 'invalid_state', rule: rules.escalateAtTopLevel });
  });

  it('an escalation needs a reason', () => {
    spec
      .given([solicited, claimed()])
      .when(escalate(claimant, ' '))
      .thenError({ code: 'validation', rule: rules.escalateReasonRequired });
  });
});

describe('督办 superviseProblem', () => {
  const supervised = (ground: 'overdue' | 'reopened'): ProblemEvent => ({
    type: 'ProblemSupervised',
    data: { problemId, ground, note: '请加快办理' },
  });

  it('the office may supervise a claimed problem past its promised date', () => {
    spec
      .given([solicited, claimed()])
      .when(supervise('overdue', office, '2025-03-11T08:00:00+08:00'))
      .thenEvents([supervised('overdue')]);
  });

  it('a claimed problem is not overdue on its promised date', () => {
    spec
      .given([solicited, claimed()])
      .when(supervise('overdue', office, '2025-03-10T23:00:00+08:00'))
      .thenError({ code: 'invalid_state', rule: rules.superviseNotOverdue });
  });

  it('the office may supervise an unclaimed problem past its grade’s response window (小事: 3 days)', () => {
    spec
      .given([solicited])
      .when(supervise('overdue', office, '2025-03-05T08:00:00+08:00'))
      .thenEvents([supervised('overdue')]);
    spec
      .given([solicited])
      .when(supervise('overdue', office, '2025-03-04T08:00:00+08:00'))
      .thenError({ code: 'invalid_state', rule: rules.superviseNotOverdue });
  });

  it('a solved problem awaiting its rating is not overdue', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(supervise('overdue', office, '2025-04-01T08:00:00+08:00'))
      .thenError({ code: 'invalid_state', rule: rules.superviseNotOverdue });
  });

  it('the office may supervise a reopened problem', () => {
    spec
      .given([solicited, claimed(), solved, reopened(1)])
      .when(supervise('reopened'))
      .thenEvents([supervised('reopened')]);
    expect(stateAfter([solicited, claimed(), solved, reopened(1), supervised('reopened')])).toMatchObject({
      supervisionCount: 1,
    });
  });

  it('a problem never reopened cannot be supervised as reopened', () => {
    spec
      .given([solicited, claimed()])
      .when(supervise('reopened'))
      .thenError({ code: 'invalid_state', rule: rules.superviseNotReopened });
  });

  it('a secretary cannot supervise (督办 is the office’s)', () => {
    spec
      .given([solicited, claimed()])
      .when(supervise('overdue', as('sec-district', 'secretary'), '2025-03-11T08:00:00+08:00'))
      .thenError({ code: 'forbidden', rule: rules.superviseNotOffice });
  });
});

describe('rejectProblem', () => {
  const rejected: ProblemEvent = {
    type: 'ProblemRejected',
    data: { problemId, ground: 'duplicate', reason: '与 p-0 重复', duplicateOf: 'p-0' },
  };

  it('the office may reject an unclaimed problem as a duplicate', () => {
    spec.given([solicited]).when(reject(office)).thenEvents([rejected]);
  });

  it('a secretary of the unit where it sits may reject it, also after 转办', () => {
    spec.given([solicited]).when(reject(claimant)).thenEvents([rejected]);
    spec
      .given([solicited, assigned('dept-housing')])
      .when(reject(as('sec-housing', 'secretary')))
      .thenEvents([rejected]);
  });

  it('a secretary of another unit, even an ancestor, cannot reject', () => {
    spec
      .given([solicited])
      .when(reject(as('sec-street-a', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.rejectNotOfficeOrUnitSecretary });
  });

  it('a resident cannot reject a problem', () => {
    spec
      .given([solicited])
      .when(reject(raiser))
      .thenError({ code: 'forbidden', rule: rules.rejectNotOfficeOrUnitSecretary });
  });

  it('a claimed problem cannot be rejected', () => {
    spec
      .given([solicited, claimed()])
      .when(reject(office))
      .thenError({ code: 'invalid_state', rule: rules.rejectNotOpen });
  });

  it('a rejection needs a reason', () => {
    spec
      .given([solicited])
      .when(reject(office, ''))
      .thenError({ code: 'validation', rule: rules.rejectReasonRequired });
  });
});

describe('noteProblemProgress', () => {
  it('the claimant may note progress', () => {
    spec
      .given([solicited, claimed()])
      .when(noteProgress())
      .thenEvents([{ type: 'ProblemProgressNoted', data: { problemId, note: '已联系物业' } }]);
  });

  it('someone other than the claimant cannot note progress', () => {
    spec
      .given([solicited, claimed()])
      .when(noteProgress(as('sec-street-a', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.progressNotClaimant });
  });

  it('an unclaimed problem takes no progress notes', () => {
    spec.given([solicited]).when(noteProgress()).thenError({ code: 'invalid_state', rule: rules.progressNotClaimed });
  });

  it('a progress note cannot be empty', () => {
    spec
      .given([solicited, claimed()])
      .when(noteProgress(claimant, ''))
      .thenError({ code: 'validation', rule: rules.progressNoteRequired });
  });
});

describe('解题 solveProblem', () => {
  it('the claimant may report it solved with a summary and evidence', () => {
    spec.given([solicited, claimed()]).when(solve()).thenEvents([solved]);
  });

  it('someone other than the claimant cannot report it solved', () => {
    spec
      .given([solicited, claimed()])
      .when(solve(as('sec-district', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.solveNotClaimant });
  });

  it('an unclaimed problem cannot be solved', () => {
    spec.given([solicited]).when(solve()).thenError({ code: 'invalid_state', rule: rules.solveNotClaimed });
  });

  it('a solution needs a summary', () => {
    spec
      .given([solicited, claimed()])
      .when(solve(claimant, { summary: '' }))
      .thenError({ code: 'validation', rule: rules.solveSummaryRequired });
  });

  it('a solution needs evidence', () => {
    spec
      .given([solicited, claimed()])
      .when(solve(claimant, { evidence: [] }))
      .thenError({ code: 'validation', rule: rules.solveEvidenceRequired });
  });
});

describe('评题 evaluateProblem', () => {
  const evaluated = (
    kind: EvaluateProblem['data']['kind'],
    verdict: EvaluateProblem['data']['verdict'],
    extra: object = {},
  ): ProblemEvent => ({ type: 'ProblemEvaluated', data: { problemId, kind, verdict, ...extra } });
  const closedOn = (
    basis: 'raiser_verdict' | 'assessment',
    verdict: 'satisfied' | 'basically_satisfied',
  ): ProblemEvent => ({
    type: 'ProblemClosed',
    data: { problemId, basis, verdict },
  });
  const enterpriseRaised = solicitedAt('community-a1', {
    source: 'enterprise',
    raiser: { kind: 'enterprise', enterpriseName: '青岛某机械有限公司', enterpriseId: 'enterprise-1' },
  });

  it('the raiser’s satisfied rating (百姓评) closes it (销号)', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(raiser, 'resident', 'satisfied', { comment: '很及时' }))
      .thenEvents([evaluated('resident', 'satisfied', { comment: '很及时' }), closedOn('raiser_verdict', 'satisfied')]);
    expect(
      stateAfter([
        solicited,
        claimed(),
        solved,
        evaluated('resident', 'satisfied'),
        closedOn('raiser_verdict', 'satisfied'),
      ]),
    ).toMatchObject({ status: 'closed' });
  });

  it('the raiser’s basically satisfied rating closes it too', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(raiser, 'resident', 'basically_satisfied'))
      .thenEvents([evaluated('resident', 'basically_satisfied'), closedOn('raiser_verdict', 'basically_satisfied')]);
  });

  it('the raiser’s unsatisfied rating reopens it to the claimant, rework count + 1', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(raiser, 'resident', 'unsatisfied'))
      .thenEvents([evaluated('resident', 'unsatisfied'), reopened(1)]);
    spec
      .given([solicited, claimed(), solved, reopened(1), solved])
      .when(evaluate(raiser, 'resident', 'unsatisfied'))
      .thenEvents([evaluated('resident', 'unsatisfied'), reopened(2)]);
    expect(stateAfter([solicited, claimed(), solved, evaluated('resident', 'unsatisfied'), reopened(1)])).toMatchObject(
      {
        status: 'claimed',
        reworkCount: 1,
        claim: { claimantId: 'sec-community-a1' },
      },
    );
  });

  it('a resident who did not raise it cannot give 百姓评', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(as('resident-2', 'resident'), 'resident', 'satisfied'))
      .thenError({ code: 'forbidden', rule: rules.evaluateNotRaiser });
  });

  it('the enterprise that raised it gives 企业评, which closes it', () => {
    spec
      .given([enterpriseRaised, claimed(), solved])
      .when(evaluate(as('enterprise-1', 'enterprise'), 'enterprise', 'satisfied'))
      .thenEvents([evaluated('enterprise', 'satisfied'), closedOn('raiser_verdict', 'satisfied')]);
  });

  it('another enterprise cannot give 企业评', () => {
    spec
      .given([enterpriseRaised, claimed(), solved])
      .when(evaluate(as('enterprise-2', 'enterprise'), 'enterprise', 'satisfied'))
      .thenError({ code: 'forbidden', rule: rules.evaluateNotRaisingEnterprise });
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(as('enterprise-1', 'enterprise'), 'enterprise', 'satisfied'))
      .thenError({ code: 'forbidden', rule: rules.evaluateNotRaisingEnterprise });
  });

  it('the office’s assessment (考核评) is recorded but does not close it while the raiser can be asked', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(office, 'assessment', 'satisfied'))
      .thenEvents([evaluated('assessment', 'satisfied')]);
  });

  it('the office’s assessment closes it when the raiser cannot be reached', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(office, 'assessment', 'basically_satisfied', { raiserUnreachable: true }))
      .thenEvents([
        evaluated('assessment', 'basically_satisfied', { raiserUnreachable: true }),
        closedOn('assessment', 'basically_satisfied'),
      ]);
  });

  it('the office’s assessment closes a problem with no raiser to ask (督查件)', () => {
    const { raiser: _, ...noRaiser } = solicited.data as Extract<ProblemEvent, { type: 'ProblemSolicited' }>['data'];
    spec
      .given([{ type: 'ProblemSolicited', data: { ...noRaiser, source: 'supervision_case' } }, claimed(), solved])
      .when(evaluate(office, 'assessment', 'satisfied'))
      .thenEvents([evaluated('assessment', 'satisfied'), closedOn('assessment', 'satisfied')]);
  });

  it('the office’s unsatisfied assessment reopens it', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(office, 'assessment', 'unsatisfied'))
      .thenEvents([evaluated('assessment', 'unsatisfied'), reopened(1)]);
  });

  it('a secretary cannot give 考核评', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(as('sec-district', 'secretary'), 'assessment', 'satisfied'))
      .thenError({ code: 'forbidden', rule: rules.evaluateNotOffice });
  });

  it('no rating before the problem is solved', () => {
    spec
      .given([solicited, claimed()])
      .when(evaluate(raiser, 'resident', 'satisfied'))
      .thenError({ code: 'invalid_state', rule: rules.evaluateNotSolved });
    spec
      .given([solicited])
      .when(evaluate(office, 'assessment', 'satisfied'))
      .thenError({ code: 'invalid_state', rule: rules.evaluateNotSolved });
  });
});

describe('回访 evaluateProblem on behalf of the raiser', () => {
  const evaluated = (
    kind: EvaluateProblem['data']['kind'],
    verdict: EvaluateProblem['data']['verdict'],
    extra: object = {},
  ): ProblemEvent => ({ type: 'ProblemEvaluated', data: { problemId, kind, verdict, ...extra } });
  const callback = (
    kind: EvaluateProblem['data']['kind'],
    verdict: EvaluateProblem['data']['verdict'],
    actor = office,
    extra: Partial<EvaluateProblem['data']> = {},
  ) => evaluate(actor, kind, verdict, { onBehalfOfRaiser: true, ...extra });
  const enterpriseRaised = solicitedAt('community-a1', {
    source: 'enterprise',
    raiser: { kind: 'enterprise', enterpriseName: '青岛某机械有限公司', enterpriseId: 'enterprise-1' },
  });

  it('the office records the resident’s satisfied verdict by 回访, which closes it as the raiser’s verdict', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(callback('resident', 'satisfied', office, { comment: '电话回访：满意' }))
      .thenEvents([
        evaluated('resident', 'satisfied', { comment: '电话回访：满意', onBehalfOfRaiser: true }),
        { type: 'ProblemClosed', data: { problemId, basis: 'raiser_verdict', verdict: 'satisfied' } },
      ]);
  });

  it('a basically satisfied verdict taken by 回访 closes it too, and an enterprise is called back as an enterprise', () => {
    spec
      .given([enterpriseRaised, claimed(), solved])
      .when(callback('enterprise', 'basically_satisfied'))
      .thenEvents([
        evaluated('enterprise', 'basically_satisfied', { onBehalfOfRaiser: true }),
        { type: 'ProblemClosed', data: { problemId, basis: 'raiser_verdict', verdict: 'basically_satisfied' } },
      ]);
  });

  it('an unsatisfied verdict taken by 回访 reopens it to the claimant', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(callback('resident', 'unsatisfied'))
      .thenEvents([evaluated('resident', 'unsatisfied', { onBehalfOfRaiser: true }), reopened(1)]);
  });

  it('onBehalfOfRaiser false is the raiser’s own rating, stored without the flag', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(raiser, 'resident', 'satisfied', { onBehalfOfRaiser: false }))
      .thenEvents([
        evaluated('resident', 'satisfied'),
        { type: 'ProblemClosed', data: { problemId, basis: 'raiser_verdict', verdict: 'satisfied' } },
      ]);
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(office, 'resident', 'satisfied', { onBehalfOfRaiser: false }))
      .thenError({ code: 'forbidden', rule: rules.evaluateNotRaiser });
  });

  it('only the office calls back (回访): a secretary, the claimant or the raiser themselves cannot', () => {
    for (const actor of [as('sec-district', 'secretary'), claimant, raiser, as('office-1', 'secretary')])
      spec
        .given([solicited, claimed(), solved])
        .when(callback('resident', 'satisfied', actor))
        .thenError({ code: 'forbidden', rule: rules.evaluateCallbackNotOffice });
  });

  it('another district’s office cannot call back this district’s raiser', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(callback('resident', 'satisfied', as('office-hd', 'office')))
      .thenError({ code: 'forbidden', rule: rules.officeOutsideDistrict });
  });

  it('a verdict by 回访 is of the raiser’s kind: not an assessment, not the other kind of raiser', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(callback('assessment', 'satisfied'))
      .thenError({ code: 'validation', rule: rules.evaluateCallbackKindMismatch });
    spec
      .given([solicited, claimed(), solved])
      .when(callback('enterprise', 'satisfied'))
      .thenError({ code: 'validation', rule: rules.evaluateCallbackKindMismatch });
    spec
      .given([enterpriseRaised, claimed(), solved])
      .when(callback('resident', 'satisfied'))
      .thenError({ code: 'validation', rule: rules.evaluateCallbackKindMismatch });
  });

  it('nobody to call back: no raiser (督查件), or a raiser the directory does not know', () => {
    const { raiser: _, ...noRaiser } = solicited.data as Extract<ProblemEvent, { type: 'ProblemSolicited' }>['data'];
    spec
      .given([{ type: 'ProblemSolicited', data: { ...noRaiser, source: 'supervision_case' } }, claimed(), solved])
      .when(callback('resident', 'satisfied'))
      .thenError({ code: 'invalid_state', rule: rules.evaluateNoRaiserToCallBack });
    spec
      .given([solicitedAt('community-a1', { raiser: { kind: 'resident', name: '李四' } }), claimed(), solved])
      .when(callback('resident', 'satisfied'))
      .thenError({ code: 'invalid_state', rule: rules.evaluateNoRaiserToCallBack });
  });

  it('no 回访 before the problem is solved', () => {
    spec
      .given([solicited, claimed()])
      .when(callback('resident', 'satisfied'))
      .thenError({ code: 'invalid_state', rule: rules.evaluateNotSolved });
  });
});

describe('the office acts only inside its own district', () => {
  const otherOffice = as('office-hd', 'office');
  const outside = { code: 'forbidden', rule: rules.officeOutsideDistrict } as const;

  it('another district’s office cannot record a problem in this district', () => {
    spec
      .given([])
      .when(solicit({ source: 'supervision_case', raiser: undefined }, otherOffice))
      .thenError(outside);
  });

  it('another district’s office cannot route (转办) this district’s problem', () => {
    spec.given([solicited]).when(assign('dept-housing', otherOffice)).thenError(outside);
  });

  it('the office cannot route a problem into a street of another district', () => {
    spec.given([solicited]).when(assign('street-hd')).thenError(outside);
  });

  it('another district’s office cannot reject this district’s problem', () => {
    spec.given([solicited]).when(reject(otherOffice)).thenError(outside);
  });

  it('another district’s office cannot put this district’s problem under supervision (督办)', () => {
    spec
      .given([solicited, claimed(), solved, reopened(1)])
      .when(supervise('reopened', otherOffice))
      .thenError(outside);
  });

  it('another district’s office cannot assess (考核评) and so reopen this district’s problem', () => {
    spec
      .given([solicited, claimed(), solved])
      .when(evaluate(otherOffice, 'assessment', 'unsatisfied'))
      .thenError(outside);
  });

  it('the office of the district still routes, rejects, supervises and assesses its own problems', () => {
    spec
      .given([solicited])
      .when(assign('street-b'))
      .thenEvents([{ type: 'ProblemAssigned', data: { problemId, fromUnitId: 'community-a1', toUnitId: 'street-b' } }]);
    spec
      .given([solicited])
      .when(reject(office))
      .thenEvents([
        {
          type: 'ProblemRejected',
          data: { problemId, ground: 'duplicate', reason: '与 p-0 重复', duplicateOf: 'p-0' },
        },
      ]);
  });
});
