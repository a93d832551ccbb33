// Overdue (督办's ground) in SQL: the one expression behind the public list's flag and the per-unit count.
// It is core's isOverdue over a `public_problems` row, and overdue.int.spec.ts holds the three together;
// docs/read-models.md ("Overdue") states the rule in words.
import { calendarDateOf } from '@banshishi/core';
import { type ExpressionWrapper, expressionBuilder } from 'kysely';
import type { PublicProblemsTable } from '../projections/disclosure.js';
import type { EvaluationConfig } from './config.js';
import { dateValue, plusDays } from './views.js';

/** A query over `public_problems as p`: the row every expression here reads. */
export type ProblemRow = { p: PublicProblemsTable };

const p = expressionBuilder<ProblemRow, 'p'>();

/** The response window of the row's grade in days, from the configuration (bound, cast to integer). */
export const windowDaysOf = (config: EvaluationConfig): ExpressionWrapper<ProblemRow, 'p', number> => {
  const w = config.responseWindowDays;
  const days = (n: number) => p.cast<number>(p.val(n), 'integer');
  return p
    .case('p.grade')
    .when('minor')
    .then(days(w.minor))
    .when('small')
    .then(days(w.small))
    .when('medium')
    .then(days(w.medium))
    .else(days(w.major))
    .end();
};

/**
 * Over the row alias `p`, as of `asOf`: claimed (a reopened problem keeps its claim) and past its promised
 * day, or unclaimed (never claimed, or released by 上报) and past the last day of its response window,
 * counted in calendar days from the local day it was raised. Days are the dates the timestamps are written
 * with, so `asOf` is read in its own offset, as the decider reads `now`.
 */
export const overdueAsOf = (config: EvaluationConfig, asOf: string): ExpressionWrapper<ProblemRow, 'p', boolean> => {
  const today = dateValue(calendarDateOf(asOf));
  return p.fn
    .coalesce(
      p.or([
        p.and([p('p.status', '=', 'claimed'), p('p.promised_by', '<', today)]),
        p.and([
          p('p.status', 'in', ['solicited', 'assigned']),
          p(plusDays(p.ref('p.solicited_date'), windowDaysOf(config)), '<', today),
        ]),
      ]),
      p.lit(false),
    )
    .$castTo<boolean>(); // SqlBool covers dialects that answer 0 or 1; PostgreSQL answers a boolean
};
