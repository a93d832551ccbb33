// Strings a command body admits, each a codec with its JSON Schema hint (the API document says what the
// predicate checks): the building blocks of every lifecycle's `commands.ts`.
import * as t from 'io-ts';
import { type HintedCodec, type SchemaHint, withSchemaHint } from './schema-hint.js';

/** A string `ok` admits, named for the error a caller reads and hinted for the API document. */
export const stringMatching = (
  name: string,
  ok: (s: string) => boolean,
  hint: Omit<SchemaHint, 'type'>,
): HintedCodec<t.Type<string, string, unknown>> =>
  withSchemaHint(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === 'string' && ok(u),
      (u, c) => (typeof u === 'string' && ok(u) ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    { type: 'string', description: name, ...hint },
  );

/** Text a person wrote: not blank, bounded so one request cannot bloat a stream. */
export const boundedText = (maxLength: number): HintedCodec<t.Type<string, string, unknown>> =>
  stringMatching(
    `non-blank text of at most ${maxLength} characters`,
    (s) => s.trim().length > 0 && s.length <= maxLength,
    { minLength: 1, maxLength, pattern: '\\S' },
  );
