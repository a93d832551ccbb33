// A decider is plain data and pure functions (DESIGN §3): no I/O, no clock, no randomness. "Now" and
// the actor arrive in the command's metadata; who holds which role arrives in the decision context.
import type { Either } from 'fp-ts/lib/Either.js';
import type { DirectoryView } from './directory/view.js';
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

/** What a decider may consult beyond its own stream, resolved by command handling before deciding. */
export interface DecisionContext {
  /** The directory as it stands when the command is handled. */
  readonly directory: DirectoryView;
  /** Open wish claims per member, and the campaign's limit on them (default 3). */
  readonly wishClaims: {
    readonly openClaimsOf: (memberId: string) => number;
    /** Which wishes those open claims are on, where the loader knows (command handling's quota guard). */
    readonly openWishesOf?: (memberId: string) => ReadonlySet<string>;
    readonly limit: number;
  };
}

export interface Decider<C extends Command, E extends DomainEvent, S, Ctx = DecisionContext> {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S, context: Ctx) => Either<DomainError, readonly E[]>;
}

export const fold = <E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S, never>, 'initialState' | 'evolve'>,
  events: readonly E[],
): S => events.reduce(decider.evolve, decider.initialState);
