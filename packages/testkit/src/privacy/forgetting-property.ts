// The forgetting property (docs/privacy.md), for every store and key store pair: load a generated demo
// history sealed, forget random data subjects, and then every stream still verifies against its recorded
// head, every stream still folds, the folded states equal those of the unforgotten history except in the
// forgotten subjects' personal fields, and no byte sequence of a forgotten subject's name, phone, ID number
// or address (nor their key) remains in any text, jsonb or bytea column of the event store or key store.
import {
  categoryOf,
  createCorePersonalDataSealer,
  type Decider,
  type DomainEvent,
  directoryViewOf,
  type EventRegistry,
  type EventStore,
  forgetSubject,
  isSealedValue,
  mapPersonal,
  type PersonalDataSealer,
  type PersonalKind,
  personalDataMarkers,
  readWholeLogEvents,
  type StoredEvent,
  type SubjectKeyStore,
  verifyStream,
} from '@banshishi/core';
import { type DemoBatch, demoLifecycles, generateDemoEvents } from '@banshishi/demo';

type Lifecycle = (typeof demoLifecycles)[keyof typeof demoLifecycles];

import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';

export interface ForgettingSubject {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  /** Loads the batches through the adapter's bulk path, sealing with `sealer`. */
  load(batches: readonly DemoBatch[], sealer: PersonalDataSealer): Promise<void>;
  /** The needles found in any text, json or jsonb column of the event store's and key store's tables. */
  findTexts(needles: readonly string[]): Promise<readonly { readonly needle: string; readonly where: string }[]>;
  /** The keys found in any bytea column of those tables. */
  findBytes(needles: readonly Uint8Array[]): Promise<readonly string[]>;
  teardown(): Promise<void>;
}

const identifying: readonly PersonalKind[] = ['name', 'phone', 'id_number', 'address', 'email', 'location'];
const check = { code: 'verification', statement: 'the forgetting property' } as const;

const readLog = (store: EventStore): Promise<StoredEvent[]> => readWholeLogEvents(store);

const lifecycleOf = (streamId: string): Lifecycle => {
  const found = (demoLifecycles as Record<string, Lifecycle>)[categoryOf(streamId)];
  if (found === undefined) throw new Error(`no lifecycle for ${streamId}`);
  return found;
};

/** Folds every stream of a log through its decider; throws on an event that does not decode. */
const foldAll = (events: readonly StoredEvent[]): Map<string, unknown> => {
  const states = new Map<string, unknown>();
  for (const event of events) {
    if (categoryOf(event.streamId) === 'forgotten') continue;
    const { decider, registry } = lifecycleOf(event.streamId) as {
      decider: Decider<never, DomainEvent, unknown, never>;
      registry: EventRegistry<DomainEvent>;
    };
    const decoded = registry.decode(event);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    states.set(event.streamId, decider.evolve(states.get(event.streamId) ?? decider.initialState, decoded.right));
  }
  return states;
};

/** Equal, except that `after` may hold the forgotten marker where `before` held a forgotten value. */
const sameButForgotten = (before: unknown, after: unknown, forgotten: ReadonlySet<string>, at: string): string[] => {
  if (after === personalDataMarkers.forgotten)
    return typeof before === 'string' && forgotten.has(before)
      ? []
      : [`${at}: forgotten, was ${JSON.stringify(before)}`];
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null)
    return Object.is(before, after) ? [] : [`${at}: ${JSON.stringify(before)} became ${JSON.stringify(after)}`];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((k) =>
    sameButForgotten(
      (before as Record<string, unknown>)[k],
      (after as Record<string, unknown>)[k],
      forgotten,
      `${at}.${k}`,
    ),
  );
};

/** For each sealed value: its subject, its kind and its value in the clear. */
const sealedValuesOf = (sealed: readonly StoredEvent[], revealed: readonly StoredEvent[]) => {
  const out: { subject: string; kind: PersonalKind; value: string }[] = [];
  sealed.forEach((event, i) => {
    const definition = lifecycleOf(event.streamId).registry.definitions.get(event.type);
    if (definition?.sealedSince === undefined) return;
    const subjects = new Map<string, string>();
    mapPersonal(definition.codec, event.data, (value, path) => {
      if (isSealedValue(value)) subjects.set(path, value.subject);
      return value;
    });
    mapPersonal(definition.codec, revealed[i]!.data, (value, path, kind) => {
      const subject = subjects.get(path);
      if (subject !== undefined && typeof value === 'string') out.push({ subject, kind, value });
      return value;
    });
  });
  return out;
};

/** Every string of the log outside personal fields: what may be public, officials' names among them. */
const publicTextsOf = (revealed: readonly StoredEvent[]): Set<string> => {
  const texts = new Set<string>();
  for (const event of revealed) {
    const definition = lifecycleOf(event.streamId).registry.definitions.get(event.type);
    const own = new Set<unknown>();
    if (definition !== undefined)
      mapPersonal(definition.codec, event.data, (value) => {
        own.add(value);
        return value;
      });
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && !own.has(v)) texts.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
    };
    walk(event.data);
  }
  return texts;
};

export const describeForgettingProperty = (
  name: string,
  open: () => Promise<ForgettingSubject>,
  options: { readonly runs?: number; readonly scale?: number } = {},
): void => {
  describe(`forgetting data subjects on ${name}`, () => {
    it('keeps every stream verifiable and foldable, and leaves no trace of the forgotten', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.double({ min: 0.05, max: 0.6, noNaN: true }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (seed, share, pick) => {
            const subject = await open();
            try {
              const sealer = createCorePersonalDataSealer({ keys: subject.keys });
              await subject.load([...generateDemoEvents({ seed, scale: options.scale ?? 400 })], sealer);

              const sealedBefore = await readLog(subject.store);
              const revealedBefore = await sealer.reveal(sealedBefore, check);
              if (E.isLeft(revealedBefore)) throw new Error(revealedBefore.left.message);
              const foldedBefore = foldAll(revealedBefore.right);
              const values = sealedValuesOf(sealedBefore, revealedBefore.right);
              const publicTexts = publicTextsOf(revealedBefore.right);

              // Sealed, no identifying value is in the tables at all, except where it is also public text
              // (a resident who shares a name with an official, whose name is public).
              const everyIdentifying = [
                ...new Set(values.filter((v) => identifying.includes(v.kind)).map((v) => v.value)),
              ].filter((v) => !publicTexts.has(v) && v.length >= 2);
              expect(everyIdentifying.length).toBeGreaterThan(20);
              expect(await subject.findTexts(everyIdentifying)).toEqual([]);
              // The scan finds what is there: a public word of the log, and a key that is kept.
              expect((await subject.findTexts(['ProblemSolicited'])).length).toBeGreaterThan(0);

              // Forget a random share of the subjects, the office acting as system.
              const subjects = [...new Set(values.map((v) => v.subject))].sort();
              let state = pick;
              const forgotten = subjects.filter(() => {
                state = (state * 1103515245 + 12345) % 2 ** 31;
                return state / 2 ** 31 < share;
              });
              if (forgotten.length === 0) forgotten.push(subjects[pick % subjects.length]!);
              // Copies: an adapter may wipe the very buffer it handed out when it destroys a key.
              const keysBefore = [...(await subject.keys.lookup(forgotten)).values()].flatMap((k) =>
                k.state === 'active' ? [Uint8Array.from(k.key)] : [],
              );
              const lastTime = sealedBefore.map((e) => e.occurredAt).sort((a, b) => Date.parse(a) - Date.parse(b));
              const now = new Date(Date.parse(lastTime[lastTime.length - 1]!) + 60_000).toISOString();
              for (const s of forgotten) {
                const done = await forgetSubject(
                  {
                    store: subject.store,
                    keys: subject.keys,
                    context: async () => ({
                      directory: directoryViewOf({ units: [], holdings: [] }),
                      wishClaims: { openClaimsOf: () => 0, limit: 3 },
                    }),
                    clock: () => new Date(now),
                  },
                  {
                    type: 'forgetSubject',
                    data: { subject: s, basis: 'purpose_achieved', reference: `CASE-${seed}` },
                    metadata: { actor: { personId: 'system', role: 'system' }, now },
                  },
                ).catch((e: unknown) => E.left({ message: String(e) }));
                if (E.isLeft(done)) throw new Error(`forgetting ${s}: ${done.left.message}`);
              }

              // Every stream verifies against its recorded head, and folds with no key at all.
              const sealedAfter = await readLog(subject.store);
              const byStream = new Map<string, StoredEvent[]>();
              for (const e of sealedAfter) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
              for (const [streamId, events] of byStream) {
                const head = await subject.store.streamHead(streamId);
                const verified = verifyStream(streamId, events, head ?? undefined);
                expect(verified.ok, streamId).toBe(true);
              }
              expect(() => foldAll(sealedAfter)).not.toThrow();

              // Revealed, the states are the old ones but for the forgotten subjects' fields.
              const revealedAfter = await sealer.reveal(sealedAfter, check);
              if (E.isLeft(revealedAfter)) throw new Error(revealedAfter.left.message);
              const foldedAfter = foldAll(revealedAfter.right);
              const forgottenSet = new Set(forgotten);
              const forgottenValues = new Set(values.filter((v) => forgottenSet.has(v.subject)).map((v) => v.value));
              const differences = [...foldedBefore].flatMap(([streamId, before]) =>
                sameButForgotten(before, foldedAfter.get(streamId), forgottenValues, streamId),
              );
              expect(differences).toEqual([]);
              // The events themselves read as forgotten where the subjects' values were.
              const decodedAfter = revealedAfter.right.flatMap((e) => {
                if (categoryOf(e.streamId) === 'forgotten') return [];
                const decoded = lifecycleOf(e.streamId).registry.decode(e);
                return E.isRight(decoded) ? [decoded.right.data] : [];
              });
              const markers = JSON.stringify(decodedAfter).split(personalDataMarkers.forgotten).length - 1;
              expect(markers).toBeGreaterThan(0);

              // No byte sequence of a forgotten subject's identifying values, nor their key, remains.
              const kept = new Set(values.filter((v) => !forgottenSet.has(v.subject)).map((v) => v.value));
              const needles = [
                ...new Set(
                  values.filter((v) => forgottenSet.has(v.subject) && identifying.includes(v.kind)).map((v) => v.value),
                ),
              ].filter((v) => v.length >= 2 && !publicTexts.has(v) && !kept.has(v));
              expect(await subject.findTexts(needles)).toEqual([]);
              const oldKeys = keysBefore;
              expect(oldKeys.length).toBeGreaterThan(0);
              expect(await subject.findBytes(oldKeys)).toEqual([]);
              const keptSubject = subjects.find((s) => !forgottenSet.has(s));
              const keptKey =
                keptSubject === undefined ? undefined : (await subject.keys.lookup([keptSubject])).get(keptSubject);
              if (keptKey?.state === 'active')
                expect((await subject.findBytes([keptKey.key])).length).toBeGreaterThan(0);
              expect([...(await subject.keys.lookup(forgotten)).values()].every((k) => k.state === 'forgotten')).toBe(
                true,
              );
            } finally {
              await subject.teardown();
            }
          },
        ),
        { numRuns: options.runs ?? 4 },
      );
    });
  });
};
