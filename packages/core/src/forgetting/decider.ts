// The forgetting decider: the office (or system) records that a subject is forgotten, once. Destroying
// the key follows the recorded event (personal-data.ts, `forgetSubject`), so a crash in between leaves a
// record that `reapplyForgetting` completes, never a key destroyed without a record.
import * as E from 'fp-ts/lib/Either.js';
import type { Decider } from '../decider.js';
import { officeAuthority } from '../directory/authority.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { type ForgettingCommand, isCaseReference, isSubjectId } from './commands.js';
import { forgettingErrors as errors, forgettingRules } from './errors.js';
import type { ForgettingEvent } from './events.js';

export type ForgettingState = { readonly forgotten: false } | { readonly forgotten: true; readonly subject: string };

export const forgettingDecider: Decider<ForgettingCommand, ForgettingEvent, ForgettingState, DecisionContext> = {
  initialState: { forgotten: false },
  evolve: (state, event) => {
    switch (event.type) {
      case 'SubjectForgotten':
        return state.forgotten ? state : { forgotten: true, subject: event.data.subject };
      default:
        return state;
    }
  },
  decide: (command, state, context) => {
    const { subject, basis, reference } = command.data;
    const authority = officeAuthority(command.metadata, context.directory, forgettingRules);
    if (E.isLeft(authority)) return authority;
    if (!isSubjectId(subject)) return E.left(errors.invalidSubject(subject));
    if (!isCaseReference(reference)) return E.left(errors.invalidReference(reference));
    if (state.forgotten) return E.left(errors.alreadyForgotten(subject));
    return E.right([{ type: 'SubjectForgotten', data: { subject, basis, reference } }]);
  },
};
