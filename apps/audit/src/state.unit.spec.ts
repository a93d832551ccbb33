// `state --as-of` is the fold of the stream's events up to that moment: over generated histories, for any
// item and any instant (written in any offset), what the store read gives equals the decider's own fold of
// the events that had happened by then.
import {
  categoryOf,
  evolveWish,
  fold,
  initialWishState,
  problemDecider,
  problemEventRegistry,
  type StoredEvent,
  wishEventRegistry,
} from '@banshishi/core';
import { randomHistory } from '@banshishi/testkit';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { readStateAt, stateLines } from './state.js';

/** The expected state, folded here with the decider itself from the registry's decoding of each event. */
const expectedFold = (streamId: string, events: readonly StoredEvent[]) => {
  const problem = categoryOf(streamId) === 'problem';
  const registry = problem ? problemEventRegistry : wishEventRegistry;
  const decoded = events.map((e) => {
    const one = registry.decode(e);
    if (E.isLeft(one)) throw new Error(one.left.message);
    return one.right;
  });
  return problem
    ? fold(problemDecider, decoded as never)
    : fold({ initialState: initialWishState, evolve: evolveWish }, decoded as never);
};

/** The same instant written with another offset: comparing the strings would get it wrong. */
const inOffset = (instant: number, offsetMinutes: number): string => {
  if (offsetMinutes === 0) return new Date(instant).toISOString();
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

describe('state --as-of', () => {
  it('equals the fold of the events up to that moment, for any item and instant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(-300, 0, 330, 480, 600),
        async (seed, pick, within, offset) => {
          const history = await randomHistory(seed, 60);
          const items = [...new Set(history.store.log.map((e) => e.streamId))].filter(
            (s) => categoryOf(s) === 'problem' || categoryOf(s) === 'wish',
          );
          fc.pre(items.length > 0);
          const streamId = items[pick % items.length]!;
          const events = await history.store.readStream(streamId);
          // An instant between two events (or before the first, or after the last).
          const times = events.map((e) => Date.parse(e.occurredAt));
          const first = times[0]! - 3_600_000;
          const last = times[times.length - 1]! + 3_600_000;
          const instant = Math.round(first + within * (last - first));
          const happened = events.filter((e) => Date.parse(e.occurredAt) <= instant);

          const at = await readStateAt(history.store, streamId, { asOf: inOffset(instant, offset), by: 'occurred' });
          if (E.isLeft(at)) throw new Error(at.left.message);
          expect(at.right.events).toBe(happened.length);
          expect(at.right.revision).toBe(happened.length === 0 ? null : happened[happened.length - 1]!.revision);
          expect(at.right.state).toEqual(expectedFold(streamId, happened));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('at a revision equals the fold of the events up to and including it', async () => {
    const history = await randomHistory(7, 80);
    const streamId = history.store.log.map((e) => e.streamId).find((s) => s.startsWith('problem-'))!;
    const events = await history.store.readStream(streamId);
    for (const event of events) {
      const at = await readStateAt(history.store, streamId, { atRevision: event.revision });
      if (E.isLeft(at)) throw new Error(at.left.message);
      expect(at.right.state).toEqual(expectedFold(streamId, events.slice(0, event.revision + 1)));
    }
  });

  it('shows a sealed personal field as sealed, never its value', async () => {
    const history = await randomHistory(3, 80);
    const streamId = history.store.log.map((e) => e.streamId).find((s) => s.startsWith('wish-'))!;
    const at = await readStateAt(history.store, streamId, { atRevision: 0 });
    if (E.isLeft(at)) throw new Error(at.left.message);
    const text = stateLines(at.right).join('\n');
    expect(text).toContain('⟦personal data sealed⟧');
    for (const value of history.personalValues) expect(text).not.toContain(value);
  });

  it('refuses a stream that has no state to fold, naming the stream', async () => {
    const history = await randomHistory(3, 10);
    const at = await readStateAt(history.store, 'access-person:res-1', { atRevision: 0 });
    expect(E.isLeft(at) && at.left).toMatchObject({ rule: 'audit.state.stream', details: { fields: ['stream'] } });
  });
});
