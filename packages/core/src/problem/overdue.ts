// Overdue (督办's ground of being overdue), the one rule every reader of a problem applies: the decider
// checks a 督办 with it, and the read side's public list and per-unit counts are tested against it.
// docs/read-models.md ("Overdue") states it in words.
import { addDays, calendarDateOf } from '../codec/dates.js';
import type { ExistingProblem, ProblemStatus } from './decider.js';
import { type ProblemGrade, responseWindowDays } from './events.js';

/** What overdue depends on: nothing else of a problem's history matters. */
export type OverdueFacts = Pick<ExistingProblem, 'grade' | 'solicitedAt'> & {
  readonly status: ProblemStatus;
  readonly claim: Pick<NonNullable<ExistingProblem['claim']>, 'promisedBy'> | null;
};

/**
 * As of `now`: a claimed problem (a reopened one too: it keeps its claim) after its promised day; an
 * unclaimed one (never claimed, or released by 上报) after the last day of its grade's response window,
 * which runs from the local day of `solicitedAt` and is not restarted by an escalation. Days are the
 * calendar days of the timestamps in the offsets they are written with. Solved, closed and rejected
 * problems are never overdue.
 */
export const isOverdue = (
  problem: OverdueFacts,
  now: string,
  windowDays: Readonly<Record<ProblemGrade, number>> = responseWindowDays,
): boolean => {
  const today = calendarDateOf(now);
  if (problem.status === 'claimed') return problem.claim !== null && today > problem.claim.promisedBy;
  if (problem.status === 'solicited' || problem.status === 'assigned')
    return today > addDays(calendarDateOf(problem.solicitedAt), windowDays[problem.grade]);
  return false;
};
