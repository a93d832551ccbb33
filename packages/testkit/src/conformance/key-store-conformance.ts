// The one conformance suite every subject-key store passes: the in-memory reference, PGlite, PostgreSQL
// (and a KMS adapter, should one come). It checks the port's promises only — one key per subject however
// many first uses race, lookups that make nothing, destroys that leave a tombstone and no key bytes.
import { BanshishiError, privacyRules, type SubjectKeyStore } from '@banshishi/core';
import { afterEach, describe, expect, it } from 'vitest';

export interface SubjectKeyStoreUnderTest {
  readonly store: SubjectKeyStore;
  readonly teardown: () => Promise<void>;
  /**
   * Every row the store keeps, every column, read behind its back (SQL: `SELECT *`), for the test that a
   * destroyed key leaves no bytes in the store.
   */
  readonly rawRows: () => Promise<readonly Readonly<Record<string, unknown>>[]>;
}

/** A store over data that outlives it: `open` may be called again after the last one was closed. */
export interface DurableSubjectKeyStore {
  readonly open: () => Promise<SubjectKeyStore & { close(): Promise<void> }>;
  readonly teardown: () => Promise<void>;
}

export interface SubjectKeyStoreConformanceOptions {
  /** For the test that keys and tombstones survive closing and reopening; absent, there is no such test. */
  readonly durable?: () => Promise<DurableSubjectKeyStore>;
}

let counter = 0;
/** A subject no other test (or earlier run against the same database) has used. */
const newSubject = (label: string) => {
  counter += 1;
  return `person-${label}-${Date.now().toString(36)}-${counter}`;
};

const forgottenAt = '2026-12-01T09:30:00+08:00';
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

const refusal = async (attempt: Promise<unknown>): Promise<BanshishiError> => {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof BanshishiError) return error;
    throw error;
  }
  throw new Error('expected the key store to refuse, but it accepted');
};

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Whether any value of any row holds the key: as bytes, or written out as hex or base64 text. */
const holdsKey = (rows: readonly Readonly<Record<string, unknown>>[], key: Uint8Array): boolean =>
  rows.some((row) =>
    Object.values(row).some((value) => {
      if (value instanceof Uint8Array) return contains(value, key);
      if (typeof value === 'string') return value.toLowerCase().includes(hex(key)) || value.includes(base64(key));
      return false;
    }),
  );

export const describeSubjectKeyStoreConformance = (
  name: string,
  factory: () => Promise<SubjectKeyStoreUnderTest>,
  options: SubjectKeyStoreConformanceOptions = {},
): void => {
  describe(`subject-key store conformance: ${name}`, () => {
    let underTest: SubjectKeyStoreUnderTest | undefined;
    const open = async () => {
      underTest = await factory();
      return underTest;
    };
    afterEach(async () => {
      await underTest?.teardown();
      underTest = undefined;
    });

    describe('keys', () => {
      it('the first use of a subject makes a 32-byte key, and every later use returns the same one', async () => {
        const { store } = await open();
        const subject = newSubject('first-use');
        const key = await store.keyFor(subject);
        expect(key).toBeInstanceOf(Uint8Array);
        expect(key.length).toBe(32);
        expect(await store.keyFor(subject)).toEqual(key);
        expect(await store.keyFor(subject)).toEqual(key);
      });

      it('20 concurrent first uses of one new subject agree on one key', async () => {
        const { store } = await open();
        const subject = newSubject('race');
        const keys = await Promise.all(Array.from({ length: 20 }, () => store.keyFor(subject)));
        for (const key of keys) expect(hex(key)).toBe(hex(keys[0]!));
        expect(hex(await store.keyFor(subject))).toBe(hex(keys[0]!));
      });

      it('different subjects get different keys', async () => {
        const { store } = await open();
        const subjects = Array.from({ length: 10 }, () => newSubject('distinct'));
        const keys = await Promise.all(subjects.map((s) => store.keyFor(s)));
        expect(new Set(keys.map(hex)).size).toBe(subjects.length);
      });
    });

    describe('lookup', () => {
      it('a lookup makes no key: a subject never used is absent before and after it', async () => {
        const { store, rawRows } = await open();
        const subject = newSubject('never-used');
        expect((await store.lookup([subject])).has(subject)).toBe(false);
        expect((await store.lookup([subject])).has(subject)).toBe(false);
        expect((await rawRows()).some((row) => Object.values(row).includes(subject))).toBe(false);
      });

      it('a lookup reports active subjects with their keys and forgotten ones with the time, and leaves out the rest', async () => {
        const { store } = await open();
        const [active, forgotten, absent] = [newSubject('active'), newSubject('forgotten'), newSubject('absent')];
        const key = await store.keyFor(active);
        await store.keyFor(forgotten);
        await store.destroy(forgotten, forgottenAt);
        const found = await store.lookup([active, forgotten, absent, active]);
        expect([...found.keys()].sort()).toEqual([active, forgotten].sort());
        const activeState = found.get(active);
        expect(activeState?.state === 'active' && hex(activeState.key)).toBe(hex(key));
        const forgottenState = found.get(forgotten);
        expect(forgottenState?.state).toBe('forgotten');
        if (forgottenState?.state === 'forgotten')
          expect(sameInstant(forgottenState.forgottenAt, forgottenAt)).toBe(true);
      });

      it('a lookup of no subjects is an empty map', async () => {
        const { store } = await open();
        expect((await store.lookup([])).size).toBe(0);
      });
    });

    describe('destroy', () => {
      it('destroying a key reports destroyed, and destroying it again already_forgotten', async () => {
        const { store } = await open();
        const subject = newSubject('destroy');
        await store.keyFor(subject);
        expect(await store.destroy(subject, forgottenAt)).toBe('destroyed');
        expect(await store.destroy(subject, '2026-12-02T10:00:00+08:00')).toBe('already_forgotten');
        const state = (await store.lookup([subject])).get(subject);
        expect(state?.state === 'forgotten' && sameInstant(state.forgottenAt, forgottenAt)).toBe(true);
      });

      it('lists every tombstone with its time, and no subject whose key is held', async () => {
        const { store } = await open();
        const [kept, gone, neverSeen] = [
          newSubject('listed-kept'),
          newSubject('listed-gone'),
          newSubject('listed-never'),
        ];
        await store.keyFor(kept);
        await store.keyFor(gone);
        await store.destroy(gone, forgottenAt);
        await store.destroy(neverSeen, '2026-12-02T10:00:00+08:00');
        const listed = (await store.forgottenSubjects()).filter((t) => [kept, gone, neverSeen].includes(t.subject));
        expect(listed.map((t) => t.subject)).toEqual([gone, neverSeen]);
        expect(sameInstant(listed[0]!.forgottenAt, forgottenAt)).toBe(true);
      });

      it('forgetting a subject the store never saw reports never_had_key and leaves a tombstone', async () => {
        const { store } = await open();
        const subject = newSubject('never-seen');
        expect(await store.destroy(subject, forgottenAt)).toBe('never_had_key');
        const state = (await store.lookup([subject])).get(subject);
        expect(state?.state === 'forgotten' && sameInstant(state.forgottenAt, forgottenAt)).toBe(true);
        expect(await store.destroy(subject, forgottenAt)).toBe('already_forgotten');
      });

      it('after a destroy, keyFor refuses with invalid_state privacy.subject_forgotten: nothing new is sealed for them', async () => {
        const { store } = await open();
        const [known, unknown] = [newSubject('refused'), newSubject('refused-unknown')];
        await store.keyFor(known);
        await store.destroy(known, forgottenAt);
        await store.destroy(unknown, forgottenAt);
        for (const subject of [known, unknown]) {
          const error = await refusal(store.keyFor(subject));
          expect(error.code).toBe('invalid_state');
          expect(error.rule).toBe(privacyRules.subjectForgotten);
          expect(error.details).toMatchObject({ subject });
        }
        expect((await store.lookup([known, unknown])).size).toBe(2);
      });

      it('after a destroy no bytes of the old key remain in the store, and the other keys stay', async () => {
        const { store, rawRows } = await open();
        const [gone, kept] = [newSubject('shredded'), newSubject('kept')];
        const goneKey = new Uint8Array(await store.keyFor(gone));
        const keptKey = new Uint8Array(await store.keyFor(kept));
        // The scan finds a key where there is one: else it would prove nothing about the destroyed one.
        expect(holdsKey(await rawRows(), goneKey)).toBe(true);
        await store.destroy(gone, forgottenAt);
        const rows = await rawRows();
        expect(holdsKey(rows, goneKey)).toBe(false);
        expect(holdsKey(rows, keptKey)).toBe(true);
        expect(hex(await store.keyFor(kept))).toBe(hex(keptKey));
      });

      it('two concurrent destroys of one key: one destroyed, the other already_forgotten', async () => {
        const { store } = await open();
        const subject = newSubject('double-destroy');
        await store.keyFor(subject);
        const outcomes = await Promise.all([store.destroy(subject, forgottenAt), store.destroy(subject, forgottenAt)]);
        expect(outcomes.sort()).toEqual(['already_forgotten', 'destroyed']);
      });

      it('a destroy racing first uses wins for good: afterwards the subject is forgotten and keyFor refuses', async () => {
        const { store } = await open();
        const subject = newSubject('destroy-race');
        const uses = Array.from({ length: 10 }, () => store.keyFor(subject).then(hex, (e: unknown) => e));
        const outcome = await store.destroy(subject, forgottenAt);
        const settled = await Promise.all(uses);
        expect(['destroyed', 'never_had_key']).toContain(outcome);
        // The uses that got a key before the destroy agree on it; the later ones were refused.
        const keys = settled.filter((s): s is string => typeof s === 'string');
        expect(new Set(keys).size).toBeLessThanOrEqual(1);
        for (const s of settled)
          if (typeof s !== 'string') expect((s as BanshishiError).rule).toBe(privacyRules.subjectForgotten);
        expect((await store.lookup([subject])).get(subject)?.state).toBe('forgotten');
        expect((await refusal(store.keyFor(subject))).rule).toBe(privacyRules.subjectForgotten);
      });
    });

    describe('bad input', () => {
      const expectValidation = (error: BanshishiError, path: string) => {
        expect(error.code).toBe('validation');
        expect((error.details?.fields as { path: string }[] | undefined)?.map((f) => f.path)).toEqual([path]);
      };

      it('a subject that is empty or not a string is refused, naming the field', async () => {
        const { store } = await open();
        expectValidation(await refusal(store.keyFor('')), 'subject');
        expectValidation(await refusal(store.keyFor(42 as unknown as string)), 'subject');
        expectValidation(await refusal(store.destroy('', forgottenAt)), 'subject');
        expectValidation(await refusal(store.lookup([newSubject('fine'), ''])), 'subjects[1]');
        expectValidation(await refusal(store.lookup([null as unknown as string])), 'subjects[0]');
      });

      it('a forgetting time that is not an ISO-8601 timestamp with an offset is refused, and nothing is destroyed', async () => {
        const { store } = await open();
        const subject = newSubject('bad-time');
        const key = await store.keyFor(subject);
        for (const at of ['yesterday', '2026-12-01T09:30:00', ''])
          expectValidation(await refusal(store.destroy(subject, at)), 'forgottenAt');
        expect(hex(await store.keyFor(subject))).toBe(hex(key));
      });
    });

    // Only a store over data that outlives it can be reopened: the in-memory reference has none.
    const durableStore = options.durable;
    if (durableStore !== undefined)
      it('keys and tombstones outlive the store: closed and opened again, it returns the same key and still refuses the forgotten', async () => {
        const durable = await durableStore();
        try {
          const [kept, forgotten, neverSeen] = [newSubject('kept'), newSubject('forgotten'), newSubject('never-seen')];
          const first = await durable.open();
          const key = hex(await first.keyFor(kept));
          await first.keyFor(forgotten);
          await first.destroy(forgotten, forgottenAt);
          await first.destroy(neverSeen, forgottenAt);
          await first.close();

          const second = await durable.open();
          try {
            expect(hex(await second.keyFor(kept))).toBe(key);
            const found = await second.lookup([kept, forgotten, neverSeen]);
            expect(found.get(kept)?.state).toBe('active');
            for (const s of [forgotten, neverSeen]) {
              const state = found.get(s);
              expect(state?.state === 'forgotten' && sameInstant(state.forgottenAt, forgottenAt)).toBe(true);
              expect((await refusal(second.keyFor(s))).rule).toBe(privacyRules.subjectForgotten);
            }
            expect(await second.destroy(forgotten, forgottenAt)).toBe('already_forgotten');
          } finally {
            await second.close();
          }
        } finally {
          await durable.teardown();
        }
      });
  });
};
