// The two shapes of time in banshishi. Business time and store time are ISO-8601 timestamps with an explicit
// offset (`2026-12-01T09:30:00+08:00`, `…Z`): the one shape every reader can parse back to the same instant —
// PostgreSQL's timestamptz, Date.parse and EventStoreDB clients alike; a time without an offset is local to some
// unknown clock, so it is refused. Promised dates and campaign periods are calendar dates, `YYYY-MM-DD`.
import * as t from 'io-ts';
import { withSchemaHint } from './schema-hint.js';

const shape = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** True for `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or `±HH:MM`, naming a real calendar instant. */
export const isIsoTimestamp = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const m = shape.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return false;
  return Number.isFinite(Date.parse(value));
};

/** An ISO-8601 timestamp with an offset; decodes to the string as written (its offset carries the local day). */
export const isoTimestamp = withSchemaHint(
  new t.Type<string, string, unknown>(
    'an ISO-8601 timestamp with an offset (2026-12-01T09:30:00+08:00)',
    (u): u is string => isIsoTimestamp(u),
    (u, c) => (isIsoTimestamp(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  // Not `format: date-time`: seconds are optional here, and RFC 3339 requires them.
  {
    type: 'string',
    pattern: shape.source,
    description: 'an ISO-8601 timestamp with an offset (2026-12-01T09:30:00+08:00)',
  },
);

const isCalendarDateShaped = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

/** True for a calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const isIsoDate = (value: unknown): value is string => typeof value === 'string' && isCalendarDateShaped(value);

/** A calendar date, `YYYY-MM-DD`: promised dates and campaign periods are days, not instants. */
export const isoDate = withSchemaHint(
  new t.Type<string, string, unknown>(
    'IsoDate (YYYY-MM-DD)',
    isIsoDate,
    (u, c) => (isIsoDate(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a calendar date, YYYY-MM-DD' },
);

/**
 * The calendar date of an ISO-8601 timestamp, in the offset it was written with: a command sent at
 * `2025-03-01T07:30:00+08:00` happened on 1 March in Jiaozhou, whatever the UTC date was.
 */
export const calendarDateOf = (timestamp: string): string => timestamp.slice(0, 10);

/** The calendar date `days` after `date` (before it, for a negative count). */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
