// A decider is plain data and pure functions (docs/architecture.md, "Core in one page"): no I/O, no clock,
// no randomness. "Now" and the actor arrive in the command's metadata; whatever else it consults (for the
// lifecycles, `DecisionContext` in handling/) arrives as its context.
import type { Either } from 'fp-ts/lib/Either.js';
import type { Actor, DomainEvent } from './envelope.js';
import type { DomainError } from './errors.js';

export interface CommandMetadata {
  readonly actor: Actor;
  /** Business time of the act, ISO-8601. */
  readonly now: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

export interface Decider<C extends Command, E extends DomainEvent, S, Ctx> {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S, context: Ctx) => Either<DomainError, readonly E[]>;
}

export const fold = <E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S, never>, 'initialState' | 'evolve'>,
  events: readonly E[],
): S => events.reduce(decider.evolve, decider.initialState);
