// What every API request is checked for before it reaches a handler: path parameters, the JSON body as an
// object, the If-Match and Idempotency-Key headers, and the business time an integration may send. Each
// refusal names the field or header it is about.

import type { Request } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { type ApiError, apiRefusal, apiRules } from './problem-details.js';

/** Ids in paths: what core's stream ids accept, and nothing a path could be made to mean more by. */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const pathParameters = (req: Request, names: readonly string[]): E.Either<ApiError, Record<string, string>> => {
  const values: Record<string, string> = {};
  for (const name of names) {
    const raw = req.params[name];
    if (typeof raw !== 'string' || !idPattern.test(raw))
      return E.left(
        apiRefusal(
          'validation',
          apiRules.pathParameter,
          `path.${name}: expected an id of letters, digits and . _ : - (at most 128)`,
          {
            fields: [
              {
                path: `path.${name}`,
                message: `path.${name}: expected an id of letters, digits and . _ : - (at most 128)`,
              },
            ],
          },
        ),
      );
    values[name] = raw;
  }
  return E.right(values);
};

/** The JSON body as a plain object; an empty body (no content at all) reads as `{}`. */
export const bodyObject = (req: Request): E.Either<ApiError, Record<string, unknown>> => {
  const body: unknown = req.body;
  if (body === undefined) return E.right({});
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return E.left(
      apiRefusal('validation', apiRules.bodyNotObject, 'body: expected a JSON object', {
        fields: [{ path: 'body', message: 'body: expected a JSON object' }],
      }),
    );
  return E.right(body as Record<string, unknown>);
};

/** Path parameters fill their data fields; a body naming the same field differently is refused. */
export const withPathParameters = (
  body: Record<string, unknown>,
  params: Readonly<Record<string, string>>,
): E.Either<ApiError, Record<string, unknown>> => {
  for (const [name, value] of Object.entries(params)) {
    if (name in body && body[name] !== value)
      return E.left(
        apiRefusal('validation', apiRules.pathBodyMismatch, `body.${name}: differs from the path's ${name}`, {
          fields: [{ path: `body.${name}`, message: `body.${name}: must be left out or equal the path's ${value}` }],
        }),
      );
  }
  return E.right({ ...body, ...params });
};

const headerField = (name: string, message: string) => ({
  fields: [{ path: `header.${name}`, message: `header.${name}: ${message}` }],
});

/**
 * `If-Match: "3"` (the ETag this API gives) → revision 3; `"-1"` or `"none"` → the item must not exist yet.
 * Absent → undefined. A weak or malformed tag, or a list, is refused: a precondition must be exact.
 */
export const ifMatch = (req: Request): E.Either<ApiError, number | 'no_stream' | undefined> => {
  const raw = req.get('if-match');
  if (raw === undefined) return E.right(undefined);
  const m = /^\s*"(-1|none|0|[1-9]\d{0,9})"\s*$/.exec(raw);
  if (m === null)
    return E.left(
      apiRefusal(
        'validation',
        apiRules.invalidIfMatch,
        'If-Match: expected one ETag of this API, e.g. "3"',
        headerField('if-match', 'expected one ETag of this API, e.g. "3"'),
      ),
    );
  return E.right(m[1] === '-1' || m[1] === 'none' ? 'no_stream' : Number(m[1]));
};

/** 1–255 printable ASCII characters, as the IETF draft on the header allows. */
export const idempotencyKey = (req: Request): E.Either<ApiError, string | undefined> => {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return E.right(undefined);
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    return E.left(
      apiRefusal(
        'validation',
        apiRules.invalidIdempotencyKey,
        'Idempotency-Key: expected 1–255 printable ASCII characters',
        headerField('idempotency-key', 'expected 1–255 printable ASCII characters'),
      ),
    );
  return E.right(key);
};

const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Business time: the server's clock, unless an integration allowed to record acts made offline sends
 * `X-Occurred-At` within its bound into the past (core refuses a time ahead of the clock).
 */
export const businessTime = (
  req: Request,
  now: Date,
  maxBackdateMs: number | undefined,
): E.Either<ApiError, string> => {
  const raw = req.get('x-occurred-at');
  if (raw === undefined) return E.right(now.toISOString());
  if (maxBackdateMs === undefined)
    return E.left(
      apiRefusal(
        'forbidden',
        apiRules.occurredAtNotAllowed,
        'X-Occurred-At: only an integration allowed to record acts made offline may send it',
      ),
    );
  const at = isoWithOffset.test(raw.trim()) ? Date.parse(raw.trim()) : Number.NaN;
  if (Number.isNaN(at))
    return E.left(
      apiRefusal(
        'validation',
        apiRules.occurredAtOutOfBounds,
        'X-Occurred-At: expected an ISO-8601 time with its offset',
        headerField('x-occurred-at', 'expected an ISO-8601 time with its offset'),
      ),
    );
  if (now.getTime() - at > maxBackdateMs)
    return E.left(
      apiRefusal(
        'validation',
        apiRules.occurredAtOutOfBounds,
        `X-Occurred-At: more than ${Math.round(maxBackdateMs / 3_600_000)} h in the past`,
        headerField('x-occurred-at', `more than ${Math.round(maxBackdateMs / 3_600_000)} h in the past`),
      ),
    );
  return E.right(raw.trim());
};

/** The longest text any field takes; the codecs set tighter bounds where the domain has them. */
export const maxTextLength = 4_000;

// C0 controls but tab and line breaks, U+FFFD (what invalid UTF-8 became), bidirectional overrides and
// isolates (they reorder what a public board shows), and UTF-16 halves without their other half.
const forbiddenText =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Every string of a decoded body: at most `maxTextLength` characters, and no characters that are never
 * text a person wrote (controls, bidirectional overrides, the replacement character, lone surrogates).
 */
export const textRefusal = (value: unknown, root = 'body'): ApiError | undefined => {
  const problems: { path: string; message: string }[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (problems.length >= 20 || depth > 16) return;
    if (typeof v === 'string') {
      if ([...v].length > maxTextLength)
        problems.push({ path, message: `${path}: longer than ${maxTextLength} characters` });
      else if (forbiddenText.test(v))
        problems.push({
          path,
          message: `${path}: holds control or direction characters, or bytes that are not UTF-8 text`,
        });
    } else if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, `${path}.${i}`, depth + 1);
    else if (v !== null && typeof v === 'object')
      for (const [key, item] of Object.entries(v)) walk(item, `${path}.${key}`, depth + 1);
  };
  walk(value, root, 0);
  return problems.length === 0
    ? undefined
    : apiRefusal('validation', apiRules.invalidText, problems.map((p) => p.message).join('; '), { fields: problems });
};
