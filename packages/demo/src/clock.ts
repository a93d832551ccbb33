// Business time of the simulated campaign, in Jiaozhou's calendar (UTC+8, no daylight saving). Times are
// written with their +08:00 offset, so a timestamp's first ten characters are the local calendar day,
// which is what the deciders compare promised dates with.

const offsetMs = 8 * 3_600_000;
export const dayMs = 86_400_000;

/** Milliseconds since the epoch of local midnight starting `date` (YYYY-MM-DD). */
export const startOfDay = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** The business-time spelling of an instant: `2021-04-01T09:30:00+08:00`. */
export const businessTime = (ms: number): string =>
  `${new Date(Math.floor(ms / 1000) * 1000 + offsetMs).toISOString().slice(0, 19)}+08:00`;

/** The local calendar day of an instant. */
export const localDate = (ms: number): string => new Date(ms + offsetMs).toISOString().slice(0, 10);

/** Local midnight of the day an instant falls on. */
export const midnightOf = (ms: number): number => ms - ((ms + offsetMs) % dayMs);

/** Adds whole days to a calendar date. */
export const addDays = (date: string, days: number): string => localDate(startOfDay(date) + days * dayMs + 1);

/** Days from one calendar date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((startOfDay(to) - startOfDay(from)) / dayMs);
