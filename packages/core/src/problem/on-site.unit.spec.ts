// 现场解决 (seed 004): every rule of resolveProblemOnSite, each shown allowed and refused, and the problem it
// leaves following the ordinary lifecycle (评题, 销号) afterwards.

import { deciderSpecification } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { UnitInfo } from '../directory/view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type { ResolveProblemOnSite } from './commands.js';
import { problemDecider } from './decider.js';
import { problemRules as rules } from './errors.js';
import { type ProblemEvent, ProblemSolved } from './events.js';

const units: UnitInfo[] = [
  { unitId: 'district', name: '市南区', kind: 'district', parentId: null },
  { unitId: 'street-zh', name: '珠海路街道', kind: 'street', parentId: 'district' },
  { unitId: 'community-st', name: '汕头路社区', kind: 'community', parentId: 'street-zh' },
  { unitId: 'grid-st-1', name: '汕头路一网格', kind: 'grid', parentId: 'community-st' },
  { unitId: 'community-other', name: '另一社区', kind: 'community', parentId: 'street-zh' },
];
const since = '2024-01-01';
const context: DecisionContext = {
  directory: directoryViewOf({
    units,
    holdings: [
      { personId: 'sec-st', role: 'secretary', unitId: 'community-st', since },
      { personId: 'sec-other', role: 'secretary', unitId: 'community-other', since },
      { personId: 'handler-1', role: 'department_handler', unitId: 'district', since },
      { personId: 'gw-1', role: 'grid_worker', unitId: 'grid-st-1', since },
      { personId: 'resident-1', role: 'resident', unitId: 'grid-st-1', since },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const spec = deciderSpecification(problemDecider, context);
const as = (personId: string, role: Actor['role']): Actor => ({ personId, role });
const secretary = as('sec-st', 'secretary');
const NOW = '2025-06-12T15:00:00+08:00';
const problemId = 'p-onsite-1';

const resolve = (data: Partial<ResolveProblemOnSite['data']> = {}, actor = secretary): ResolveProblemOnSite => ({
  type: 'resolveProblemOnSite',
  data: {
    problemId,
    unitId: 'grid-st-1',
    grade: 'minor',
    title: '楼道堆物',
    visitId: 'V-2025-06-12-1',
    summary: '当场联系物业清理',
    evidence: [{ kind: 'photo', uri: 'https://img.example/onsite.jpg' }],
    raiser: { kind: 'resident', personId: 'resident-1', name: '李四' },
    ...data,
  },
  metadata: { actor, now: NOW },
});

const threeFacts = (claimantId = 'sec-st', claimantUnitId = 'community-st'): ProblemEvent[] => [
  {
    type: 'ProblemSolicited',
    data: {
      problemId,
      unitId: 'grid-st-1',
      source: 'grid_visit',
      grade: 'minor',
      title: '楼道堆物',
      solicitedAt: NOW,
      raiser: { kind: 'resident', personId: 'resident-1', name: '李四' },
      origin: { kind: 'visit', visitId: 'V-2025-06-12-1' },
    },
  },
  {
    type: 'ProblemClaimed',
    data: {
      problemId,
      claimantId,
      claimantRole: 'secretary',
      claimantUnitId,
      plan: '当场联系物业清理',
      promisedBy: '2025-06-12',
    },
  },
  {
    type: 'ProblemSolved',
    data: {
      problemId,
      summary: '当场联系物业清理',
      evidence: [{ kind: 'photo', uri: 'https://img.example/onsite.jpg' }],
      onSite: true,
    },
  },
];

describe('现场解决 resolveProblemOnSite', () => {
  it('a secretary of the unit or above it solicits, claims and solves it on site, from the visit', () => {
    spec.given([]).when(resolve()).thenEvents(threeFacts());
  });

  it('the solicited problem names the visit as its origin and the solution is marked on site', () => {
    const [solicited, , solved] = threeFacts();
    expect(solicited?.data).toMatchObject({ origin: { kind: 'visit', visitId: 'V-2025-06-12-1' } });
    expect(solved?.data).toMatchObject({ onSite: true });
  });

  it('a problem that already exists cannot be resolved on site again', () => {
    spec.given(threeFacts()).when(resolve()).thenError({ code: 'conflict', rule: rules.alreadyExists });
  });

  it('the unit must be in the directory', () => {
    spec
      .given([])
      .when(resolve({ unitId: 'nowhere' }))
      .thenError({ code: 'validation', rule: rules.solicitUnknownUnit });
  });

  it.each([
    ['a secretary of another community', as('sec-other', 'secretary')],
    ['a grid worker (who may record it, not claim it)', as('gw-1', 'grid_worker')],
    ['a department handler', as('handler-1', 'department_handler')],
    ['someone acting as a secretary they are not', as('gw-1', 'secretary')],
    ['the resident', as('resident-1', 'resident')],
  ])('%s cannot solve a problem on site', (_, actor) => {
    spec
      .given([])
      .when(resolve({}, actor))
      .thenError({ code: 'forbidden', rule: rules.resolveOnSiteNotSecretaryOfUnit });
  });

  it.each([
    ['a title', { title: ' ' }, rules.solicitTitleRequired],
    ['a summary', { summary: '' }, rules.solveSummaryRequired],
    ['evidence', { evidence: [] }, rules.solveEvidenceRequired],
  ] as const)('a problem solved on site needs %s', (_, data, rule) => {
    spec
      .given([])
      .when(resolve(data as Partial<ResolveProblemOnSite['data']>))
      .thenError({ code: 'validation', rule });
  });

  it('then follows the ordinary lifecycle: the raiser rates it and it closes', () => {
    spec
      .given(threeFacts())
      .when({
        type: 'evaluateProblem',
        data: { problemId, kind: 'resident', verdict: 'satisfied' },
        metadata: { actor: as('resident-1', 'resident'), now: NOW },
      })
      .thenEvents([
        { type: 'ProblemEvaluated', data: { problemId, kind: 'resident', verdict: 'satisfied' } },
        { type: 'ProblemClosed', data: { problemId, basis: 'raiser_verdict', verdict: 'satisfied' } },
      ]);
  });

  it('an older ProblemSolved, without the on-site marker, still decodes', () => {
    const decoded = ProblemSolved.codec.decode({ problemId, summary: '已修复', evidence: [] });
    expect(decoded._tag).toBe('Right');
  });
});
