// The key store port: one key per data subject, kept apart from the event log (a backup of the log then
// holds no readable personal data), destroyed when the subject is forgotten. Adapters: in memory (here),
// PostgreSQL and PGlite in their own schema (@banshishi/store-postgres); an external KMS implements the
// same three operations (docs/privacy.md, "Keys").
import { isIsoTimestamp } from '../codec/dates.js';
import { BanshishiError, invalidState, validationError } from '../errors.js';
import { newSubjectKey, subjectKeyLength } from './cipher.js';

export type SubjectKeyState =
  | { readonly state: 'active'; readonly key: Uint8Array }
  | { readonly state: 'forgotten'; readonly forgottenAt: string };

export type DestroyOutcome = 'destroyed' | 'already_forgotten' | 'never_had_key';

export interface SubjectKeyStore {
  /**
   * The subject's key, made on first use (concurrent first uses agree on one key). Throws an
   * `invalid_state` BanshishiError (`privacy.subject_forgotten`) for a forgotten subject: nothing new is
   * sealed for a person the office has forgotten.
   */
  keyFor(subject: string): Promise<Uint8Array>;
  /** Looks subjects up without making keys; a subject with neither key nor tombstone is absent. */
  lookup(subjects: readonly string[]): Promise<ReadonlyMap<string, SubjectKeyState>>;
  /** Destroys the key and keeps a tombstone with the time; forgetting twice changes nothing. */
  destroy(subject: string, forgottenAt: string): Promise<DestroyOutcome>;
  /** Every tombstone, oldest first: for the audit that each destroyed key has its record in the log. */
  forgottenSubjects(): Promise<readonly { readonly subject: string; readonly forgottenAt: string }[]>;
}

export const privacyRules = {
  subjectForgotten: 'privacy.subject_forgotten',
  keyMissing: 'privacy.key_missing',
  ciphertextRejected: 'privacy.ciphertext_rejected',
  clearAtSealedVersion: 'privacy.clear_value_at_sealed_version',
  sealedAtClearVersion: 'privacy.sealed_value_at_clear_version',
  noPurpose: 'privacy.reveal.no_purpose',
  unsealable: 'privacy.unsealable_value',
} as const;

export const subjectForgottenError = (subject: string, forgottenAt: string) =>
  new BanshishiError(
    invalidState(
      privacyRules.subjectForgotten,
      `data subject ${subject} was forgotten at ${forgottenAt}: no personal data is stored for them again`,
      { subject, forgottenAt },
    ),
  );

/** The rules of a key store's refusals of bad input: `validation`, with the offending field in `details.fields`. */
export const subjectKeyStoreRules = {
  invalidSubject: 'privacy.key_store.invalid_subject',
  invalidForgottenAt: 'privacy.key_store.invalid_forgotten_at',
} as const;

/** Longer than any subject id the domain makes, short enough that a runaway value is refused. */
const maxSubjectLength = 1000;

const refusal = (rule: string, path: string, problem: string): BanshishiError => {
  const message = `${path}: ${problem}`;
  return new BanshishiError(validationError(rule, message, { fields: [{ path, message }] }));
};

/** Every adapter's check of a subject id (`path` names it in the refusal: `subject`, `subjects[2]`). */
export const checkSubjectId = (value: unknown, path: string): string => {
  const refuse = (problem: string) => refusal(subjectKeyStoreRules.invalidSubject, path, problem);
  if (typeof value !== 'string') throw refuse(`expected a subject id (a string), got ${typeof value}`);
  if (value === '') throw refuse('expected a subject id, got an empty string');
  if (value.length > maxSubjectLength) throw refuse(`longer than ${maxSubjectLength} characters`);
  // PostgreSQL text cannot hold NUL, and a lone surrogate has no UTF-8 form: a driver would store U+FFFD,
  // and two different subjects would share one row (and one key).
  if (value.includes('\u0000')) throw refuse('holds a NUL character');
  if (/\p{Cs}/u.test(value)) throw refuse('holds a lone surrogate');
  return value;
};

export const checkSubjectIds = (values: unknown): string[] => {
  if (!Array.isArray(values))
    throw refusal(subjectKeyStoreRules.invalidSubject, 'subjects', 'expected an array of subject ids');
  return values.map((s, i) => checkSubjectId(s, `subjects[${i}]`));
};

export const checkForgottenAt = (value: unknown): string => {
  if (!isIsoTimestamp(value))
    throw refusal(
      subjectKeyStoreRules.invalidForgottenAt,
      'forgottenAt',
      'expected an ISO-8601 timestamp with an offset (2026-12-01T09:30:00+08:00)',
    );
  return value as string;
};

/** Checks what an adapter read back before it is used as a key. */
export const assertSubjectKey = (subject: string, key: Uint8Array): Uint8Array => {
  if (!(key instanceof Uint8Array) || key.length !== subjectKeyLength)
    throw new Error(`key store: the key of ${subject} is not ${subjectKeyLength} bytes`);
  return key;
};

export interface InMemorySubjectKeyStoreOptions {
  /** Makes keys (default: random). Tests pass a seeded one to make sealed histories comparable. */
  readonly newKey?: (subject: string) => Uint8Array;
}

export interface InMemorySubjectKeyStore extends SubjectKeyStore {
  /** Every row, as a table would hold them: for tests that scan what a key store keeps. */
  rows(): readonly { readonly subject: string; readonly key: Uint8Array | null; readonly forgottenAt: string | null }[];
}

export const getInMemorySubjectKeyStore = (options: InMemorySubjectKeyStoreOptions = {}): InMemorySubjectKeyStore => {
  const newKey = options.newKey ?? (() => newSubjectKey());
  const keys = new Map<string, SubjectKeyState>();
  return {
    async keyFor(subject) {
      checkSubjectId(subject, 'subject');
      const found = keys.get(subject);
      if (found?.state === 'forgotten') throw subjectForgottenError(subject, found.forgottenAt);
      if (found?.state === 'active') return found.key;
      const key = assertSubjectKey(subject, newKey(subject));
      keys.set(subject, { state: 'active', key });
      return key;
    },
    async lookup(subjects) {
      const out = new Map<string, SubjectKeyState>();
      for (const s of checkSubjectIds(subjects)) {
        const found = keys.get(s);
        if (found !== undefined) out.set(s, found);
      }
      return out;
    },
    async destroy(subject, forgottenAt) {
      checkSubjectId(subject, 'subject');
      checkForgottenAt(forgottenAt);
      const found = keys.get(subject);
      if (found?.state === 'forgotten') return 'already_forgotten';
      if (found?.state === 'active') found.key.fill(0);
      keys.set(subject, { state: 'forgotten', forgottenAt });
      return found === undefined ? 'never_had_key' : 'destroyed';
    },
    async forgottenSubjects() {
      return [...keys]
        .flatMap(([subject, s]) => (s.state === 'forgotten' ? [{ subject, forgottenAt: s.forgottenAt }] : []))
        .sort((a, b) => Date.parse(a.forgottenAt) - Date.parse(b.forgottenAt) || a.subject.localeCompare(b.subject));
    },
    rows: () =>
      [...keys].map(([subject, s]) => ({
        subject,
        key: s.state === 'active' ? s.key : null,
        forgottenAt: s.state === 'forgotten' ? s.forgottenAt : null,
      })),
  };
};
