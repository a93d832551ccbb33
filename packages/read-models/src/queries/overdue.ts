// Overdue (督办's ground) in SQL: the one expression behind the public list's flag and the per-unit count.
// It is core's isOverdue over a `public_problems` row, and overdue.int.spec.ts holds the three together;
// docs/read-models.md ("Overdue") states the rule in words.
import { type RawBuilder, sql } from 'kysely';
import { calendarDateOf } from '../projections/dates.js';
import type { EvaluationConfig } from './config.js';

/**
 * Over the row alias `p`, as of `asOf`: claimed (a reopened problem keeps its claim) and past its promised
 * day, or unclaimed (never claimed, or released by 上报) and past the last day of its response window,
 * counted in calendar days from the local day it was raised. Days are the dates the timestamps are written
 * with, so `asOf` is read in its own offset, as the decider reads `now`.
 */
export const overdueAsOf = (config: EvaluationConfig, asOf: string): RawBuilder<boolean> => {
  const w = config.responseWindowDays;
  const today = sql`${calendarDateOf(asOf)}::date`;
  return sql<boolean>`coalesce(
    (p.status = 'claimed' and p.promised_by < ${today})
    or (p.status in ('solicited', 'assigned') and p.solicited_date + case p.grade
      when 'minor' then ${w.minor}::int when 'small' then ${w.small}::int
      when 'medium' then ${w.medium}::int else ${w.major}::int end < ${today}), false)`;
};
