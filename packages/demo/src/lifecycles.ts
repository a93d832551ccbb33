// The six lifecycles the demo issues commands to, each with its decider, event registry and stream id:
// the one table both paths (command handling on a store, and the in-memory bulk path) decide through.
import {
  type Command,
  campaignDecider,
  campaignEventRegistry,
  campaignStreamIdOf,
  type Decider,
  type DecisionContext,
  type DomainEvent,
  type EventRegistry,
  pairingDecider,
  pairingEventRegistry,
  pairingStreamIdOf,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  problemDecider,
  problemEventRegistry,
  problemStreamIdOf,
  serviceDecider,
  serviceEventRegistry,
  serviceStreamIdOf,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
  visitDecider,
  visitEventRegistry,
  visitStreamIdOf,
  wishDecider,
  wishEventRegistry,
  wishStreamIdOf,
} from '@banshishi/core';

export interface Lifecycle<C extends Command = Command> {
  readonly decider: Decider<C, DomainEvent, unknown, DecisionContext>;
  readonly registry: EventRegistry<DomainEvent>;
  readonly streamIdOf: (command: C) => string;
}

// Each decider is widened to the common shape once, here: the script pairs every command with the
// lifecycle it belongs to, so the narrow types hold by construction.
const lifecycle = <C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S, DecisionContext>,
  registry: EventRegistry<E>,
  streamIdOf: (command: C) => string,
): Lifecycle<C> => ({
  decider: decider as unknown as Decider<C, DomainEvent, unknown, DecisionContext>,
  registry: registry as unknown as EventRegistry<DomainEvent>,
  streamIdOf,
});

export const demoLifecycles = {
  unit: lifecycle(unitDecider, unitEventRegistry, unitStreamIdOf),
  person: lifecycle(personDecider, personEventRegistry, personStreamIdOf),
  campaign: lifecycle(campaignDecider, campaignEventRegistry, campaignStreamIdOf),
  problem: lifecycle(problemDecider, problemEventRegistry, problemStreamIdOf),
  wish: lifecycle(wishDecider, wishEventRegistry, wishStreamIdOf),
  pairing: lifecycle(pairingDecider, pairingEventRegistry, pairingStreamIdOf),
  visit: lifecycle(visitDecider, visitEventRegistry, visitStreamIdOf),
  service: lifecycle(serviceDecider, serviceEventRegistry, serviceStreamIdOf),
} as const;

export type DemoLifecycleName = keyof typeof demoLifecycles;

/** The registry that reads events of a stream, by the stream's category. */
export const registryOfCategory = (category: string): EventRegistry<DomainEvent> | undefined =>
  (demoLifecycles as Record<string, Lifecycle>)[category]?.registry;
