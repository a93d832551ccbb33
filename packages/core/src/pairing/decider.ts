// The pairing decider (党员干部结新亲): 结对 (pair) → 探亲 (visits, with located check-ins and diaries) →
// 换人 (reassign, history kept) → 结束 (end), with the household's consent to excerpts and the needs it
// reported linked. Every refusal names its rule from `pairingRules`; who holds which role comes from the
// decision context's directory.
import * as E from 'fp-ts/lib/Either.js';
import type { Decider } from '../decider.js';
import { holdsRole } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DomainError } from '../errors.js';
import { checkInRecordOf } from '../fieldwork/check-in.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { isSealedMarker } from '../privacy/sealed-value.js';
import type {
  EndPairing,
  LinkPairingNeed,
  PairHousehold,
  PairingCommand,
  ReassignPairing,
  RecordHouseholdConsent,
  RecordPairingVisit,
} from './commands.js';
import { pairingErrors as errors } from './errors.js';
import type { HouseholdCategory, HouseholdConsent, HouseholdRecord, PairingEvent } from './events.js';
import { revealsHousehold } from './excerpt.js';

export interface Pairing {
  readonly status: 'active' | 'ended';
  readonly pairingId: string;
  readonly unitId: string;
  readonly category: HouseholdCategory;
  readonly household: HouseholdRecord;
  readonly pairedAt: string;
  /** The official now paired with the household. */
  readonly officialId: string;
  /** Every official the household had before, oldest first. */
  readonly formerOfficialIds: readonly string[];
  readonly consent: HouseholdConsent;
  readonly visitIds: readonly string[];
  /** `problem:<id>` / `wish:<id>` of every need linked. */
  readonly needs: readonly string[];
}
export type PairingStatus = Pairing['status'];
export type PairingState = { readonly status: 'none' } | Pairing;

export const initialPairingState: PairingState = { status: 'none' };

const needKey = (item: { kind: 'problem'; problemId: string } | { kind: 'wish'; wishId: string }): string =>
  item.kind === 'problem' ? `problem:${item.problemId}` : `wish:${item.wishId}`;

export const evolvePairing = (state: PairingState, event: PairingEvent): PairingState => {
  if (event.type === 'HouseholdPaired') {
    if (state.status !== 'none') return state;
    const { pairingId, unitId, officialId, category, household, pairedAt } = event.data;
    return {
      status: 'active',
      pairingId,
      unitId,
      category,
      household,
      pairedAt,
      officialId,
      formerOfficialIds: [],
      consent: 'withdrawn',
      visitIds: [],
      needs: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PairingReassigned':
      return {
        ...state,
        officialId: event.data.toOfficialId,
        formerOfficialIds: [...state.formerOfficialIds, event.data.fromOfficialId],
      };
    case 'PairingEnded':
      return { ...state, status: 'ended' };
    case 'HouseholdConsentRecorded':
      return { ...state, consent: event.data.consent };
    case 'PairingVisitRecorded':
      return { ...state, visitIds: [...state.visitIds, event.data.visitId] };
    case 'PairingNeedLinked':
      return { ...state, needs: [...state.needs, needKey(event.data.item)] };
  }
};

type Decision = E.Either<DomainError, readonly PairingEvent[]>;

const refuse = (error: DomainError): Decision => E.left(error);
const emit = (...events: PairingEvent[]): Decision => E.right(events);

/** The office of the district the unit lies in, or a secretary over the unit, acting in that role. */
const isOrganiser = (actor: Actor, context: DecisionContext, unitId: string): boolean =>
  (actor.role === 'office' || actor.role === 'secretary') &&
  holdsRole(context.directory, actor.personId, actor.role, unitId, true);

const isActivePerson = (context: DecisionContext, personId: string): boolean =>
  context.directory.person(personId)?.active === true;

const pair = (command: PairHousehold, state: PairingState, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor, now } = command.metadata;
  if (state.status !== 'none') return refuse(errors.pairAlreadyPaired(data.pairingId));
  const unit = context.directory.unit(data.unitId);
  if (unit === undefined) return refuse(errors.pairUnknownUnit(data.unitId));
  if (unit.retired === true) return refuse(errors.pairRetiredUnit(data.unitId));
  if (!isOrganiser(actor, context, data.unitId)) return refuse(errors.notOrganiser(actor.personId, data.unitId));
  if (!isActivePerson(context, data.officialId)) return refuse(errors.unknownOfficial(data.officialId));
  return emit({
    type: 'HouseholdPaired',
    data: {
      pairingId: data.pairingId,
      unitId: data.unitId,
      officialId: data.officialId,
      category: data.category,
      household: {
        name: data.household.name,
        phone: data.household.phone ?? null,
        address: data.household.address ?? null,
        location: data.household.location ?? null,
      },
      pairedAt: now,
    },
  });
};

const reassign = (command: ReassignPairing, pairing: Pairing, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  if (!isOrganiser(actor, context, pairing.unitId)) return refuse(errors.notOrganiser(actor.personId, pairing.unitId));
  if (command.data.officialId === pairing.officialId) return refuse(errors.reassignSameOfficial(pairing.officialId));
  if (!isActivePerson(context, command.data.officialId)) return refuse(errors.unknownOfficial(command.data.officialId));
  return emit({
    type: 'PairingReassigned',
    data: {
      pairingId: pairing.pairingId,
      fromOfficialId: pairing.officialId,
      toOfficialId: command.data.officialId,
      reason: command.data.reason ?? null,
    },
  });
};

const end = (command: EndPairing, pairing: Pairing, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  if (!isOrganiser(actor, context, pairing.unitId)) return refuse(errors.notOrganiser(actor.personId, pairing.unitId));
  return emit({
    type: 'PairingEnded',
    data: { pairingId: pairing.pairingId, officialId: pairing.officialId, reason: command.data.reason ?? null },
  });
};

const recordConsent = (command: RecordHouseholdConsent, pairing: Pairing, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  if (actor.personId !== pairing.officialId && !isOrganiser(actor, context, pairing.unitId))
    return refuse(errors.consentNotOfficialOrOrganiser());
  if (command.data.consent === pairing.consent) return refuse(errors.consentUnchanged(pairing.consent));
  return emit({
    type: 'HouseholdConsentRecorded',
    data: { pairingId: pairing.pairingId, consent: command.data.consent },
  });
};

const recordVisit = (command: RecordPairingVisit, pairing: Pairing): Decision => {
  const { data } = command;
  const { actor, now } = command.metadata;
  if (actor.personId !== pairing.officialId) return refuse(errors.visitNotCurrentOfficial(actor.personId));
  if (pairing.visitIds.includes(data.visitId)) return refuse(errors.visitAlreadyRecorded(data.visitId));
  if (Date.parse(data.visitedAt) > Date.parse(now)) return refuse(errors.visitInFuture(data.visitedAt));
  if (Date.parse(data.visitedAt) < Date.parse(pairing.pairedAt))
    return refuse(errors.visitBeforePairing(data.visitedAt, pairing.pairedAt));
  // The check-in and the excerpt's screen need the household's details in the clear: command handling
  // reveals them for this command (pairingCommandHandler). Folded sealed, nothing is checked on trust.
  if ((data.checkIn !== undefined || data.excerpt !== undefined) && isSealedMarker(pairing.household.name))
    return refuse(errors.visitHouseholdSealed(pairing.pairingId));
  if (data.excerpt !== undefined && revealsHousehold(data.excerpt, pairing.household))
    return refuse(errors.visitExcerptRevealsHousehold());
  return emit({
    type: 'PairingVisitRecorded',
    data: {
      pairingId: pairing.pairingId,
      visitId: data.visitId,
      unitId: pairing.unitId,
      officialId: pairing.officialId,
      visitedAt: data.visitedAt,
      // A far check-in is recorded as far, not refused: the visit happened (fieldwork/check-in.ts).
      checkIn: data.checkIn === undefined ? null : checkInRecordOf(data.checkIn, pairing.household.location),
      diary: data.diary,
      excerpt: data.excerpt ?? null,
    },
  });
};

const linkNeed = (command: LinkPairingNeed, pairing: Pairing, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor } = command.metadata;
  if (actor.personId !== pairing.officialId && !isOrganiser(actor, context, pairing.unitId))
    return refuse(errors.needNotOfficialOrOrganiser());
  if (data.visitId !== undefined && !pairing.visitIds.includes(data.visitId))
    return refuse(errors.needUnknownVisit(data.visitId));
  const item =
    data.kind === 'problem'
      ? { kind: 'problem' as const, problemId: data.itemId }
      : { kind: 'wish' as const, wishId: data.itemId };
  if (pairing.needs.includes(needKey(item))) return refuse(errors.needAlreadyLinked(data.kind, data.itemId));
  return emit({
    type: 'PairingNeedLinked',
    data: { pairingId: pairing.pairingId, item, visitId: data.visitId ?? null },
  });
};

export const decidePairing = (command: PairingCommand, state: PairingState, context: DecisionContext): Decision => {
  if (command.type === 'pairHousehold') return pair(command, state, context);
  if (state.status === 'none') return refuse(errors.notFound(command.data.pairingId));
  if (state.status === 'ended') return refuse(errors.ended(state.pairingId));
  switch (command.type) {
    case 'reassignPairing':
      return reassign(command, state, context);
    case 'endPairing':
      return end(command, state, context);
    case 'recordHouseholdConsent':
      return recordConsent(command, state, context);
    case 'recordPairingVisit':
      return recordVisit(command, state);
    case 'linkPairingNeed':
      return linkNeed(command, state, context);
  }
};

export const pairingDecider: Decider<PairingCommand, PairingEvent, PairingState, DecisionContext> = {
  initialState: initialPairingState,
  evolve: evolvePairing,
  decide: decidePairing,
};
