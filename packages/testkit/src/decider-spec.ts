// Given / When / Then for deciders: given these events, when this command, then these events or this
// error. Core's own specs use it; so can anyone who extends a lifecycle.

import type { Command, Decider, DecisionContext, DomainError, DomainEvent } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';

export interface DeciderSpecification<C extends Command, Ev extends DomainEvent, Ctx> {
  given(events: readonly Ev[]): {
    when(
      command: C,
      context?: Ctx,
    ): {
      thenEvents(expected: readonly Ev[]): void;
      thenError(expected: Pick<DomainError, 'code' | 'rule'> | DomainError['rule']): DomainError;
      thenNothing(): void;
      /** The raw decision, for assertions the helpers above do not cover. */
      readonly decision: E.Either<DomainError, readonly Ev[]>;
    };
  };
}

export const deciderSpecification = <C extends Command, Ev extends DomainEvent, S, Ctx = DecisionContext>(
  decider: Decider<C, Ev, S, Ctx>,
  defaultContext: Ctx,
): DeciderSpecification<C, Ev, Ctx> => ({
  given: (events) => ({
    when: (command, context) => {
      const state = events.reduce(decider.evolve, decider.initialState);
      const decision = decider.decide(command, state, context ?? defaultContext);
      const describe = (d: E.Either<DomainError, readonly Ev[]>) =>
        E.isLeft(d) ? `error ${d.left.code}/${d.left.rule}: ${d.left.message}` : `events ${JSON.stringify(d.right)}`;
      return {
        decision,
        thenEvents(expected) {
          if (E.isLeft(decision)) throw new Error(`expected events, got ${describe(decision)}`);
          expect(decision.right).toEqual(expected);
        },
        thenNothing() {
          if (E.isLeft(decision)) throw new Error(`expected no events, got ${describe(decision)}`);
          expect(decision.right).toEqual([]);
        },
        thenError(expected) {
          if (E.isRight(decision)) throw new Error(`expected an error, got ${describe(decision)}`);
          const want = typeof expected === 'string' ? { rule: expected } : expected;
          expect(decision.left).toMatchObject(want);
          return decision.left;
        },
      };
    },
  }),
});
