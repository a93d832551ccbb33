// Decoding untrusted input once, at the boundary, with errors a person can act on:
// `body.evaluation.verdict: expected one of satisfied | basically_satisfied | unsatisfied, got "meh"`.
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type DomainError, validationError } from '../errors.js';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

const describeExpected = (
  type: t.Decoder<unknown, unknown> & { _tag?: string; keys?: object; types?: unknown[]; value?: unknown },
): string => {
  if (type._tag === 'KeyofType' && type.keys !== undefined) return `one of ${Object.keys(type.keys).join(' | ')}`;
  if (type._tag === 'LiteralType') return JSON.stringify(type.value);
  if (
    type._tag === 'UnionType' &&
    Array.isArray(type.types) &&
    type.types.every((m) => (m as { _tag?: string })._tag === 'LiteralType')
  )
    return `one of ${type.types.map((m) => String((m as { value: unknown }).value)).join(' | ')}`;
  return type.name;
};

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof value;
  }
};

type Inspectable = { _tag?: string; type?: unknown };

/** Exact, readonly and refined codecs validate in their parent's context entry, so look through them. */
const addsIndexEntries = (type: unknown): boolean => {
  let current = type as Inspectable | undefined;
  while (current?._tag === 'ExactType' || current?._tag === 'ReadonlyType' || current?._tag === 'RefinementType')
    current = current.type as Inspectable | undefined;
  return current?._tag === 'UnionType' || current?._tag === 'IntersectionType';
};

/**
 * Turns io-ts errors into one problem per offending field. Within a union, io-ts reports every branch;
 * we keep the deepest path for each field and report the innermost expectation, which is the useful one.
 */
export const fieldProblems = (errors: t.Errors, root: string): FieldProblem[] => {
  const byPath = new Map<string, FieldProblem>();
  for (const error of errors) {
    // A union adds one context entry per branch, an intersection one per member, keyed by index: not
    // fields, so skip them.
    const keys = error.context
      .filter((entry, i) => entry.key !== '' && !addsIndexEntries(error.context[i - 1]?.type))
      .map((entry) => entry.key);
    const last = error.context[error.context.length - 1];
    const path = [root, ...keys].join('.');
    const message =
      error.message ??
      `expected ${last === undefined ? 'a value' : describeExpected(last.type)}, got ${show(error.value)}`;
    if (!byPath.has(path)) byPath.set(path, { path, message: `${path}: ${message}` });
  }
  return [...byPath.values()];
};

/** Decodes with a codec; on failure, a `validation` DomainError listing every bad field path. */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>, root = 'body') =>
  (input: unknown): E.Either<DomainError, A> => {
    let result: t.Validation<A>;
    try {
      result = codec.decode(input);
    } catch (e) {
      // A codec must never throw; if one does, report it as the input being unusable rather than crash.
      return E.left(
        validationError(
          'input.undecodable',
          `${root}: could not be read (${e instanceof Error ? e.message : String(e)})`,
          {
            fields: [{ path: root, message: `${root}: could not be read` }],
          },
        ),
      );
    }
    if (E.isRight(result)) return result;
    const fields = fieldProblems(result.left, root);
    return E.left(validationError('input.invalid', fields.map((f) => f.message).join('; '), { fields }));
  };
