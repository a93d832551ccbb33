// Each event in words for the auditor's timeline: the domain's own term (征题, 领题, …), what happened, and
// the key fields — verdict, promised date, plan, reason, the unit routed to. Units and officials are named
// as the directory named them at the time; sealed personal fields show only that they are sealed.
import type { StoredEvent } from '@banshishi/core';
import { withSealedMarked } from './state.js';

export interface Described {
  /** The domain's term, e.g. 领题; empty for an event that has none. */
  readonly term: string;
  readonly words: string;
  readonly fields: readonly (readonly [string, string])[];
}

/** How ids are named: units by their name then, people by name (officials, enterprises) or by role. */
export interface Namer {
  unit(unitId: string): string;
  /** An unnamed person (a resident, unless their data was revealed) is named by the role they act in. */
  person(personId: string, role: string): string;
}

type Data = Record<string, unknown>;
type Describe = (data: Data, name: Namer) => Described;

const text = (v: unknown): string =>
  v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

const d = (term: string, words: string, ...fields: (readonly [string, unknown] | false)[]): Described => ({
  term,
  words,
  fields: fields.filter((f): f is readonly [string, unknown] => f !== false).map(([k, v]) => [k, text(v)] as const),
});
const opt = (key: string, v: unknown): readonly [string, unknown] | false => v !== undefined && [key, v];

const describers: Readonly<Record<string, Describe>> = {
  ProblemSolicited: (x, n) =>
    d(
      '征题',
      `raised at ${n.unit(String(x.unitId))}`,
      ['title', x.title],
      ['source', x.source],
      ['grade', x.grade],
      opt('category', x.category),
      opt('description', x.description),
    ),
  ProblemAssigned: (x, n) =>
    d(
      '转办',
      `routed from ${n.unit(String(x.fromUnitId))} to ${n.unit(String(x.toUnitId))}`,
      ['to unit', x.toUnitId],
      opt('note', x.note),
    ),
  ProblemClaimed: (x, n) =>
    d(
      '领题',
      `claimed by ${n.person(String(x.claimantId), text(x.claimantRole))} as ${text(x.claimantRole)} of ${n.unit(String(x.claimantUnitId))}`,
      ['plan', x.plan],
      ['promised by', x.promisedBy],
    ),
  ProblemEscalated: (x, n) =>
    d(
      '上报',
      `passed up from ${n.unit(String(x.fromUnitId))} to ${n.unit(String(x.toUnitId))}, claim released`,
      ['reason', x.reason],
      ['to unit', x.toUnitId],
    ),
  ProblemSupervised: (x) => d('督办', 'put under supervision', ['ground', x.ground], opt('note', x.note)),
  ProblemRejected: (x) =>
    d('不予受理', 'rejected', ['ground', x.ground], ['reason', x.reason], opt('duplicate of', x.duplicateOf)),
  ProblemProgressNoted: (x) => d('进展', 'progress noted', ['note', x.note]),
  ProblemSolved: (x) =>
    d('解题', 'reported solved', ['summary', x.summary], ['evidence', (x.evidence as unknown[] | undefined)?.length]),
  ProblemEvaluated: (x) =>
    d(
      '评题',
      `rated (${text(x.kind)})${x.onBehalfOfRaiser === true ? ', recorded for the raiser at a call-back (回访)' : ''}`,
      ['verdict', x.verdict],
      opt('comment', x.comment),
      opt('raiser unreachable', x.raiserUnreachable),
    ),
  ProblemClosed: (x) => d('销号', 'closed', ['basis', x.basis], ['verdict', x.verdict]),
  ProblemReopened: (x, n) =>
    d('退回重办', `reopened for ${n.person(String(x.claimantId), 'claimant')}`, ['rework count', x.reworkCount]),
  WishCollected: (x, n) =>
    d(
      '寻梦',
      `wish collected at ${n.unit(String(x.unitId))}`,
      ['category', x.category],
      ['description', x.description],
      ['consent', x.consent],
    ),
  WishClaimed: (x, n) =>
    d('领梦', `claimed by ${n.person(String(x.memberId), 'member')}, member of ${n.unit(String(x.homeDistrictId))}`, [
      'home district',
      x.homeDistrictId,
    ]),
  WishReleased: (x, n) => d('释放', `released by ${n.person(String(x.memberId), 'member')}`, ['reason', x.reason]),
  WishFulfilled: (x, n) =>
    d(
      '圆梦',
      `fulfilled by ${n.person(String(x.memberId), 'member')}`,
      ['summary', x.summary],
      ['evidence', (x.evidence as unknown[] | undefined)?.length],
    ),
  WishConfirmed: (x) =>
    d('确认', `confirmed${x.onBehalfOfWisher === true ? ' by the collector for the wisher' : ' by the wisher'}`, [
      'comment',
      x.comment,
    ]),
  WishReopened: (x, n) =>
    d(
      '退回',
      `not satisfied${x.onBehalfOfWisher === true ? ' (said for the wisher by the collector)' : ''}: back to ${n.person(String(x.memberId), 'member')}`,
      ['comment', x.comment],
    ),
  WishShowcased: (x) => d('亮梦', 'showcased', ['story', x.story], ['shown as', (x.display as Data)?.shownAs]),
  WishCancelled: (x) =>
    d(
      '撤销',
      'cancelled',
      ['grounds', x.grounds],
      ['reason', x.reason],
      opt('released claimant', x.releasedClaimantId),
    ),
  UnitRegistered: (x, n) =>
    d('', `unit registered: ${text(x.name)} (${text(x.kind)})`, [
      'parent',
      x.parentId === null ? '—' : n.unit(String(x.parentId)),
    ]),
  UnitRenamed: (x) => d('', `unit renamed to ${text(x.name)}`),
  UnitRetired: (x) => d('', 'unit retired', opt('reason', x.reason)),
  PersonRegistered: (x) => d('', `person registered (${text(x.kind)})`, ['name', x.kind === 'resident' ? '—' : x.name]),
  RoleGranted: (x, n) => d('', `role granted: ${text(x.role)} of ${n.unit(String(x.unitId))}`, ['since', x.since]),
  RoleRevoked: (x, n) =>
    d('', `role revoked: ${text(x.role)} of ${n.unit(String(x.unitId))}`, ['until', x.until], opt('reason', x.reason)),
  PersonDeactivated: (x) => d('', 'person deactivated', opt('reason', x.reason)),
  CampaignLaunched: (x) => d('', 'campaign launched', ['period', x.period], ['targets', x.targets]),
  CampaignTargetsAdjusted: (x) => d('', 'campaign targets adjusted', ['targets', x.targets], ['reason', x.reason]),
  CampaignClosed: (x) => d('', 'campaign closed', opt('reason', x.reason)),
  SubjectForgotten: (x) => d('遗忘', 'subject forgotten', ['basis', x.basis], ['reference', x.reference]),
  PersonalDataRevealed: (x) =>
    d('', 'personal data revealed', ['purpose', x.purpose], ['events', (x.events as unknown[] | undefined)?.length]),
};

/** A decoded event in words; an unknown type is named as it is, with its fields listed. */
export const describe = (event: Pick<StoredEvent, 'type' | 'data'>, name: Namer): Described => {
  const data = withSealedMarked(event.data) as Data;
  const known = describers[event.type];
  if (known !== undefined) return known(data, name);
  return d('', event.type, ...Object.entries(data ?? {}).map(([k, v]) => [k, v] as const));
};
