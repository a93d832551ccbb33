// The replay check of `verify`: every stream folded through its decider's `evolve`, event by event, with each
// event held to the state it follows. A hash chain proves that the events are the ones written; it cannot
// prove that they could have been written. Someone with database access who forges an event and recomputes
// the chain (a progress note after closing, a rating before solving, a second claimant) leaves a stream that
// verifies and folds; only a step that no command could have produced gives it away.
//
// What each event may follow is the decider's own rule (packages/core/src/*/decider.ts), said here once more
// as data: the decider refuses the command that would make the event in any other state.
import { categoryOf, type StoredEvent } from '@banshishi/core';
import { foldOf } from './lifecycles.js';
import type { Finding } from './verify.js';

/** Why an event cannot follow the state before it, or null when it can. */
type Step<S> = (state: S, event: StoredEvent) => string | null;

const statusOf = (state: unknown): string => (state as { status: string }).status;

/** A step allowed only from the listed statuses. */
const from =
  (table: Readonly<Record<string, readonly string[]>>, what: string): Step<unknown> =>
  (state, event) => {
    const allowed = table[event.type];
    if (allowed === undefined) return null;
    const status = statusOf(state);
    if (allowed.includes(status)) return null;
    return `${event.type} cannot follow a ${what} that is ${status} (only ${allowed.map((s) => (s === 'none' ? 'the first event' : s)).join(', ')})`;
  };

const both =
  <S>(...steps: Step<S>[]): Step<S> =>
  (state, event) => {
    for (const step of steps) {
      const why = step(state, event);
      if (why !== null) return why;
    }
    return null;
  };

const open = ['solicited', 'assigned'];
const problemSteps = from(
  {
    ProblemSolicited: ['none'],
    ProblemAssigned: open,
    ProblemClaimed: open,
    ProblemRejected: open,
    ProblemEscalated: ['claimed'],
    ProblemProgressNoted: ['claimed'],
    ProblemSolved: ['claimed'],
    ProblemSupervised: [...open, 'claimed'],
    ProblemEvaluated: ['solved'],
    ProblemClosed: ['solved'],
    ProblemReopened: ['solved'],
  },
  'problem',
);

/** Only the claimant notes progress, solves or escalates; a claim is made by the one who claims. */
const problemActors: Step<unknown> = (state, event) => {
  const claim = (state as { claim?: { claimantId: string } | null }).claim;
  const actor = event.actor.personId;
  if (event.type === 'ProblemClaimed') {
    const claimant = (event.data as { claimantId?: unknown }).claimantId;
    return claimant === actor ? null : `ProblemClaimed names ${String(claimant)} as claimant, but ${actor} acted`;
  }
  if (
    (event.type === 'ProblemProgressNoted' || event.type === 'ProblemSolved' || event.type === 'ProblemEscalated') &&
    claim != null &&
    claim.claimantId !== actor
  )
    return `${event.type} by ${actor}, who does not hold the claim (${claim.claimantId} does)`;
  return null;
};

/** Closing or reopening is the second half of an evaluation, never a step of its own. */
const afterEvaluation =
  (previous: () => StoredEvent | undefined): Step<unknown> =>
  (_state, event) =>
    (event.type === 'ProblemClosed' || event.type === 'ProblemReopened') && previous()?.type !== 'ProblemEvaluated'
      ? `${event.type} does not follow a ProblemEvaluated`
      : null;

const wishSteps = from(
  {
    WishCollected: ['none'],
    WishClaimed: ['collected'],
    WishReleased: ['claimed'],
    WishCancelled: ['collected', 'claimed'],
    WishFulfilled: ['claimed'],
    WishConfirmed: ['fulfilled'],
    WishReopened: ['fulfilled'],
    WishShowcased: ['confirmed'],
  },
  'wish',
);

/** Only the claimant fulfils or releases; a wish kept private (consent `none`) is never showcased. */
const wishActors: Step<unknown> = (state, event) => {
  const { claimantId, consent } = state as { claimantId?: string | null; consent?: string };
  const actor = event.actor.personId;
  if ((event.type === 'WishFulfilled' || event.type === 'WishReleased') && claimantId != null && claimantId !== actor)
    return `${event.type} by ${actor}, who does not hold the claim (${claimantId} does)`;
  if (event.type === 'WishClaimed') {
    const member = (event.data as { memberId?: unknown }).memberId;
    if (member !== actor) return `WishClaimed names ${String(member)} as the member, but ${actor} acted`;
  }
  if (event.type === 'WishShowcased' && consent === 'none')
    return 'WishShowcased for a wish whose wisher consented to no showing';
  return null;
};

const unitSteps = from({ UnitRegistered: ['unregistered'], UnitRenamed: ['active'], UnitRetired: ['active'] }, 'unit');
const personSteps = from(
  {
    PersonRegistered: ['unregistered'],
    RoleGranted: ['active'],
    RoleRevoked: ['active'],
    PersonDeactivated: ['active'],
  },
  'person',
);
const campaignSteps = from(
  { CampaignLaunched: ['unlaunched'], CampaignTargetsAdjusted: ['running'], CampaignClosed: ['running'] },
  'campaign',
);

const pairingSteps = from(
  {
    HouseholdPaired: ['none'],
    PairingReassigned: ['active'],
    PairingEnded: ['active'],
    HouseholdConsentRecorded: ['active'],
    PairingVisitRecorded: ['active'],
    PairingNeedLinked: ['active'],
  },
  'pairing',
);

/** 探亲 is recorded by the household's official of the moment, and names them. */
const pairingActors: Step<unknown> = (state, event) => {
  if (event.type !== 'PairingVisitRecorded') return null;
  const { officialId } = state as { officialId?: string };
  const actor = event.actor.personId;
  const named = (event.data as { officialId?: unknown }).officialId;
  if (officialId !== undefined && officialId !== actor)
    return `PairingVisitRecorded by ${actor}, who is not the household's official (${officialId} is)`;
  return named === actor ? null : `PairingVisitRecorded names ${String(named)} as the official, but ${actor} acted`;
};
const visitSteps = from({ VisitRecorded: ['none'], VisitCancelled: ['recorded'] }, 'visit');
const serviceSteps = from(
  {
    ServiceAssigned: ['none', 'ended'],
    ServiceOfficerReplaced: ['active'],
    ServiceEnded: ['active'],
    ServiceContactRecorded: ['active'],
    ServiceNeedRaisedAsProblem: ['active'],
  },
  'service',
);

/** Contacts and links to problems come from the officer serving at the time, and name them. */
const serviceActors: Step<unknown> = (state, event) => {
  if (event.type !== 'ServiceContactRecorded' && event.type !== 'ServiceNeedRaisedAsProblem') return null;
  const terms = (state as { terms?: readonly { officer: { personId: string } }[] }).terms ?? [];
  const officer = terms[terms.length - 1]?.officer.personId;
  const actor = event.actor.personId;
  const named = (event.data as { officerId?: unknown }).officerId;
  if (actor !== officer) return `${event.type} by ${actor}, who is not the officer serving (${String(officer)} is)`;
  if (named !== actor) return `${event.type} names ${String(named)} as the officer, but ${actor} acted`;
  return null;
};

const stepsOf = (category: string, previous: () => StoredEvent | undefined): Step<unknown> | undefined => {
  switch (category) {
    case 'problem':
      return both(problemSteps, problemActors, afterEvaluation(previous));
    case 'wish':
      return both(wishSteps, wishActors);
    case 'unit':
      return unitSteps;
    case 'person':
      return personSteps;
    case 'campaign':
      return campaignSteps;
    case 'pairing':
      return both(pairingSteps, pairingActors);
    case 'visit':
      return visitSteps;
    case 'service':
      return both(serviceSteps, serviceActors);
    default:
      // Access records, forgettings and the wish-claim ledger have no states to step through.
      return undefined;
  }
};

/**
 * The first impossible step of a stream whose every event decoded (decoded and upcast, in revision order),
 * as a finding; the fold stops there, since every state after it is one no command could reach.
 */
export const replayStream = (streamId: string, decoded: readonly StoredEvent[]): readonly Finding[] => {
  let previous: StoredEvent | undefined;
  const step = stepsOf(categoryOf(streamId), () => previous);
  const fold = foldOf(streamId);
  if (step === undefined || fold === undefined) return [];
  let state = fold.initialState;
  for (const event of decoded) {
    const why = step(state, event);
    if (why !== null)
      return [
        {
          kind: 'impossible_step',
          streamId,
          revision: event.revision,
          position: event.globalPosition,
          message: `${streamId}@${event.revision} (position ${event.globalPosition}): ${why}`,
        },
      ];
    state = fold.evolve(state, event as never);
    previous = event;
  }
  return [];
};
