// What the proof bundles share: their field codecs (a whole number, a SHA-256 hash in base64) and the one
// way a check refuses (`transparency.<rule>`, a validation error). Internal to transparency/.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type DomainError, validationError } from '../errors.js';
import { base64ToBytes } from './note.js';

export const wholeNumber = new t.Type<number, number, unknown>(
  'a whole number ≥ 0',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const base64Hash = new t.Type<string, string, unknown>(
  'a SHA-256 hash in base64',
  (u): u is string => typeof u === 'string' && base64ToBytes(u)?.length === 32,
  (u, c) => (typeof u === 'string' && base64ToBytes(u)?.length === 32 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const refused = (rule: string, message: string): E.Either<DomainError, never> =>
  E.left(validationError(`transparency.${rule}`, message));
