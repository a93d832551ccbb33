// Every rule of the pairing lifecycle (党员干部结新亲), once allowed and once refused, as given / when / then.
import { deciderSpecification } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { personalDataMarkers } from '../privacy/sealed-value.js';
import type { PairHouseholdData, PairingCommand, RecordPairingVisitData } from './commands.js';
import { pairingDecider } from './decider.js';
import { pairingRules } from './errors.js';
import type { HouseholdPaired, PairingEvent } from './events.js';
import { hasDigitRun, revealsHousehold } from './excerpt.js';

// 胶州 (u-jz) with a street and two communities; 黄岛 (u-hd) next door.
const directory = directoryViewOf({
  units: [
    { unitId: 'u-jz', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'u-jz-st', name: '九龙街道', kind: 'street', parentId: 'u-jz' },
    { unitId: 'u-jz-cm', name: '东庄村', kind: 'community', parentId: 'u-jz-st' },
    { unitId: 'u-jz-cm2', name: '西庄村', kind: 'community', parentId: 'u-jz-st' },
    { unitId: 'u-jz-old', name: '已撤并村', kind: 'community', parentId: 'u-jz-st', retired: true },
    { unitId: 'u-hd', name: '黄岛区', kind: 'district', parentId: null },
  ],
  holdings: [
    { personId: 'p-off1', role: 'member', unitId: 'u-jz-st', since: '2026-01-01' },
    { personId: 'p-off2', role: 'department_handler', unitId: 'u-jz', since: '2026-01-01' },
    { personId: 'p-sec', role: 'secretary', unitId: 'u-jz-st', since: '2026-01-01' },
    { personId: 'p-sec-cm2', role: 'secretary', unitId: 'u-jz-cm2', since: '2026-01-01' },
    { personId: 'p-office', role: 'office', unitId: 'u-jz', since: '2026-01-01' },
    { personId: 'p-office-hd', role: 'office', unitId: 'u-hd', since: '2026-01-01' },
  ],
});
const context: DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };
const spec = deciderSpecification(pairingDecider, context);

const pairedAt = '2026-03-01T09:00:00+08:00';
const now = '2026-11-22T09:00:00+08:00';
const as = (personId: string, role: Actor['role'], at = now) => ({ actor: { personId, role }, now: at });
const office = as('p-office', 'office', pairedAt);
const secretary = as('p-sec', 'secretary');
const official = as('p-off1', 'member');

const pairingId = 'PR-1';
const home = '36.270100,120.033300';
const household = { name: '王桂兰', phone: '138-0000-2222', address: '东庄村5号', location: home };

const pairData = (overrides: Partial<PairHouseholdData> = {}): PairHouseholdData => ({
  pairingId,
  unitId: 'u-jz-cm',
  officialId: 'p-off1',
  category: 'tekun',
  household,
  ...overrides,
});
const paired: HouseholdPaired = {
  type: 'HouseholdPaired',
  data: { pairingId, unitId: 'u-jz-cm', officialId: 'p-off1', category: 'tekun', household, pairedAt },
};
const reassigned: PairingEvent = {
  type: 'PairingReassigned',
  data: { pairingId, fromOfficialId: 'p-off1', toOfficialId: 'p-off2', reason: '工作调动' },
};
const ended: PairingEvent = { type: 'PairingEnded', data: { pairingId, officialId: 'p-off1', reason: null } };
const consentGiven: PairingEvent = { type: 'HouseholdConsentRecorded', data: { pairingId, consent: 'given' } };

const pair = (metadata: PairingCommand['metadata'], overrides: Partial<PairHouseholdData> = {}): PairingCommand => ({
  type: 'pairHousehold',
  data: pairData(overrides),
  metadata,
});
const reassign = (metadata: PairingCommand['metadata'], officialId = 'p-off2'): PairingCommand => ({
  type: 'reassignPairing',
  data: { pairingId, officialId, reason: '工作调动' },
  metadata,
});
const end = (metadata: PairingCommand['metadata']): PairingCommand => ({
  type: 'endPairing',
  data: { pairingId },
  metadata,
});
const consent = (metadata: PairingCommand['metadata'], value: 'given' | 'withdrawn' = 'given'): PairingCommand => ({
  type: 'recordHouseholdConsent',
  data: { pairingId, consent: value },
  metadata,
});
const visitData = (overrides: Partial<RecordPairingVisitData> = {}): RecordPairingVisitData => ({
  pairingId,
  visitId: 'V-1',
  visitedAt: '2026-11-20T15:00:00+08:00',
  diary: '王大娘说腿脚不好，冬天取暖煤还没到。',
  ...overrides,
});
const visit = (
  metadata: PairingCommand['metadata'],
  overrides: Partial<RecordPairingVisitData> = {},
): PairingCommand => ({
  type: 'recordPairingVisit',
  data: visitData(overrides),
  metadata,
});
const visited = (visitId = 'V-1'): PairingEvent => ({
  type: 'PairingVisitRecorded',
  data: {
    pairingId,
    visitId,
    unitId: 'u-jz-cm',
    officialId: 'p-off1',
    visitedAt: '2026-11-20T15:00:00+08:00',
    checkIn: null,
    diary: '王大娘说腿脚不好。',
    excerpt: null,
  },
});
const link = (
  metadata: PairingCommand['metadata'],
  data: { kind: 'problem' | 'wish'; itemId: string; visitId?: string } = { kind: 'problem', itemId: 'P-9' },
): PairingCommand => ({ type: 'linkPairingNeed', data: { pairingId, ...data }, metadata });

describe('结对 pairing an official with a household', () => {
  it('the office of the district pairs an official with a household, all of whose details are kept', () => {
    spec.given([]).when(pair(office)).thenEvents([paired]);
  });

  it('a secretary over the unit may pair, and missing details are recorded as null', () => {
    const { decision } = spec
      .given([])
      .when(pair(as('p-sec', 'secretary', pairedAt), { household: { name: '李明' }, category: 'left_behind_child' }));
    expect(decision).toMatchObject({
      right: [{ data: { household: { name: '李明', phone: null, address: null, location: null } } }],
    });
  });

  it('a secretary of another unit, the office of another district, or an official cannot pair', () => {
    for (const metadata of [as('p-sec-cm2', 'secretary'), as('p-office-hd', 'office'), official, as('p-sec', 'office')])
      spec.given([]).when(pair(metadata)).thenError({ code: 'forbidden', rule: pairingRules.notOrganiser });
  });

  it('a pairing is made once', () => {
    spec.given([paired]).when(pair(office)).thenError({ code: 'conflict', rule: pairingRules.pairAlreadyPaired });
  });

  it('the unit must be in the directory, and not retired', () => {
    spec
      .given([])
      .when(pair(office, { unitId: 'u-nowhere' }))
      .thenError(pairingRules.pairUnknownUnit);
    spec
      .given([])
      .when(pair(office, { unitId: 'u-jz-old' }))
      .thenError(pairingRules.pairRetiredUnit);
  });

  it('the official must be an active person of the directory', () => {
    spec
      .given([])
      .when(pair(office, { officialId: 'p-nobody' }))
      .thenError({ code: 'validation', rule: pairingRules.unknownOfficial });
  });
});

describe('换人 reassigning and 结束 ending', () => {
  it('the office reassigns the household to another official, keeping who it was before', () => {
    spec.given([paired]).when(reassign(secretary)).thenEvents([reassigned]);
    const state = [paired, reassigned].reduce(pairingDecider.evolve, pairingDecider.initialState);
    expect(state).toMatchObject({ officialId: 'p-off2', formerOfficialIds: ['p-off1'] });
  });

  it('only the office or a secretary over the unit reassigns; not the official', () => {
    spec.given([paired]).when(reassign(official)).thenError(pairingRules.notOrganiser);
  });

  it('a reassignment names another official, who is an active person', () => {
    spec.given([paired]).when(reassign(secretary, 'p-off1')).thenError(pairingRules.reassignSameOfficial);
    spec.given([paired]).when(reassign(secretary, 'p-ghost')).thenError(pairingRules.unknownOfficial);
  });

  it('the office ends a pairing; the official cannot', () => {
    spec.given([paired]).when(end(secretary)).thenEvents([ended]);
    spec.given([paired]).when(end(official)).thenError(pairingRules.notOrganiser);
  });

  it('nothing more happens on an ended pairing, and nothing on one never made', () => {
    for (const command of [reassign(secretary), end(secretary), consent(official), visit(official), link(official)])
      spec.given([paired, ended]).when(command).thenError({ code: 'invalid_state', rule: pairingRules.ended });
    spec.given([]).when(visit(official)).thenError({ code: 'not_found', rule: pairingRules.notFound });
  });
});

describe("the household's consent to excerpts", () => {
  it('is withdrawn until given; the official or an organiser records it given, then withdrawn', () => {
    spec.given([paired]).when(consent(official)).thenEvents([consentGiven]);
    spec.given([paired]).when(consent(secretary)).thenEvents([consentGiven]);
    spec
      .given([paired, consentGiven])
      .when(consent(official, 'withdrawn'))
      .thenEvents([{ type: 'HouseholdConsentRecorded', data: { pairingId, consent: 'withdrawn' } }]);
  });

  it('is recorded by nobody else, and only when it changes', () => {
    spec
      .given([paired])
      .when(consent(as('p-off2', 'member')))
      .thenError(pairingRules.consentNotOfficialOrOrganiser);
    spec.given([paired]).when(consent(official, 'withdrawn')).thenError(pairingRules.consentUnchanged);
  });

  it('passes to the new official with the household', () => {
    spec
      .given([paired, reassigned])
      .when(consent(as('p-off2', 'department_handler')))
      .thenEvents([consentGiven]);
    spec.given([paired, reassigned]).when(consent(official)).thenError(pairingRules.consentNotOfficialOrOrganiser);
  });
});

describe('探亲 visits', () => {
  it('the current official records a visit and its diary, without a check-in', () => {
    const { decision } = spec.given([paired]).when(visit(official));
    expect(decision).toMatchObject({
      right: [
        { type: 'PairingVisitRecorded', data: { visitId: 'V-1', unitId: 'u-jz-cm', checkIn: null, excerpt: null } },
      ],
    });
  });

  it('a check-in near the registered location is recorded near, with its sealed position and no distance', () => {
    const { decision } = spec.given([paired]).when(visit(official, { checkIn: { position: '36.270900,120.033300' } }));
    expect(decision).toMatchObject({
      right: [{ data: { checkIn: { position: '36.270900,120.033300', result: 'near', thresholdMeters: 200 } } }],
    });
    expect(JSON.stringify(decision)).not.toMatch(/distance/i);
  });

  it('a check-in far from it is recorded far, not refused; with no registered location it is unchecked', () => {
    const far = spec.given([paired]).when(visit(official, { checkIn: { position: '36.290100,120.033300' } }));
    expect(far.decision).toMatchObject({ right: [{ data: { checkIn: { result: 'far' } } }] });
    const noHome: HouseholdPaired = {
      ...paired,
      data: { ...paired.data, household: { ...household, location: null } },
    };
    const unchecked = spec.given([noHome]).when(visit(official, { checkIn: { position: home } }));
    expect(unchecked.decision).toMatchObject({ right: [{ data: { checkIn: { result: 'unchecked' } } }] });
  });

  it('a forgotten location leaves nothing to compare with: unchecked', () => {
    const forgotten: HouseholdPaired = {
      ...paired,
      data: {
        ...paired.data,
        household: { ...household, location: personalDataMarkers.forgotten, phone: personalDataMarkers.forgotten },
      },
    };
    const { decision } = spec.given([forgotten]).when(visit(official, { checkIn: { position: home } }));
    expect(decision).toMatchObject({ right: [{ data: { checkIn: { result: 'unchecked' } } }] });
  });

  it('only the current official visits: not an organiser, not the official before a reassignment', () => {
    spec
      .given([paired])
      .when(visit(secretary))
      .thenError({ code: 'forbidden', rule: pairingRules.visitNotCurrentOfficial });
    spec.given([paired, reassigned]).when(visit(official)).thenError(pairingRules.visitNotCurrentOfficial);
    const { decision } = spec.given([paired, reassigned]).when(visit(as('p-off2', 'department_handler')));
    expect(decision).toMatchObject({ right: [{ data: { officialId: 'p-off2' } }] });
  });

  it('a visit is recorded once, not in the future and not before the pairing began', () => {
    spec
      .given([paired, visited()])
      .when(visit(official))
      .thenError({ code: 'conflict', rule: pairingRules.visitAlreadyRecorded });
    spec
      .given([paired])
      .when(visit(official, { visitedAt: '2026-11-23T09:00:00+08:00' }))
      .thenError(pairingRules.visitInFuture);
    spec
      .given([paired])
      .when(visit(official, { visitedAt: '2026-02-01T09:00:00+08:00' }))
      .thenError(pairingRules.visitBeforePairing);
  });

  it('a visit at the very moment of recording is not in the future', () => {
    const { decision } = spec.given([paired]).when(visit(official, { visitedAt: '2026-11-22T01:00:00Z' }));
    expect(decision).toMatchObject({ right: [{ type: 'PairingVisitRecorded' }] });
  });

  it('an anonymised excerpt is kept for display', () => {
    const excerpt = '大娘拉着我的手说，今年冬天不冷了。';
    const { decision } = spec.given([paired]).when(visit(official, { excerpt }));
    expect(decision).toMatchObject({ right: [{ data: { excerpt } }] });
  });

  it('an excerpt naming the household, giving its phone or address, or with a digit run is refused', () => {
    for (const excerpt of [
      '王桂兰大娘很高兴',
      '电话13800002222',
      '住在东庄村 5号',
      '身份证 370281 1950',
      '电话１３８００',
    ])
      spec
        .given([paired])
        .when(visit(official, { excerpt }))
        .thenError({ code: 'validation', rule: pairingRules.visitExcerptRevealsHousehold });
  });

  it('with the household folded sealed, a check-in or excerpt cannot be checked: integrity, not trust', () => {
    const sealed: HouseholdPaired = {
      ...paired,
      data: {
        ...paired.data,
        household: {
          name: personalDataMarkers.sealed,
          phone: personalDataMarkers.sealed,
          address: personalDataMarkers.sealed,
          location: personalDataMarkers.sealed,
        },
      },
    };
    spec
      .given([sealed])
      .when(visit(official, { excerpt: '很好' }))
      .thenError({ code: 'integrity', rule: pairingRules.visitHouseholdSealed });
    spec
      .given([sealed])
      .when(visit(official, { checkIn: { position: home } }))
      .thenError(pairingRules.visitHouseholdSealed);
    const { decision } = spec.given([sealed]).when(visit(official));
    expect(decision).toMatchObject({ right: [{ type: 'PairingVisitRecorded' }] });
  });
});

describe('结亲对象随时提报 needs the household reported', () => {
  it('the official links the problem or wish a need became, on a visit of the pairing', () => {
    spec
      .given([paired, visited()])
      .when(link(official, { kind: 'wish', itemId: 'W-3', visitId: 'V-1' }))
      .thenEvents([
        { type: 'PairingNeedLinked', data: { pairingId, item: { kind: 'wish', wishId: 'W-3' }, visitId: 'V-1' } },
      ]);
    spec
      .given([paired])
      .when(link(secretary))
      .thenEvents([
        { type: 'PairingNeedLinked', data: { pairingId, item: { kind: 'problem', problemId: 'P-9' }, visitId: null } },
      ]);
  });

  it('nobody else links, a visit named must be the pairing’s, and an item is linked once', () => {
    spec
      .given([paired])
      .when(link(as('p-off2', 'member')))
      .thenError(pairingRules.needNotOfficialOrOrganiser);
    spec
      .given([paired])
      .when(link(official, { kind: 'problem', itemId: 'P-9', visitId: 'V-7' }))
      .thenError(pairingRules.needUnknownVisit);
    const linked: PairingEvent = {
      type: 'PairingNeedLinked',
      data: { pairingId, item: { kind: 'problem', problemId: 'P-9' }, visitId: null },
    };
    spec
      .given([paired, linked])
      .when(link(official))
      .thenError({ code: 'conflict', rule: pairingRules.needAlreadyLinked });
    // The same id as a wish is another item.
    const { decision } = spec.given([paired, linked]).when(link(official, { kind: 'wish', itemId: 'P-9' }));
    expect(decision).toMatchObject({ right: [{ type: 'PairingNeedLinked' }] });
  });
});

describe('the excerpt screen', () => {
  it('counts five digits in a row, spaces, hyphens and dots between them included; a year alone passes', () => {
    expect(hasDigitRun('2026年冬天')).toBe(false);
    expect(hasDigitRun('138 0000')).toBe(true);
    expect(hasDigitRun('1-2-3-4-5')).toBe(true);
    expect(hasDigitRun('体温36.5度')).toBe(false);
  });

  it('ignores details that are forgotten or absent', () => {
    expect(revealsHousehold('王桂兰', { name: personalDataMarkers.forgotten, phone: null, address: null })).toBe(false);
  });
});
