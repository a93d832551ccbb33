// One reading of PostgreSQL values for both drivers, so a row read through pg equals the same row read
// through PGlite: int8 and numeric as numbers, timestamps as ISO-8601 strings, dates as `YYYY-MM-DD`.
// Without this, pg returns int8 as strings and dates at local midnight while PGlite returns numbers and
// UTC midnight, and "replay equals live" could not be checked across backends.

export const oids = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

const toNumber = (value: string): number => Number(value);
const toIso = (value: string): string => {
  // PostgreSQL prints `2026-03-01 08:00:00+08` or `+05:30`; Date needs the offset as `+08:00`.
  const normalised = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};
const timestampWithoutZone = (value: string): string => toIso(`${value}Z`);

export const textParsers: Readonly<Record<number, (value: string) => unknown>> = {
  [oids.int8]: toNumber,
  [oids.numeric]: toNumber,
  [oids.date]: (value) => value,
  [oids.timestamp]: timestampWithoutZone,
  [oids.timestamptz]: toIso,
};
