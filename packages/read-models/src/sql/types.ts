// One reading of PostgreSQL values for both drivers, so a row read through pg equals the same row read
// through PGlite: int8 and numeric as numbers, timestamps as ISO-8601 strings, dates as `YYYY-MM-DD`.
// Without this, pg returns int8 as strings and dates at local midnight while PGlite returns numbers and
// UTC midnight, and "replay equals live" could not be checked across backends.

export const oids = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

const toNumber = (value: string): number => Number(value);
export const toIso = (value: string): string => {
  // PostgreSQL prints `2026-03-01 08:00:00+08` or `+05:30`; Date needs the offset as `+08:00`.
  const normalised = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};
const timestampWithoutZone = (value: string): string => toIso(`${value}Z`);
// What a UTC session prints (PostgreSQL's default TimeZone here, and PGlite's): rewritten by hand, as
// Date.parse of six fractional digits takes V8's slow legacy parser. A page of 50 problems has 350 of
// these; the general path cost some 10 µs each under load, this one under 2.
const utcTimestamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
export const timestamptzToIso = (value: string): string => {
  const m = utcTimestamp.exec(value);
  return m === null ? toIso(value) : `${m[1]}T${m[2]}.${`${m[3] ?? ''}000`.slice(0, 3)}Z`;
};

export const textParsers: Readonly<Record<number, (value: string) => unknown>> = {
  [oids.int8]: toNumber,
  [oids.numeric]: toNumber,
  [oids.date]: (value) => value,
  [oids.timestamp]: timestampWithoutZone,
  [oids.timestamptz]: timestamptzToIso,
};
