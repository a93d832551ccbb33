// Every rule of the visit decider, each shown allowed and refused, with the rule in the test title.

import { deciderSpecification } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { UnitInfo } from '../directory/view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type { CancelVisit, RecordVisit } from './commands.js';
import { RecordVisitData } from './commands.js';
import { visitDecider } from './decider.js';
import { visitRules as rules } from './errors.js';
import type { VisitEvent } from './events.js';
import { defaultVisitQuotaRules, visitMonthOf, visitQuotaOf, visitQuotaStanding } from './quota.js';

// 市南区: a street with two communities and a grid, and a department whose 处长 serve as grid workers.
const units: UnitInfo[] = [
  { unitId: 'district', name: '市南区', kind: 'district', parentId: null },
  { unitId: 'street-zh', name: '珠海路街道', kind: 'street', parentId: 'district' },
  { unitId: 'community-st', name: '汕头路社区', kind: 'community', parentId: 'street-zh' },
  { unitId: 'grid-st-1', name: '汕头路一网格', kind: 'grid', parentId: 'community-st' },
  { unitId: 'community-other', name: '另一社区', kind: 'community', parentId: 'street-zh' },
  { unitId: 'dept-org', name: '组织部', kind: 'department', parentId: 'district' },
  { unitId: 'community-old', name: '已撤并社区', kind: 'community', parentId: 'street-zh', retired: true },
  { unitId: 'district-hd', name: '黄岛区', kind: 'district', parentId: null },
  { unitId: 'dept-hd', name: '黄岛区某局', kind: 'department', parentId: 'district-hd' },
];
const since = '2024-01-01';
const context: DecisionContext = {
  directory: directoryViewOf({
    units,
    holdings: [
      { personId: 'sec-st', role: 'secretary', unitId: 'community-st', since },
      { personId: 'sec-street', role: 'secretary', unitId: 'street-zh', since },
      { personId: 'sec-other', role: 'secretary', unitId: 'community-other', since },
      { personId: 'gw-1', role: 'grid_worker', unitId: 'grid-st-1', since },
      { personId: 'member-1', role: 'member', unitId: 'community-st', since },
      { personId: 'chuzhang-1', role: 'department_handler', unitId: 'dept-org', since },
      { personId: 'chuzhang-hd', role: 'department_handler', unitId: 'dept-hd', since },
      { personId: 'office-1', role: 'office', unitId: 'district', since },
      { personId: 'resident-1', role: 'resident', unitId: 'grid-st-1', since },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const spec = deciderSpecification(visitDecider, context);
const as = (personId: string, role: Actor['role']): Actor => ({ personId, role });
const gridWorker = as('gw-1', 'grid_worker');
const NOW = '2025-06-12T15:00:00+08:00';
const visitId = 'V-1';
const home = '36.066100,120.318000';

const record = (data: Partial<RecordVisit['data']> = {}, actor = gridWorker, now = NOW): RecordVisit => ({
  type: 'recordVisit',
  data: {
    visitId,
    unitId: 'grid-st-1',
    date: '2025-06-12',
    kind: 'door_to_door',
    household: { address: '汕头路 12 号 3 单元 201', name: '王大爷' },
    ...data,
  },
  metadata: { actor, now },
});
const cancel = (actor: Actor, reason = '记错了户'): CancelVisit => ({
  type: 'cancelVisit',
  data: { visitId, reason },
  metadata: { actor, now: NOW },
});
const recorded = (more: Partial<Extract<VisitEvent, { type: 'VisitRecorded' }>['data']> = {}): VisitEvent => ({
  type: 'VisitRecorded',
  data: {
    visitId,
    unitId: 'grid-st-1',
    date: '2025-06-12',
    kind: 'door_to_door',
    topics: [],
    visitor: { personId: 'gw-1', role: 'grid_worker', unitId: 'grid-st-1' },
    household: { address: '汕头路 12 号 3 单元 201', name: '王大爷' },
    notes: null,
    ...more,
  },
});
const cancelled: VisitEvent = { type: 'VisitCancelled', data: { visitId, reason: '记错了户' } };

describe('走访 recordVisit', () => {
  it('a grid worker records a door-to-door visit in their grid', () => {
    spec.given([]).when(record()).thenEvents([recorded()]);
  });

  it('a visit already recorded is a conflict', () => {
    spec.given([recorded()]).when(record()).thenError({ code: 'conflict', rule: rules.recordAlreadyRecorded });
  });

  it('a cancelled visit is not recorded again', () => {
    spec.given([recorded(), cancelled]).when(record()).thenError({ code: 'invalid_state', rule: rules.cancelled });
  });

  it('the unit must be in the directory', () => {
    spec
      .given([])
      .when(record({ unitId: 'nowhere' }))
      .thenError({ code: 'validation', rule: rules.recordUnknownUnit });
  });

  it('a retired unit takes no new visits', () => {
    spec
      .given([])
      .when(record({ unitId: 'community-old' }, as('sec-street', 'secretary')))
      .thenError({ code: 'invalid_state', rule: rules.recordRetiredUnit });
  });

  it('a resident does not record visits', () => {
    spec
      .given([])
      .when(record({}, as('resident-1', 'resident')))
      .thenError({ code: 'forbidden', rule: rules.recordNotAVisitor });
  });

  it('the visitor must hold the role they act in', () => {
    spec
      .given([])
      .when(record({}, as('gw-1', 'member')))
      .thenError({ code: 'forbidden', rule: rules.recordRoleNotHeld });
  });

  it('a secretary visits in a unit below the one they lead', () => {
    spec
      .given([])
      .when(record({}, as('sec-street', 'secretary')))
      .thenEvents([recorded({ visitor: { personId: 'sec-street', role: 'secretary', unitId: 'street-zh' } })]);
  });

  it('a visitor without a role in or above the unit is refused', () => {
    spec
      .given([])
      .when(record({}, as('sec-other', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.recordOutsideVisitorUnit });
    spec
      .given([])
      .when(record({ unitId: 'community-st' }, gridWorker))
      .thenError({ code: 'forbidden', rule: rules.recordOutsideVisitorUnit });
  });

  it('处长网格员: a department official visits a grid of their own district', () => {
    spec
      .given([])
      .when(record({ kind: 'official_grid_day' }, as('chuzhang-1', 'department_handler')))
      .thenEvents([
        recorded({
          kind: 'official_grid_day',
          visitor: { personId: 'chuzhang-1', role: 'department_handler', unitId: 'dept-org' },
        }),
      ]);
  });

  it('处长网格员 of another district cannot visit here', () => {
    spec
      .given([])
      .when(record({ kind: 'official_grid_day' }, as('chuzhang-hd', 'department_handler')))
      .thenError({ code: 'forbidden', rule: rules.recordOutsideVisitorUnit });
  });

  it('处长网格员 is a day for officials, not for a grid worker or member', () => {
    spec
      .given([])
      .when(record({ kind: 'official_grid_day' }, gridWorker))
      .thenError({ code: 'forbidden', rule: rules.recordNotAnOfficial });
  });

  it('a visit may be recorded on its day or after it, never ahead of it', () => {
    spec
      .given([])
      .when(record({ date: '2025-06-10' }))
      .thenEvents([recorded({ date: '2025-06-10' })]);
    spec
      .given([])
      .when(record({ date: '2025-06-13' }))
      .thenError({ code: 'validation', rule: rules.recordFutureDate });
  });

  it('五问五解决 names its topics, each once, in the order of the five questions', () => {
    spec
      .given([])
      .when(record({ kind: 'grid_five_questions', topics: ['living', 'production', 'living'] }))
      .thenEvents([recorded({ kind: 'grid_five_questions', topics: ['production', 'living'] })]);
  });

  it('五问五解决 without a topic is refused', () => {
    spec
      .given([])
      .when(record({ kind: 'grid_five_questions' }))
      .thenError({ code: 'validation', rule: rules.recordTopicsRequired });
    spec
      .given([])
      .when(record({ kind: 'grid_five_questions', topics: [] }))
      .thenError({ code: 'validation', rule: rules.recordTopicsRequired });
  });

  it('topics belong to 五问五解决 only', () => {
    spec
      .given([])
      .when(record({ topics: ['culture'] }))
      .thenError({ code: 'validation', rule: rules.recordTopicsNotAsked });
  });

  it('a check-in near the registered location is recorded near, one far away is recorded far, not refused', () => {
    const household = { address: '汕头路 12 号', registeredLocation: home };
    spec
      .given([])
      .when(record({ household, checkIn: { position: '36.066500,120.318000' } }))
      .thenEvents([
        recorded({
          household: { address: '汕头路 12 号', name: null },
          checkIn: { position: '36.066500,120.318000', result: 'near', thresholdMeters: 200 },
        }),
      ]);
    spec
      .given([])
      .when(record({ household, checkIn: { position: '36.080000,120.318000', accuracyMeters: 15 } }))
      .thenEvents([
        recorded({
          household: { address: '汕头路 12 号', name: null },
          checkIn: { position: '36.080000,120.318000', result: 'far', thresholdMeters: 200, accuracyMeters: 15 },
        }),
      ]);
  });

  it('a check-in without a registered location is unchecked; the registered location is not stored', () => {
    spec
      .given([])
      .when(record({ checkIn: { position: home }, notes: '老人独居，需关注' }))
      .thenEvents([
        recorded({ checkIn: { position: home, result: 'unchecked', thresholdMeters: 200 }, notes: '老人独居，需关注' }),
      ]);
  });

  it('the body codec refuses an unknown kind, an unknown topic and a blank address, naming the field', () => {
    const body = {
      visitId,
      unitId: 'grid-st-1',
      date: '2025-06-12',
      kind: 'door_to_door',
      household: { address: 'x' },
    };
    expect(RecordVisitData.decode(body)._tag).toBe('Right');
    expect(RecordVisitData.decode({ ...body, kind: 'phone_call' })._tag).toBe('Left');
    expect(RecordVisitData.decode({ ...body, topics: ['weather'] })._tag).toBe('Left');
    expect(RecordVisitData.decode({ ...body, household: { address: ' ' } })._tag).toBe('Left');
    expect(RecordVisitData.decode({ ...body, date: '2025-13-01' })._tag).toBe('Left');
    expect(RecordVisitData.decode({ ...body, visitId: 'a/b' })._tag).toBe('Left');
  });
});

describe('cancelVisit', () => {
  it('the visitor cancels a visit recorded in error', () => {
    spec.given([recorded()]).when(cancel(gridWorker)).thenEvents([cancelled]);
  });

  it('a secretary over the unit cancels it', () => {
    spec
      .given([recorded()])
      .when(cancel(as('sec-st', 'secretary')))
      .thenEvents([cancelled]);
  });

  it('anyone else is refused', () => {
    spec
      .given([recorded()])
      .when(cancel(as('sec-other', 'secretary')))
      .thenError({ code: 'forbidden', rule: rules.cancelNotVisitorOrSecretary });
    spec
      .given([recorded()])
      .when(cancel(as('member-1', 'member')))
      .thenError({ code: 'forbidden', rule: rules.cancelNotVisitorOrSecretary });
  });

  it('a visit never recorded is not found', () => {
    spec.given([]).when(cancel(gridWorker)).thenError({ code: 'not_found', rule: rules.notFound });
  });

  it('cancellation is final', () => {
    spec
      .given([recorded(), cancelled])
      .when(cancel(gridWorker))
      .thenError({ code: 'invalid_state', rule: rules.cancelled });
  });
});

describe('走访任务 quotas', () => {
  it('a community secretary (第一书记) owes 20 households a month; others owe none unless a rule says so', () => {
    expect(visitQuotaOf('secretary', 'community')).toBe(20);
    expect(visitQuotaOf('secretary', 'street')).toBeUndefined();
    expect(visitQuotaOf('grid_worker', 'grid')).toBeUndefined();
    const rules = [
      ...defaultVisitQuotaRules,
      { role: 'grid_worker' as const, unitKind: 'grid' as const, householdsPerMonth: 30 },
    ];
    expect(visitQuotaOf('grid_worker', 'grid', rules)).toBe(30);
  });

  it('a standing says whether the month is met and how many households remain', () => {
    expect(visitQuotaStanding(20, 12)).toEqual({ required: 20, visited: 12, met: false, shortfall: 8 });
    expect(visitQuotaStanding(20, 23)).toEqual({ required: 20, visited: 23, met: true, shortfall: 0 });
    expect(visitMonthOf('2025-06-12')).toBe('2025-06');
  });
});
