// The embedded path: the demo issued command by command through `commandHandler` on any EventStore
// (PGlite for the embedded default), with the directory context loaded from the store as the api does.
// Every command carries an idempotency key, so seeding a store that already holds the demo stores
// nothing twice and returns the same manifest.
import {
  type Command,
  commandHandler,
  createDirectoryContextLoader,
  type EventStore,
  type PairingCommand,
  type PersonalDataSealer,
  pairingRevealFor,
  type WishCommand,
  wishRevealFor,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { refusedCommandError } from './generate.js';
import { demoLifecycles, type Lifecycle } from './lifecycles.js';
import type { DemoManifest } from './manifest.js';
import type { DemoOptions } from './options.js';
import { demoScript } from './script.js';

export interface SeedDemoOptions extends DemoOptions {
  /** Seals the residents' personal fields as every command handler does (docs/privacy.md). */
  readonly personalData: PersonalDataSealer | 'in_clear';
  /** Called after every command with the number issued so far, for a progress line. */
  readonly onProgress?: (commands: number) => void;
}

const stateAfter = async (
  store: EventStore,
  lifecycle: Lifecycle,
  streamId: string,
  mine: readonly { readonly eventId: string }[],
): Promise<unknown> => {
  const last = mine[mine.length - 1]?.eventId;
  let state = lifecycle.decider.initialState;
  for (const stored of await store.readStream(streamId)) {
    const decoded = lifecycle.registry.decode(stored);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    state = lifecycle.decider.evolve(state, decoded.right);
    if (stored.eventId === last) break;
  }
  return state;
};

export const seedDemo = async (store: EventStore, options: SeedDemoOptions): Promise<DemoManifest> => {
  const context = createDirectoryContextLoader(store);
  const handlerOf = (lifecycle: Lifecycle) =>
    commandHandler<Command, never, unknown>({
      store,
      decider: lifecycle.decider as never,
      registry: lifecycle.registry as never,
      streamIdOf: lifecycle.streamIdOf,
      context,
      personalData: options.personalData,
      revealFor: (command: Command) =>
        lifecycle === demoLifecycles.wish
          ? wishRevealFor(command as WishCommand)
          : lifecycle === demoLifecycles.pairing
            ? pairingRevealFor(command as PairingCommand)
            : undefined,
      newId: () => {
        throw new Error('every demo command carries its own correlation id');
      },
    });
  const handlers = {
    unit: handlerOf(demoLifecycles.unit as unknown as Lifecycle),
    person: handlerOf(demoLifecycles.person as unknown as Lifecycle),
    campaign: handlerOf(demoLifecycles.campaign as unknown as Lifecycle),
    problem: handlerOf(demoLifecycles.problem as unknown as Lifecycle),
    wish: handlerOf(demoLifecycles.wish as unknown as Lifecycle),
    pairing: handlerOf(demoLifecycles.pairing as unknown as Lifecycle),
    visit: handlerOf(demoLifecycles.visit as unknown as Lifecycle),
    service: handlerOf(demoLifecycles.service as unknown as Lifecycle),
  };

  const script = demoScript(options);
  let issued = 0;
  let step = script.next();
  while (!step.done) {
    const command = step.value;
    const result = await handlers[command.lifecycle](command.command, {
      idempotencyKey: command.idempotencyKey,
      correlationId: command.correlationId,
    });
    if (E.isLeft(result)) throw refusedCommandError(command, result.left.rule, result.left.message);
    options.onProgress?.(++issued);
    const { events, replayed } = result.right;
    // A replay reports the state of the whole stream as stored, which is ahead of where the script is;
    // the script needs the state right after this command's own events.
    const state = replayed
      ? await stateAfter(store, demoLifecycles[command.lifecycle] as unknown as Lifecycle, command.streamId, events)
      : result.right.state;
    step = script.next({ events, state });
  }
  return step.value;
};
