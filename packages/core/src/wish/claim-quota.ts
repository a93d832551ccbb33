// The open-claim quota of 领梦 under concurrency. The decider checks the quota against the counts command
// handling loaded, but two instances (or two requests) claiming for one member at once would each see the
// count before the other's claim. So every claim first writes a reservation to the member's ledger stream
// `wishclaims-<memberId>` at its expected revision: reservations of one member are serialised by the store,
// and each one lists what the member held when it was made.
//
// A reservation pins the wish revision the claim will be appended at. Until the wish stream moves past that
// revision the reservation counts as pending (the claim may still land); once it has moved, either the claim
// landed there and the wish's own state says whether it is still open, or something else did and the claim
// can never land — so a reservation needs no release, and a failed or abandoned claim frees its slot as soon
// as anyone else acts on the wish. See docs/domain.md, "The open-claim quota under concurrency".
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { createEventRegistry, defineEvent } from '../codec/registry.js';
import type { DomainEvent, NewEvent, StoredEvent } from '../envelope.js';
import { type DomainError, isBanshishiError, storeRules } from '../errors.js';
import {
  type CommandGuard,
  type CommandHandler,
  type CommandHandlerDeps,
  commandHandler,
  type GuardedAttempt,
} from '../handling/command-handler.js';
import { eventIdFor, randomId } from '../handling/ids.js';
import type { RevealPurpose } from '../privacy/sealer.js';
import type { EventStore } from '../store/port.js';
import { type WishCommand, wishStreamIdOf } from './commands.js';
import { evolveWish, initialWishState, type WishState, wishDecider } from './decider.js';
import { wishErrors } from './errors.js';
import { type WishEvent, wishEventRegistry, wishStreamId } from './events.js';

export const wishClaimLedgerStreamId = (memberId: string): string => `wishclaims-${memberId}`;

const pinnedClaim = t.type({ wishId: t.string, wishRevision: t.number });

export const WishClaimReserved = defineEvent(
  'WishClaimReserved',
  t.type({
    memberId: t.string,
    /** The wish to be claimed, and the revision of its stream the claim is appended after. */
    wishId: t.string,
    wishRevision: t.number,
    /** Every claim the member held or had pending when this one was reserved, this one included. */
    holding: t.array(pinnedClaim),
  }),
);

export type WishClaimReserved = DomainEvent<'WishClaimReserved', t.TypeOf<typeof WishClaimReserved.codec>>;

export const wishClaimLedgerEventRegistry = createEventRegistry([WishClaimReserved]);

type PinnedClaim = t.TypeOf<typeof pinnedClaim>;

/** How a claim listed in the ledger stands now. */
type Standing = 'pending' | 'open' | 'awaiting_confirmation' | 'over';

const foldWish = (stored: readonly StoredEvent[]): WishState => {
  let state = initialWishState;
  for (const event of stored) {
    const decoded = wishEventRegistry.decode(event);
    if (E.isLeft(decoded)) throw new Error(`${event.streamId}@${event.revision}: ${decoded.left.message}`);
    state = evolveWish(state, decoded.right);
  }
  return state;
};

const standingOf = async (store: EventStore, memberId: string, claim: PinnedClaim): Promise<Standing> => {
  const stored = await store.readStream(wishStreamId(claim.wishId));
  if (stored.length - 1 === claim.wishRevision) return 'pending';
  const state = foldWish(stored);
  if (state.status === 'none' || state.claimantId !== memberId) return 'over';
  // A fulfilment the wisher has not confirmed can come back as a reopened claim: keep it in view.
  if (state.status === 'fulfilled') return 'awaiting_confirmation';
  return state.status === 'claimed' ? 'open' : 'over';
};

const latestReservation = async (
  store: EventStore,
  ledgerId: string,
): Promise<{ revision: number; holding: readonly PinnedClaim[] }> => {
  const [last] = await store.readStream(ledgerId, { direction: 'backwards', limit: 1 });
  if (last === undefined) return { revision: -1, holding: [] };
  const decoded = wishClaimLedgerEventRegistry.decode(last);
  if (E.isLeft(decoded)) throw new Error(`${ledgerId}@${last.revision}: ${decoded.left.message}`);
  return { revision: last.revision, holding: decoded.right.data.holding };
};

export interface WishClaimQuotaOptions {
  /** Id of a reservation when the command carries no idempotency key (default a random UUID). */
  readonly newId?: () => string;
}

/**
 * The guard that makes the open-claim limit hold under any interleaving: give it to `commandHandler` for
 * the wish lifecycle (or use `wishCommandHandler`). Other wish commands pass through untouched.
 */
export const wishClaimQuota = (
  store: EventStore,
  options: WishClaimQuotaOptions = {},
): CommandGuard<WishCommand, WishState> => {
  const newId = options.newId ?? randomId;
  return async (command, attempt: GuardedAttempt<WishState>) => {
    if (command.type !== 'claimWish') return E.right('proceed');
    const memberId = command.metadata.actor.personId;
    const wishId = command.data.wishId;
    const ledgerId = wishClaimLedgerStreamId(memberId);
    const { limit } = attempt.context.wishClaims;

    const latest = await latestReservation(store, ledgerId);
    const holding: PinnedClaim[] = [];
    const counted = new Set<string>();
    const seen = new Set<string>();
    // Newest first, so a wish reserved again after a release is judged by its latest reservation.
    for (const claim of [...latest.holding].reverse()) {
      if (claim.wishId === wishId || seen.has(claim.wishId)) continue;
      seen.add(claim.wishId);
      const standing = await standingOf(store, memberId, claim);
      if (standing === 'over') continue;
      holding.unshift(claim);
      if (standing !== 'awaiting_confirmation') counted.add(claim.wishId);
    }
    for (const known of attempt.context.wishClaims.openWishesOf?.(memberId) ?? [])
      if (known !== wishId) counted.add(known);

    if (counted.size >= limit) return E.left<DomainError>(wishErrors.claimQuotaReached(memberId, counted.size, limit));

    // A retry of this very claim that already reserved at this revision reuses its reservation.
    const pinned = latest.holding[latest.holding.length - 1];
    if (pinned !== undefined && pinned.wishId === wishId && pinned.wishRevision === attempt.revision)
      return E.right('proceed');

    const key = attempt.idempotencyKey;
    const reservation: NewEvent = {
      eventId:
        key === undefined
          ? newId()
          : eventIdFor(`${key}\u0000reservation\u0000${attempt.revision}\u0000${latest.revision}`, ledgerId, 0),
      type: WishClaimReserved.type,
      schemaVersion: WishClaimReserved.schemaVersion,
      data: WishClaimReserved.codec.encode({
        memberId,
        wishId,
        wishRevision: attempt.revision,
        holding: [...holding, { wishId, wishRevision: attempt.revision }],
      }),
      occurredAt: command.metadata.now,
      actor: command.metadata.actor,
      correlationId: attempt.correlationId,
      causationId: attempt.correlationId,
    };
    try {
      await store.append(ledgerId, [reservation], {
        expectedRevision: latest.revision < 0 ? 'no_stream' : latest.revision,
      });
      return E.right('proceed');
    } catch (error) {
      if (
        isBanshishiError(error) &&
        (error.rule === storeRules.wrongExpectedRevision || error.rule === storeRules.duplicateEvent)
      )
        return E.right('retry');
      throw error;
    }
  };
};

/** Command handling for the wish lifecycle, with the open-claim quota held across instances. */
/** The one wish command whose rules read the wisher's details: 亮梦 checks the story and masks the name. */
export const wishRevealFor = (command: WishCommand): RevealPurpose | undefined =>
  command.type === 'showcaseWish'
    ? {
        code: 'decide_rule',
        statement: '亮梦: check that the story does not give the wisher away, and mask their name',
        actor: command.metadata.actor,
      }
    : undefined;

export const wishCommandHandler = (
  deps: Omit<
    CommandHandlerDeps<WishCommand, WishEvent, WishState>,
    'decider' | 'registry' | 'streamIdOf' | 'guard' | 'revealFor'
  >,
): CommandHandler<WishCommand, WishState> =>
  commandHandler({
    ...deps,
    decider: wishDecider,
    registry: wishEventRegistry,
    streamIdOf: wishStreamIdOf,
    guard: wishClaimQuota(deps.store, deps.newId === undefined ? {} : { newId: deps.newId }),
    revealFor: wishRevealFor,
  });
