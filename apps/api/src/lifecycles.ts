// The API's command handlers, one per lifecycle, over one store, one directory context and one sealer:
// what the routes dispatch to. Folding an item for a read uses the same deciders and registries.
import {
  type Command,
  type CommandHandler,
  campaignDecider,
  campaignEventRegistry,
  campaignStreamIdOf,
  commandHandler,
  type DirectoryContextLoader,
  type DomainError,
  type EventStore,
  type PersonalDataSealer,
  pairingCommandHandler,
  pairingDecider,
  pairingEventRegistry,
  pairingStreamId,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  problemDecider,
  problemEventRegistry,
  problemStreamId,
  problemStreamIdOf,
  type StoredEvent,
  serviceDecider,
  serviceEventRegistry,
  serviceStreamIdOf,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
  visitDecider,
  visitEventRegistry,
  visitStreamIdOf,
  wishCommandHandler,
  wishDecider,
  wishEventRegistry,
  wishStreamId,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Lifecycle } from './routes/command-routes.js';

export type Handlers = Readonly<Record<Lifecycle, CommandHandler<Command, unknown>>>;

export interface HandlerDeps {
  readonly store: EventStore;
  readonly context: DirectoryContextLoader;
  readonly personalData: PersonalDataSealer;
  readonly clock: () => Date;
  readonly maxClockAheadMs?: number;
}

export const lifecycleHandlers = (deps: HandlerDeps): Handlers => {
  const shared = {
    store: deps.store,
    context: deps.context,
    personalData: deps.personalData,
    clock: deps.clock,
    ...(deps.maxClockAheadMs === undefined ? {} : { maxClockAheadMs: deps.maxClockAheadMs }),
  };
  // Each handler is typed for its own commands; the router pairs a command with its lifecycle by the
  // route table, so widening them here to one shape is safe by construction.
  const widen = <C extends Command, S>(h: CommandHandler<C, S>) => h as unknown as CommandHandler<Command, unknown>;
  return {
    problem: widen(
      commandHandler({
        ...shared,
        decider: problemDecider,
        registry: problemEventRegistry,
        streamIdOf: problemStreamIdOf,
      }),
    ),
    wish: widen(wishCommandHandler(shared)),
    visit: widen(
      commandHandler({ ...shared, decider: visitDecider, registry: visitEventRegistry, streamIdOf: visitStreamIdOf }),
    ),
    unit: widen(
      commandHandler({ ...shared, decider: unitDecider, registry: unitEventRegistry, streamIdOf: unitStreamIdOf }),
    ),
    person: widen(
      commandHandler({
        ...shared,
        decider: personDecider,
        registry: personEventRegistry,
        streamIdOf: personStreamIdOf,
      }),
    ),
    campaign: widen(
      commandHandler({
        ...shared,
        decider: campaignDecider,
        registry: campaignEventRegistry,
        streamIdOf: campaignStreamIdOf,
      }),
    ),
    pairing: widen(pairingCommandHandler(shared)),
    service: widen(
      commandHandler({
        ...shared,
        decider: serviceDecider,
        registry: serviceEventRegistry,
        streamIdOf: serviceStreamIdOf,
      }),
    ),
  };
};

/**
 * Commands whose rules fold the item with its personal data revealed (wishRevealFor, pairingRevealFor):
 * 亮梦's story check, and 探亲's check-in against the registered location and its excerpt screen.
 */
export const revealingCommands: ReadonlySet<string> = new Set(['showcaseWish', 'recordPairingVisit']);

/** The items a client reads by id: problems and wishes. */
export type ItemKind = 'problem' | 'wish';

/** What `loadItem` folds: the items, and pairings (folded sealed to answer a revealing command). */
export type LoadableKind = ItemKind | 'pairing';

const items = {
  problem: { decider: problemDecider, registry: problemEventRegistry, streamId: problemStreamId },
  wish: { decider: wishDecider, registry: wishEventRegistry, streamId: wishStreamId },
  pairing: { decider: pairingDecider, registry: pairingEventRegistry, streamId: pairingStreamId },
} as const;

export interface LoadedItem {
  readonly streamId: string;
  readonly stored: readonly StoredEvent[];
  /** The decider's state, folded with personal fields sealed (they read as the sealed marker). */
  readonly state: { readonly status: string } & Readonly<Record<string, unknown>>;
  readonly revision: number;
}

/** Folds an item from its events, as command handling does; an item with no events has status `none`. */
export const loadItem = async (
  store: EventStore,
  kind: LoadableKind,
  id: string,
): Promise<E.Either<DomainError, LoadedItem>> => {
  const { decider, registry, streamId } = items[kind];
  const stream = streamId(id);
  const stored = await store.readStream(stream);
  let state: unknown = decider.initialState;
  for (const event of stored) {
    const decoded = registry.decode(event);
    if (E.isLeft(decoded)) return decoded;
    state = (decider.evolve as (s: unknown, e: unknown) => unknown)(state, decoded.right);
  }
  return E.right({ streamId: stream, stored, state: state as LoadedItem['state'], revision: stored.length - 1 });
};
