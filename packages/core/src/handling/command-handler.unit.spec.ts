import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, sameShape } from '../codec/registry.js';
import type { Command, Decider } from '../decider.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { DomainEvent } from '../envelope.js';
import { invalidState } from '../errors.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { personalDataMarkers } from '../privacy/sealed-value.js';
import { createPersonalDataSealer } from '../privacy/sealer.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import type { EventStore } from '../store/port.js';
import { commandRules } from './business-time.js';
import { commandHandler } from './command-handler.js';
import type { DecisionContext } from './decision-context.js';
import { eventIdFor } from './ids.js';

// A minimal lifecycle, so these specs exercise command handling alone: a note can be posted to a board
// until the board is sealed, and a sealed board can be reopened.
const posted = defineEvent('NotePosted', t.type({ text: t.string }));
const sealed = defineEvent('BoardSealed', t.type({}));
const reopened = defineEvent('BoardReopened', t.type({}));
const registry = createEventRegistry([posted, sealed, reopened]);
type BoardEvent =
  | DomainEvent<'NotePosted', { text: string }>
  | DomainEvent<'BoardSealed', Record<string, never>>
  | DomainEvent<'BoardReopened', Record<string, never>>;
type BoardCommand =
  | Command<'post', { boardId: string; text: string }>
  | Command<'seal', { boardId: string }>
  | Command<'reopen', { boardId: string }>;
interface BoardState {
  readonly notes: number;
  readonly sealed: boolean;
}
const board: Decider<BoardCommand, BoardEvent, BoardState, DecisionContext> = {
  initialState: { notes: 0, sealed: false },
  evolve: (s, e) =>
    e.type === 'NotePosted'
      ? { ...s, notes: s.notes + 1 }
      : e.type === 'BoardSealed'
        ? { ...s, sealed: true }
        : { ...s, sealed: false },
  decide: (c, s) => {
    if (c.type === 'reopen')
      return s.sealed
        ? E.right([{ type: 'BoardReopened', data: {} }])
        : E.left(invalidState('board.open', 'the board is open'));
    if (s.sealed) return E.left(invalidState('board.sealed', 'the board is sealed'));
    return E.right(
      c.type === 'post' ? [{ type: 'NotePosted', data: { text: c.data.text } }] : [{ type: 'BoardSealed', data: {} }],
    );
  },
};
const context: DecisionContext = {
  directory: directoryViewOf({ units: [], holdings: [] }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const metadata = { actor: { personId: 'p-1', role: 'office' as const }, now: '2026-11-22T09:00:00.000Z' };
const post = (text: string): BoardCommand => ({ type: 'post', data: { boardId: 'b1', text }, metadata });

const handlerOn = (store: EventStore, maxRetries?: number, cachedStreams?: number) =>
  commandHandler({
    personalData: 'in_clear',
    store,
    decider: board,
    registry,
    streamIdOf: (c) => `board-${c.data.boardId}`,
    context: async () => context,
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(cachedStreams === undefined ? {} : { cachedStreams }),
  });

/** The store, counting how often each stream is read. */
const countingReads = (inner: EventStore) => {
  const counts = new Map<string, number>();
  const store: EventStore = {
    ...inner,
    readStream(streamId, options) {
      counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
      return inner.readStream(streamId, options);
    },
  };
  return { store, reads: (streamId = 'board-b1') => counts.get(streamId) ?? 0 };
};

// A lifecycle with personal data: a guestbook whose signatures are names, sealed when stored. Its guard
// shows the state each attempt was decided on.
const signed = defineEvent('Signed', t.type({ name: personal(t.string, 'name') }), {
  schemaVersion: 2,
  sealedSince: 2,
  upcasters: { 1: sameShape },
});
type GuestbookCommand = Command<'sign' | 'countersign', { bookId: string; name: string }>;
type GuestbookEvent = DomainEvent<'Signed', { name: string }>;
interface GuestbookState {
  readonly names: readonly string[];
}
const guestbook: Decider<GuestbookCommand, GuestbookEvent, GuestbookState, DecisionContext> = {
  initialState: { names: [] },
  evolve: (s, e) => ({ names: [...s.names, e.data.name] }),
  decide: (c) => E.right([{ type: 'Signed', data: { name: c.data.name } }]),
};
const sign = (name: string, type: GuestbookCommand['type'] = 'sign'): GuestbookCommand => ({
  type,
  data: { bookId: 'g1', name },
  metadata,
});
const guestbookOn = (store: EventStore, cachedStreams?: number) => {
  const seen: GuestbookState[] = [];
  const handle = commandHandler({
    personalData: createPersonalDataSealer({ keys: getInMemorySubjectKeyStore(), definitions: [signed] }),
    store,
    decider: guestbook,
    registry: createEventRegistry([signed]),
    streamIdOf: (c) => `guestbook-${c.data.bookId}`,
    context: async () => context,
    guard: async (_, attempt) => {
      seen.push(attempt.state);
      return E.right('proceed');
    },
    // Countersigning checks the names in the clear (as 亮梦 checks a story).
    revealFor: (c) =>
      c.type === 'countersign' ? { code: 'verification', statement: 'compare the signatures' } : undefined,
    ...(cachedStreams === undefined ? {} : { cachedStreams }),
  });
  return { handle, seen };
};

describe('command handling', () => {
  it('appends the decided events, sealed into the hash chain, and returns the new revision', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    const first = await handle(post('路灯不亮'));
    const second = await handle(post('井盖松动'));
    expect(E.isRight(first) && first.right.nextExpectedRevision).toBe(0);
    expect(E.isRight(second) && second.right.nextExpectedRevision).toBe(1);
    expect(E.isRight(second) && second.right.state).toEqual({ notes: 2, sealed: false });
    const events = await store.readStream('board-b1');
    expect(events.map((e) => e.data)).toEqual([{ text: '路灯不亮' }, { text: '井盖松动' }]);
    expect(events[1]!.actor).toEqual(metadata.actor);
    expect(events[1]!.occurredAt).toBe(metadata.now);
    expect(verifyStream('board-b1', events).ok).toBe(true);
  });

  it('returns the decider refusal and stores nothing', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    await handle({ type: 'seal', data: { boardId: 'b1' }, metadata });
    const refused = await handle(post('too late'));
    expect(refused).toEqual(E.left(expect.objectContaining({ code: 'invalid_state', rule: 'board.sealed' })));
    expect(await store.readStream('board-b1')).toHaveLength(1);
  });

  it('the same command sent twice with the same idempotency key stores one set of events', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    const a = await handle(post('路灯不亮'), { idempotencyKey: 'req-7' });
    const b = await handle(post('路灯不亮'), { idempotencyKey: 'req-7' });
    expect(await store.readStream('board-b1')).toHaveLength(1);
    expect(E.isRight(a) && E.isRight(b)).toBe(true);
    if (E.isRight(a) && E.isRight(b)) {
      expect(b.right.replayed).toBe(true);
      expect(b.right.events.map((e) => e.eventId)).toEqual(a.right.events.map((e) => e.eventId));
      expect(a.right.events[0]!.eventId).toBe(eventIdFor('req-7', 'board-b1', 0));
    }
  });

  it('two twins racing with one idempotency key store one set of events', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    const results = await Promise.all([
      handle(post('x'), { idempotencyKey: 'k' }),
      handle(post('x'), { idempotencyKey: 'k' }),
    ]);
    expect(results.every(E.isRight)).toBe(true);
    expect(await store.readStream('board-b1')).toHaveLength(1);
  });

  it('a stale expected revision from the caller is reported as a failed precondition with the current revision, not retried', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    await handle(post('a'));
    await handle(post('b'));
    const stale = await handle(post('c'), { expectedRevision: 0 });
    expect(stale).toEqual(
      E.left(
        expect.objectContaining({
          code: 'precondition_failed',
          rule: 'command.stale_expected_revision',
          details: { streamId: 'board-b1', expected: 0, actual: 1 },
        }),
      ),
    );
    expect(await store.readStream('board-b1')).toHaveLength(2);
  });

  it('a conflict with another writer is retried on fresh state, and reported once retries run out', async () => {
    const inner = getInMemoryEventStore();
    let interference = 0;
    // Another writer slips in an event before each of our appends, `interference` times.
    const store: EventStore = {
      ...inner,
      async append(streamId, events, options) {
        if (interference > 0) {
          interference--;
          await inner.append(streamId, [{ ...events[0]!, eventId: crypto.randomUUID() }], { expectedRevision: 'any' });
        }
        return inner.append(streamId, events, options);
      },
    };
    interference = 2;
    const ok = await handlerOn(store, 3)(post('mine'));
    expect(E.isRight(ok)).toBe(true);
    expect(await inner.readStream('board-b1')).toHaveLength(3);

    interference = 10;
    const exhausted = await handlerOn(store, 2)(post('mine again'));
    expect(exhausted).toEqual(E.left(expect.objectContaining({ code: 'conflict', rule: 'command.retries_exhausted' })));
  });

  describe('a writer that got in first with a later business time', () => {
    // The race the API's twenty clients run: each command is dated when it arrives, the winner a few
    // milliseconds after the losers, so a loser retried on fresh state finds the stream past its `now`.
    const overtakenBy = (winner: BoardCommand) => {
      const inner = getInMemoryEventStore();
      let raced = false;
      const store: EventStore = {
        ...inner,
        async append(streamId, events, options) {
          if (!raced) {
            raced = true;
            const winning = await handlerOn(inner)(winner);
            expect(E.isRight(winning)).toBe(true);
          }
          return inner.append(streamId, events, options);
        },
      };
      return { inner, handle: handlerOn(store) };
    };
    const later = { ...metadata, now: '2026-11-22T09:00:00.004Z' };

    it("is answered with the decider's refusal on the new state, not as a clock fault", async () => {
      const { inner, handle } = overtakenBy({ type: 'seal', data: { boardId: 'b1' }, metadata: later });
      const lost = await handle(post('mine'));
      expect(lost).toEqual(E.left(expect.objectContaining({ code: 'invalid_state', rule: 'board.sealed' })));
      expect((await inner.readStream('board-b1')).map((e) => e.type)).toEqual(['BoardSealed']);
    });

    it('is reported as a conflict when the new state would still accept the command', async () => {
      const { inner, handle } = overtakenBy({ ...post('theirs'), metadata: later });
      const lost = await handle(post('mine'));
      expect(lost).toEqual(
        E.left(
          expect.objectContaining({
            code: 'conflict',
            rule: commandRules.overtaken,
            details: expect.objectContaining({ streamId: 'board-b1', now: metadata.now, latest: later.now }),
          }),
        ),
      );
      expect((await inner.readStream('board-b1')).map((e) => e.data)).toEqual([{ text: 'theirs' }]);
    });
  });

  it('a stored event that no longer decodes is reported with stream, revision and field', async () => {
    const store = getInMemoryEventStore();
    const handle = handlerOn(store);
    await handle(post('a'));
    await store.append('board-b1', [{ ...store.log[0]!, eventId: crypto.randomUUID(), data: { text: 42 } }], {
      expectedRevision: 0,
    });
    const result = await handle(post('b'));
    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'integrity',
      rule: 'store.undecodable_event',
      details: { streamId: 'board-b1', revision: 1, fields: ['data.text'] },
    });
  });

  describe('business time (metadata.now)', () => {
    const withNow = (now: unknown, text = 'x'): BoardCommand =>
      ({ type: 'post', data: { boardId: 'b1', text }, metadata: { actor: metadata.actor, now } }) as BoardCommand;

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a word', 'soon'],
      ['tomorrow', 'tomorrow'],
      ['without an offset', '2026-11-22T09:00:00'],
      ['a date alone', '2026-11-22'],
      ['a number', 1_764_000_000_000],
    ])('a command whose now is %s is refused as validation naming metadata.now, and nothing is stored', async (_, now) => {
      const store = getInMemoryEventStore();
      const result = await handlerOn(store)(withNow(now));
      expect(E.isLeft(result) && result.left).toMatchObject({
        code: 'validation',
        details: { fields: [expect.objectContaining({ path: 'metadata.now' })] },
      });
      expect(store.log).toHaveLength(0);
    });

    it('a command without metadata is refused as validation naming metadata, not a TypeError', async () => {
      const store = getInMemoryEventStore();
      const result = await handlerOn(store)({ type: 'post', data: { boardId: 'b1', text: 'x' } } as BoardCommand);
      expect(E.isLeft(result) && result.left).toMatchObject({ code: 'validation' });
      expect(store.log).toHaveLength(0);
    });

    it('a command dated before the latest event of its stream is refused (time never runs backwards)', async () => {
      const store = getInMemoryEventStore();
      const handle = handlerOn(store);
      expect(E.isRight(await handle(withNow('2026-11-22T09:00:00+08:00')))).toBe(true);
      // One second earlier, written in another offset: instants are compared, not strings.
      const earlier = await handle(withNow('2026-11-22T00:59:59Z', 'late'));
      expect(E.isLeft(earlier) && earlier.left).toMatchObject({
        code: 'invalid_state',
        rule: commandRules.nowBeforeStream,
        details: { now: '2026-11-22T00:59:59Z', latest: '2026-11-22T09:00:00+08:00' },
      });
      expect(await store.readStream('board-b1')).toHaveLength(1);
      expect(E.isRight(await handle(withNow('2026-11-22T01:00:00Z', 'same instant')))).toBe(true);
    });

    it('a command dated further ahead of the clock than the tolerance is refused as validation naming metadata.now', async () => {
      const store = getInMemoryEventStore();
      const handle = commandHandler({
        personalData: 'in_clear',
        store,
        decider: board,
        registry,
        streamIdOf: (c) => `board-${c.data.boardId}`,
        context: async () => context,
        clock: () => new Date('2026-11-22T09:00:00+08:00'),
        maxClockAheadMs: 60_000,
      });
      expect(E.isRight(await handle(withNow('2026-11-22T09:01:00+08:00')))).toBe(true);
      const ahead = await handle(withNow('2026-11-22T09:01:01+08:00'));
      expect(E.isLeft(ahead) && ahead.left).toMatchObject({
        code: 'validation',
        rule: commandRules.nowAheadOfClock,
        details: { fields: [expect.objectContaining({ path: 'metadata.now' })] },
      });
      expect(await store.readStream('board-b1')).toHaveLength(1);
    });
  });

  describe('the state of recently used streams (cachedStreams)', () => {
    it('a command on a stream the handler just wrote is decided without reading it', async () => {
      const { store, reads } = countingReads(getInMemoryEventStore());
      const handle = handlerOn(store);
      for (const text of ['a', 'b', 'c']) expect(E.isRight(await handle(post(text)))).toBe(true);
      expect(reads()).toBe(1);
      expect((await store.readStream('board-b1')).map((e) => e.data)).toEqual([
        { text: 'a' },
        { text: 'b' },
        { text: 'c' },
      ]);
    });

    it('with cachedStreams 0 every command reads its stream (the path as it was)', async () => {
      const { store, reads } = countingReads(getInMemoryEventStore());
      const handle = handlerOn(store, undefined, 0);
      for (const text of ['a', 'b', 'c']) expect(E.isRight(await handle(post(text)))).toBe(true);
      expect(reads()).toBe(3);
    });

    it('another process appending in between is caught by the append: the command is decided again on the stream as read, nothing is lost', async () => {
      const inner = getInMemoryEventStore();
      const { store, reads } = countingReads(inner);
      const ours = handlerOn(store);
      const theirs = handlerOn(inner);
      await ours(post('a'));
      await theirs(post('b'));
      const result = await ours(post('c'));
      expect(E.isRight(result) && result.right).toMatchObject({ nextExpectedRevision: 2, state: { notes: 3 } });
      expect(reads()).toBe(2);
      // What it remembers now is the stream as it is.
      expect(E.isRight(await ours(post('d')))).toBe(true);
      expect(reads()).toBe(2);
      expect((await inner.readStream('board-b1')).map((e) => e.data)).toEqual([
        { text: 'a' },
        { text: 'b' },
        { text: 'c' },
        { text: 'd' },
      ]);
      expect(verifyStream('board-b1', await inner.readStream('board-b1')).ok).toBe(true);
    });

    it('a stale remembered state does not count as a retry: a command dated before what another process stored is refused as a clock fault, as without the cache', async () => {
      const inner = getInMemoryEventStore();
      const ours = handlerOn(inner);
      await ours(post('a'));
      const later = { ...metadata, now: '2026-11-22T09:00:05.000Z' };
      expect(E.isRight(await handlerOn(inner)({ ...post('b'), metadata: later }))).toBe(true);
      const earlier = await ours({ ...post('c'), metadata: { ...metadata, now: '2026-11-22T09:00:01.000Z' } });
      expect(E.isLeft(earlier) && earlier.left).toMatchObject({
        code: 'invalid_state',
        rule: commandRules.nowBeforeStream,
      });
    });

    it('a refusal on a remembered state is checked on the stream as read: another process reopened the board', async () => {
      const inner = getInMemoryEventStore();
      const ours = handlerOn(inner);
      expect(E.isRight(await ours({ type: 'seal', data: { boardId: 'b1' }, metadata }))).toBe(true);
      expect(E.isRight(await handlerOn(inner)({ type: 'reopen', data: { boardId: 'b1' }, metadata }))).toBe(true);
      const result = await ours(post('after reopening'));
      expect(E.isRight(result) && result.right.state).toEqual({ notes: 1, sealed: false });
      expect((await inner.readStream('board-b1')).map((e) => e.type)).toEqual([
        'BoardSealed',
        'BoardReopened',
        'NotePosted',
      ]);
    });

    it('a remembered state that another process moved on to a refusal: the refusal of the stream as read, nothing stored', async () => {
      const inner = getInMemoryEventStore();
      const ours = handlerOn(inner);
      await ours(post('a'));
      await handlerOn(inner)({ type: 'seal', data: { boardId: 'b1' }, metadata });
      expect(await ours(post('too late'))).toEqual(
        E.left(expect.objectContaining({ code: 'invalid_state', rule: 'board.sealed' })),
      );
      expect(await inner.readStream('board-b1')).toHaveLength(2);
    });

    it('an idempotent retry on a remembered stream replays what was stored, also when another process stored it', async () => {
      const inner = getInMemoryEventStore();
      const ours = handlerOn(inner);
      const first = await ours(post('x'), { idempotencyKey: 'k-1' });
      const again = await ours(post('x'), { idempotencyKey: 'k-1' });
      expect(E.isRight(again) && again.right).toMatchObject({ replayed: true, nextExpectedRevision: 0 });
      expect(E.isRight(first) && E.isRight(again) && again.right.events[0]!.eventId).toBe(
        E.isRight(first) && first.right.events[0]!.eventId,
      );
      // The twin request went to another process, after this one remembered the stream.
      expect(E.isRight(await handlerOn(inner)(post('y'), { idempotencyKey: 'k-2' }))).toBe(true);
      const twin = await ours(post('y'), { idempotencyKey: 'k-2' });
      expect(E.isRight(twin) && twin.right).toMatchObject({ replayed: true, nextExpectedRevision: 1 });
      expect((await inner.readStream('board-b1')).map((e) => e.data)).toEqual([{ text: 'x' }, { text: 'y' }]);
    });

    it('an If-Match is held against the stream as read when the remembered revision differs, and a stale one is still reported', async () => {
      const inner = getInMemoryEventStore();
      const ours = handlerOn(inner);
      const theirs = handlerOn(inner);
      await ours(post('a'));
      await theirs(post('b'));
      // The caller saw revision 1 (written elsewhere); this handler remembers 0.
      const matched = await ours(post('c'), { expectedRevision: 1 });
      expect(E.isRight(matched) && matched.right.nextExpectedRevision).toBe(2);
      await theirs(post('d'));
      // The caller's 2 is what this handler remembers, but no longer what is stored.
      const stale = await ours(post('e'), { expectedRevision: 2 });
      expect(stale).toEqual(
        E.left(expect.objectContaining({ code: 'precondition_failed', rule: 'command.stale_expected_revision' })),
      );
      expect(E.isLeft(stale) && stale.left.details).toMatchObject({ expected: 2, actual: 3 });
      const older = await ours(post('e'), { expectedRevision: 0 });
      expect(E.isLeft(older) && older.left.details).toMatchObject({ expected: 0, actual: 3 });
      expect(await inner.readStream('board-b1')).toHaveLength(4);
    });

    it('keeps at most cachedStreams streams, forgetting the least recently used first', async () => {
      const { store, reads } = countingReads(getInMemoryEventStore());
      const handle = handlerOn(store, undefined, 2);
      const on = (boardId: string) => handle({ type: 'post', data: { boardId, text: boardId }, metadata });
      for (const boardId of ['b1', 'b2', 'b1', 'b3', 'b1', 'b2']) expect(E.isRight(await on(boardId))).toBe(true);
      // b3 pushed out b2, the one used least recently; b1, used since, stayed.
      expect([reads('board-b1'), reads('board-b2'), reads('board-b3')]).toEqual([1, 2, 1]);
    });

    it('remembers of a sealed stream what the fold of its stored events holds: the sealed marker, never the clear value', async () => {
      const cached = guestbookOn(getInMemoryEventStore());
      const read = guestbookOn(getInMemoryEventStore(), 0);
      for (const { handle } of [cached, read])
        for (const name of ['张三', '李四', '王五']) expect(E.isRight(await handle(sign(name)))).toBe(true);
      expect(cached.seen).toEqual(read.seen);
      expect(cached.seen[2]).toEqual({ names: [personalDataMarkers.sealed, personalDataMarkers.sealed] });
    });

    it('a command that reveals personal data reads its stream, and the state it folded in the clear is not kept', async () => {
      const { store, reads } = countingReads(getInMemoryEventStore());
      const { handle, seen } = guestbookOn(store);
      expect(E.isRight(await handle(sign('张三')))).toBe(true);
      expect(reads('guestbook-g1')).toBe(1);
      expect(E.isRight(await handle(sign('李四', 'countersign')))).toBe(true);
      // Read sealed (to refuse without opening anything), then revealed.
      expect(reads('guestbook-g1')).toBe(3);
      expect(seen[1]).toEqual({ names: ['张三'] });
      expect(E.isRight(await handle(sign('王五')))).toBe(true);
      expect(reads('guestbook-g1')).toBe(4);
      expect(seen[2]).toEqual({ names: [personalDataMarkers.sealed, personalDataMarkers.sealed] });
    });
  });
});
