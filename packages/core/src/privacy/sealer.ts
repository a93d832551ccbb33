// Sealing and revealing personal fields (docs/privacy.md). `seal` runs where events are encoded, before
// the store seals the hash chain, so the chain covers the ciphertext and verifying it never needs a key.
// `reveal` is the only way back to the clear: a caller names the purpose, the access is reported to
// `onReveal` before any value is decrypted, and a value that does not open where it is stored is an
// integrity error, never a blank.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { mapPersonal } from '../codec/personal.js';
import { clearVersionOf, type EventDefinition } from '../codec/registry.js';
import type { Actor, NewEvent, StoredEvent } from '../envelope.js';
import { type DomainError, integrityError, validationError } from '../errors.js';
import { openText, sealText } from './cipher.js';
import { privacyRules, type SubjectKeyStore } from './key-store.js';
import { forgottenValueOf, isSealedValue, markRevealed, type SealedValue, sealedValueFormat } from './sealed-value.js';

/** Why personal data is being read. Each reveal names one; the command API records them as events. */
export const RevealPurposeCode = t.keyof(
  {
    /** A rule needs the values to decide (亮梦: the story must not give the wisher away). */
    decide_rule: null,
    /** The claimant or the office calls the resident back (回访). */
    contact_resident: null,
    /** An auditor's export with personal data, recorded before a byte is written. */
    audit_export: null,
    /** An auditor reads one item's history with the residents' names and words (`audit history`). */
    audit_review: null,
    /** The person asked to see what is held about them (PIPL art. 45). */
    subject_access: null,
    /** Tests and the privacy checks of CI, on their own data. */
    verification: null,
  },
  'RevealPurposeCode',
);
export type RevealPurposeCode = t.TypeOf<typeof RevealPurposeCode>;

export interface RevealPurpose {
  readonly code: RevealPurposeCode;
  /** In words, for the record: "calling back about the broken street light". */
  readonly statement: string;
  /** Who reads; absent only for a rule the system applies. */
  readonly actor?: Actor;
}

/** One reveal, as reported to `onReveal` before anything is decrypted. */
export interface PersonalDataAccess {
  readonly purpose: RevealPurpose;
  readonly subjects: readonly string[];
  readonly events: readonly {
    readonly streamId: string;
    readonly revision: number;
    readonly eventId: string;
    /** The subjects whose sealed values this event holds. */
    readonly subjects: readonly string[];
  }[];
}

type Revealable = Pick<StoredEvent, 'streamId' | 'revision' | 'eventId' | 'type' | 'data'>;

/** The stream's first event, stored or about to be: it names the stream's data subject. */
export type StreamOpening = Pick<NewEvent, 'type' | 'data'>;
/** The stream's data subject, as `subjectOf` gave it earlier (a bulk load keeps these, not the openings). */
export interface StreamSubject {
  readonly subject: string;
}

export interface PersonalDataSealer {
  readonly keys: SubjectKeyStore;
  /** The data subject of a stream's personal fields, from the event that opened it. */
  subjectOf(streamId: string, opening: StreamOpening | undefined): string;
  /**
   * Seals the personal fields of events about to be appended to `streamId` (written by `encode`, in the
   * clear at the version before sealing) and gives them the sealed version. `opening` is the stream's
   * stored first event; a new stream's is the first of `events`.
   */
  seal(streamId: string, events: readonly NewEvent[], opening?: StreamOpening | StreamSubject): Promise<NewEvent[]>;
  /** The events with every sealed value opened, or the forgotten marker where the subject was forgotten. */
  reveal<T extends Revealable>(events: readonly T[], purpose: RevealPurpose): Promise<E.Either<DomainError, T[]>>;
}

export interface PersonalDataSealerOptions {
  readonly keys: SubjectKeyStore;
  /** Every event definition that may be sealed or revealed (for core's lifecycles, `corePersonalDataSealer`). */
  readonly definitions: Iterable<EventDefinition>;
  /** Told of every reveal before a value is decrypted; if it fails, nothing is revealed. */
  readonly onReveal?: (access: PersonalDataAccess) => Promise<void>;
}

const where = (e: Pick<Revealable, 'streamId' | 'revision' | 'type'>) => `${e.streamId}@${e.revision} (${e.type})`;

/** Every sealed value in a stored payload with its path, found by shape: they sit only where they were sealed. */
const sealedValuesIn = (data: unknown): { readonly path: string; readonly value: SealedValue }[] => {
  const found: { path: string; value: SealedValue }[] = [];
  const walk = (v: unknown, path: string) => {
    if (isSealedValue(v)) found.push({ path, value: v });
    else if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, `${path}[${i}]`);
    else if (typeof v === 'object' && v !== null)
      for (const [k, item] of Object.entries(v)) walk(item, path === '' ? k : `${path}.${k}`);
  };
  walk(data, '');
  return found;
};

const replaceAt = (data: unknown, replacements: ReadonlyMap<string, unknown>): unknown => {
  const walk = (v: unknown, path: string): unknown => {
    if (replacements.has(path)) return replacements.get(path);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [k, walk(item, path === '' ? k : `${path}.${k}`)]),
      );
    return v;
  };
  return walk(data, '');
};

export const createPersonalDataSealer = (options: PersonalDataSealerOptions): PersonalDataSealer => {
  const { keys } = options;
  const definitions = new Map<string, EventDefinition>();
  for (const def of options.definitions) definitions.set(def.type, def);

  const subjectOf = (streamId: string, opening: StreamOpening | undefined): string => {
    const def = opening === undefined ? undefined : definitions.get(opening.type);
    return def?.dataSubject?.(opening!.data, streamId) ?? streamId;
  };

  return {
    keys,
    subjectOf,

    async seal(streamId, events, opening) {
      const subject =
        opening !== undefined && 'subject' in opening ? opening.subject : subjectOf(streamId, opening ?? events[0]);
      let key: Uint8Array | undefined;
      const out: NewEvent[] = [];
      for (const event of events) {
        const def = definitions.get(event.type);
        if (def?.sealedSince === undefined) {
          out.push(event);
          continue;
        }
        if (event.schemaVersion !== clearVersionOf(def))
          throw new Error(
            `${streamId}: ${event.type} v${event.schemaVersion} is not the clear version ${clearVersionOf(def)} to seal`,
          );
        // One walk: each personal value becomes its sealed form, whose ciphertext is filled in once the
        // subject's key is at hand (fetched only for events that carry personal values at all).
        const pending: {
          path: string;
          value: string;
          sealed: { -readonly [K in keyof SealedValue]: SealedValue[K] };
        }[] = [];
        const data = mapPersonal(def.codec, event.data, (value, path) => {
          if (typeof value !== 'string')
            throw new Error(`${streamId}: ${event.type} ${path} is a personal field but not text`);
          const sealed = { sealed: sealedValueFormat as typeof sealedValueFormat, subject, ciphertext: '' };
          pending.push({ path, value, sealed });
          return sealed;
        });
        if (pending.length > 0) {
          key ??= await keys.keyFor(subject);
          for (const { path, value, sealed } of pending)
            sealed.ciphertext = sealText(key, value, {
              streamId,
              eventId: event.eventId,
              type: event.type,
              path,
              subject,
            });
        }
        out.push({ ...event, schemaVersion: def.schemaVersion, data });
      }
      return out;
    },

    async reveal<R extends Revealable>(
      events: readonly R[],
      purpose: RevealPurpose,
    ): Promise<E.Either<DomainError, R[]>> {
      if (
        !RevealPurposeCode.is(purpose?.code) ||
        typeof purpose.statement !== 'string' ||
        purpose.statement.trim() === ''
      )
        return E.left(
          validationError(privacyRules.noPurpose, 'revealing personal data needs a purpose: a code and a statement', {
            fields: ['purpose'],
          }),
        );
      const found = events.map((event) => ({ event, sealed: sealedValuesIn(event.data) }));
      const subjects = [...new Set(found.flatMap((f) => f.sealed.map((s) => s.value.subject)))];
      const touched = found.filter((f) => f.sealed.length > 0);
      if (touched.length === 0) return E.right([...events]);
      await options.onReveal?.({
        purpose,
        subjects,
        events: touched.map(({ event, sealed }) => ({
          streamId: event.streamId,
          revision: event.revision,
          eventId: event.eventId,
          subjects: [...new Set(sealed.map((s) => s.value.subject))],
        })),
      });
      const states = await keys.lookup(subjects);
      const out: R[] = [];
      for (const { event, sealed } of found) {
        if (sealed.length === 0) {
          out.push(event);
          continue;
        }
        const replacements = new Map<string, unknown>();
        for (const { path, value } of sealed) {
          const state = states.get(value.subject);
          if (state === undefined)
            return E.left(
              integrityError(
                privacyRules.keyMissing,
                `${where(event)} ${path}: data subject ${value.subject} has no key and was never forgotten`,
                { streamId: event.streamId, revision: event.revision, path, subject: value.subject },
              ),
            );
          if (state.state === 'forgotten') {
            replacements.set(path, forgottenValueOf(value.subject));
            continue;
          }
          const place = {
            streamId: event.streamId,
            eventId: event.eventId,
            type: event.type,
            path,
            subject: value.subject,
          };
          const clear = openText(state.key, value.ciphertext, place);
          if (clear === null)
            return E.left(
              integrityError(
                privacyRules.ciphertextRejected,
                `${where(event)} ${path}: the sealed value does not open here: it was altered, or sealed for another event or field`,
                { streamId: event.streamId, revision: event.revision, path, subject: value.subject },
              ),
            );
          replacements.set(path, clear);
        }
        out.push({ ...event, data: markRevealed(replaceAt(event.data, replacements)) });
      }
      return E.right(out);
    },
  };
};
