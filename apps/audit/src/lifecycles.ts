// What the audit knows of each stream category: the decider that folds it and the registry that decodes it,
// and how an item id an auditor types (a problem's or a wish's id, or a whole stream id) names its stream.
import {
  campaignDecider,
  campaignEventRegistry,
  categoryOf,
  type DomainError,
  type EventRegistry,
  type EventStore,
  evolveWish,
  forgettingEventRegistry,
  initialWishState,
  pairingDecider,
  pairingEventRegistry,
  personDecider,
  personEventRegistry,
  problemDecider,
  problemEventRegistry,
  type StoredEvent,
  serviceDecider,
  serviceEventRegistry,
  unitDecider,
  unitEventRegistry,
  validationError,
  visitDecider,
  visitEventRegistry,
  wishClaimLedgerEventRegistry,
  wishEventRegistry,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';

export interface Fold {
  readonly initialState: unknown;
  readonly evolve: (state: unknown, event: never) => unknown;
}

const folds: Readonly<Record<string, Fold>> = {
  problem: problemDecider as unknown as Fold,
  wish: { initialState: initialWishState, evolve: evolveWish } as unknown as Fold,
  unit: unitDecider as unknown as Fold,
  person: personDecider as unknown as Fold,
  campaign: campaignDecider as unknown as Fold,
  pairing: pairingDecider as unknown as Fold,
  visit: visitDecider as unknown as Fold,
  service: serviceDecider as unknown as Fold,
};

/** The decider that folds a stream's events into its state, or undefined for streams with no state. */
export const foldOf = (streamId: string): Fold | undefined => folds[categoryOf(streamId)];

const registries: Readonly<Record<string, EventRegistry>> = {
  problem: problemEventRegistry,
  wish: wishEventRegistry,
  unit: unitEventRegistry,
  person: personEventRegistry,
  campaign: campaignEventRegistry,
  pairing: pairingEventRegistry,
  visit: visitEventRegistry,
  service: serviceEventRegistry,
  wishclaims: wishClaimLedgerEventRegistry,
  forgotten: forgettingEventRegistry,
  access: forgettingEventRegistry,
} as unknown as Readonly<Record<string, EventRegistry>>;

/** Decodes (and upcasts) a stream's stored events to their current shapes; the first that fails is the error. */
export const decodeStream = (events: readonly StoredEvent[]): E.Either<DomainError, StoredEvent[]> => {
  const out: StoredEvent[] = [];
  for (const event of events) {
    const registry = registries[categoryOf(event.streamId)];
    if (registry === undefined)
      return E.left(
        validationError('audit.stream.category', `${event.streamId}: no lifecycle of the core has this category`, {
          fields: ['stream'],
        }),
      );
    const decoded = registry.decode(event);
    if (E.isLeft(decoded)) return decoded;
    out.push({ ...event, type: decoded.right.type, data: decoded.right.data } as StoredEvent);
  }
  return E.right(out);
};

const knownPrefixes = [
  'problem',
  'wish',
  'visit',
  'unit',
  'person',
  'campaign',
  'pairing',
  'service',
  'wishclaims',
  'forgotten',
  'access',
];

/**
 * The stream an auditor means: a stream id as it is (`problem-…`), or an item's bare id, tried as a problem's
 * and then a wish's. Undefined when no stream of that name holds an event.
 */
export const resolveStream = async (store: EventStore, target: string): Promise<string | undefined> => {
  const candidates = knownPrefixes.some((p) => target.startsWith(`${p}-`))
    ? [target]
    : [target, `problem-${target}`, `wish-${target}`, `pairing-${target}`];
  for (const streamId of candidates) {
    const first = await store.readStream(streamId, { limit: 1 });
    if (first.length > 0) return streamId;
  }
  return undefined;
};
