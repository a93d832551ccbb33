// Query parameters, decoded once at the edge: every filter is a query parameter, so a filtered list is a
// link to share, and every wrong one is a 400 naming it. An empty value is treated as absent (a form left
// blank submits `unit=`); a parameter given twice, an unknown value, a value too long or of the wrong shape
// is refused. Names not listed are ignored, as links from elsewhere carry their own.
import type { Request } from 'express';
import { BadParameter } from './errors.js';

export type Decoder<A> = (raw: string, name: string) => A;

/** Raises `BadParameter` for the named parameter. */
const bad = (name: string, reason: string): never => {
  throw new BadParameter(name, reason);
};

/** Longer than any filter value the board knows; a path to come back to (`back`) may be longer. */
const defaultMaxLength = 200;

/** The parameter's one string value, or undefined when absent or empty. */
export const rawParam = (req: Request, name: string, maxLength = defaultMaxLength): string | undefined => {
  const query = req.query as Record<string, unknown>;
  // The simple query parser keeps `unit[]=x` and `unit[a]=b` under those very names; ignoring them would
  // answer an unfiltered list to someone who asked for a filter.
  if (Object.keys(query).some((key) => key.startsWith(`${name}[`))) return bad(name, 'expected a single value');
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return bad(name, 'given more than once');
  if (typeof value !== 'string') return bad(name, 'expected a single value');
  if (value.length > maxLength) return bad(name, `longer than ${maxLength} characters`);
  return value.trim() === '' ? undefined : value.trim();
};

export const param = <A>(req: Request, name: string, decode: Decoder<A>): A | undefined => {
  const raw = rawParam(req, name);
  return raw === undefined ? undefined : decode(raw, name);
};

export const oneOf =
  <K extends string>(values: readonly K[]): Decoder<K> =>
  (raw, name) =>
    (values as readonly string[]).includes(raw) ? (raw as K) : bad(name, `expected one of ${values.join(' | ')}`);

/** A comma-separated list of known values (`status=open,closed`), each at most once. */
export const listOf =
  <K extends string>(values: readonly K[]): Decoder<K[]> =>
  (raw, name) => {
    const parts = raw.split(',').map((p) => p.trim());
    const out: K[] = [];
    for (const part of parts) {
      const value = oneOf(values)(part, name);
      if (!out.includes(value)) out.push(value);
    }
    return out;
  };

/** An identifier of a unit, item or campaign: the event store's id alphabet. */
export const identifier: Decoder<string> = (raw, name) =>
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(raw)
    ? raw
    : bad(name, 'expected an identifier (letters, digits, . _ : -)');

/** Free text matched exactly (a category name): printable, no control characters. */
export const label: Decoder<string> = (raw, name) =>
  raw.length <= 64 && !/[\p{Cc}\p{Cs}]/u.test(raw)
    ? raw
    : bad(name, 'expected a category name of at most 64 characters');

/** A calendar date `YYYY-MM-DD` that exists. */
export const calendarDate: Decoder<string> = (raw, name) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const valid =
    m !== null &&
    Number(m[1]) >= 1900 &&
    Number(m[1]) <= 2999 &&
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === raw;
  return valid ? raw : bad(name, 'expected a date YYYY-MM-DD');
};

/** A month `YYYY-MM`. */
export const calendarMonth: Decoder<string> = (raw, name) =>
  /^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/.test(raw) ? raw : bad(name, 'expected a month YYYY-MM');

/** A whole number within bounds. */
export const wholeNumber =
  (min: number, max: number): Decoder<number> =>
  (raw, name) => {
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max
      ? n
      : bad(name, `expected a whole number from ${min} to ${max}`);
  };

/** A checkbox: `1`, `true` or `on` (what a form sends) for yes, `0` or `false` for no. */
export const flag: Decoder<boolean> = (raw, name) =>
  ['1', 'true', 'on'].includes(raw) ? true : ['0', 'false'].includes(raw) ? false : bad(name, 'expected 1 or 0');

/** Refuses a value the decoder accepted but the data does not know (an unknown unit id, say). */
export const known = <A>(name: string, value: A | undefined, exists: (value: A) => boolean): A | undefined => {
  if (value !== undefined && !exists(value)) bad(name, `unknown value ${JSON.stringify(value)}`);
  return value;
};
