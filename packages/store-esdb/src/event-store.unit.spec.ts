// The adapter's sequencing (seal on the head, exact-revision append, retry, duplicate checks, $all paging,
// catch-up then live) checked against an in-process stand-in for the client. The stand-in follows the
// documented EventStoreDB semantics for the calls the adapter makes; it is no substitute for the server
// run in esdb.int.spec.ts, only a way to exercise the adapter's own logic on every `pnpm test`.
import { EventEmitter } from 'node:events';
import {
  BanshishiError,
  type NewEvent,
  type PositionedEvent,
  storeRules,
  uuidFromName,
  verifyStream,
} from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import { describeEventStoreConformance } from '@banshishi/testkit';
import {
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Position,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { countingClient } from './counting-client.js';
import { type EventStoreDBClientLike, getEventStoreDBEventStore } from './event-store.js';
import { decodeCheckpoint, toEventData } from './mapping.js';

interface FakeRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: Position;
}

interface FakeOptions {
  /** Runs before each append to a banshishi stream reaches the "server": lets a test slip in another writer. */
  readonly beforeAppend?: (streamName: string, call: number) => void;
}

const asStream = <T>(items: readonly T[], error?: unknown) => ({
  async *[Symbol.asyncIterator]() {
    if (error !== undefined) throw error;
    yield* items;
  },
  async cancel() {},
});

/** EventStoreDB as the adapter sees it: streams, $all with commit/prepare positions, live $all subscriptions. */
const fakeEventStoreDB = (options: FakeOptions = {}) => {
  const log: FakeRecord[] = [];
  const streams = new Map<string, FakeRecord[]>();
  const live = new Set<{ filter: (r: FakeRecord) => boolean; emitter: EventEmitter }>();
  let appendCalls = 0;
  // Positions grow by more than one per record, as byte offsets do; prepare may differ from commit.
  const nextPosition = (): Position => {
    const commit = BigInt(100 + log.length * 37);
    return { commit, prepare: commit - 3n };
  };

  const write = (streamName: string, events: readonly EventData[]) => {
    const stream = streams.get(streamName) ?? [];
    for (const e of events) {
      const record: FakeRecord = {
        streamId: streamName,
        id: e.id,
        revision: BigInt(stream.length),
        type: e.type,
        data: JSON.parse(JSON.stringify(e.data)),
        metadata: e.metadata === undefined ? undefined : JSON.parse(JSON.stringify(e.metadata)),
        position: nextPosition(),
      };
      stream.push(record);
      log.push(record);
      for (const s of live) if (s.filter(record)) s.emitter.emit('data', { event: toRecorded(record) });
    }
    streams.set(streamName, stream);
    return stream;
  };

  const toRecorded = (r: FakeRecord) => ({ ...r, isJson: true, created: new Date() });

  const client = {
    async appendToStream(
      streamName: string,
      input: EventData | EventData[],
      { expectedRevision = 'any' }: { expectedRevision?: AppendExpectedRevision } = {},
    ): Promise<AppendResult> {
      if (!streamName.includes('banshishi:event-id:')) options.beforeAppend?.(streamName, appendCalls++);
      const events = Array.isArray(input) ? input : [input];
      const stream = streams.get(streamName) ?? [];
      const current = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
      const refuse = () =>
        new WrongExpectedVersionError(undefined, { streamName, expected: expectedRevision, current });
      if (expectedRevision === 'stream_exists' && current === 'no_stream') throw refuse();
      // NO_STREAM is the specific revision -1 to the server, idempotency included.
      const specific = expectedRevision === 'no_stream' ? -1n : expectedRevision;
      if (typeof specific === 'bigint') {
        const at = current === 'no_stream' ? -1n : current;
        if (specific > at) throw refuse();
        if (specific < at) {
          // Documented idempotency: the same ids right after the expected revision are acknowledged, unwritten.
          const from = Number(specific) + 1;
          if (!events.every((e, i) => stream[from + i]?.id === e.id)) throw refuse();
          const last = stream[from + events.length - 1]!;
          return { success: true, nextExpectedRevision: last.revision, position: last.position };
        }
      }
      const after = write(streamName, events);
      const last = after[after.length - 1]!;
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    },

    readStream(
      streamName: string,
      {
        direction = 'forwards',
        fromRevision,
        maxCount = 1e9,
      }: {
        direction?: 'forwards' | 'backwards';
        fromRevision?: 'start' | 'end' | bigint;
        maxCount?: number | bigint;
      } = {},
    ) {
      const stream = streams.get(streamName);
      if (stream === undefined) return asStream([], new StreamNotFoundError(undefined, streamName));
      const count = Number(maxCount);
      if (direction === 'backwards') {
        const last = stream.length - 1;
        const from = fromRevision === undefined || fromRevision === 'end' ? last : Math.min(Number(fromRevision), last);
        return asStream(
          stream
            .slice(0, from + 1)
            .reverse()
            .slice(0, count)
            .map((r) => ({ event: toRecorded(r) })),
        );
      }
      const from = fromRevision === undefined || fromRevision === 'start' ? 0 : Number(fromRevision);
      return asStream(stream.slice(from, from + count).map((r) => ({ event: toRecorded(r) })));
    },

    readAll({ fromPosition = 'start', maxCount = 1e9 }: { fromPosition?: 'start' | Position; maxCount?: number } = {}) {
      // Inclusive of the record at `fromPosition`, as the server is.
      const from =
        fromPosition === 'start' ? 0 : log.findIndex((r) => r.position.commit >= (fromPosition as Position).commit);
      const page = from < 0 ? [] : log.slice(from, from + Number(maxCount));
      return asStream(page.map((r) => ({ event: toRecorded(r), commitPosition: r.position.commit })));
    },

    subscribeToAll({ filter }: { filter?: { prefixes?: string[]; regex?: string } } = {}) {
      const emitter = new EventEmitter();
      const matches = (r: FakeRecord) =>
        filter?.prefixes !== undefined
          ? filter.prefixes.some((p) => r.streamId.startsWith(p))
          : filter?.regex !== undefined
            ? new RegExp(filter.regex).test(r.streamId)
            : true;
      const entry = { filter: matches, emitter };
      live.add(entry);
      setImmediate(() => emitter.emit('confirmation'));
      return Object.assign(emitter, {
        async unsubscribe() {
          live.delete(entry);
        },
      });
    },

    async dispose() {},
  };

  return {
    client: client as unknown as EventStoreDBClientLike,
    log,
    liveCount: () => live.size,
    /** What EventStoreDB writes by itself, interleaved with ours in $all. */
    systemEvent: () =>
      write('$stats-127.0.0.1:2113', [
        {
          id: uuidFromName(`stats-${log.length}`),
          contentType: 'application/json',
          type: '$statsCollected',
          data: {},
          metadata: undefined,
        },
      ]),
    /** Records as they are, bypassing the adapter. */
    rawAppend: write,
    /** A writer that does not go through the adapter (and so seals nothing). */
    foreignAppend: (streamName: string, id: string) =>
      write(streamName, [{ id, contentType: 'application/json', type: 'Foreign', data: {}, metadata: undefined }]),
  };
};

const event = (name: string, data: unknown = { name }): NewEvent => ({
  eventId: uuidFromName(name),
  type: 'ProblemSolicited',
  schemaVersion: 1,
  data,
  occurredAt: '2026-11-22T08:00:00.000Z',
  actor: { personId: 'person-1', role: 'resident' },
  correlationId: uuidFromName(`corr-${name}`),
  causationId: uuidFromName(`corr-${name}`),
});

/** Another writer's append, sealed as the adapter would, landing straight in the "server". */
const sealedAppend = (esdb: ReturnType<typeof fakeEventStoreDB>, streamName: string, name: string) => {
  const head = esdb.log.filter((r) => r.streamId === streamName).at(-1);
  const prev =
    head === undefined ? null : { revision: Number(head.revision), hash: (head.metadata as { hash: string }).hash };
  esdb.rawAppend(streamName, sealEvents(streamName, prev, [event(name)], 'T').map(toEventData));
};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BanshishiError);
  return error as BanshishiError;
};

const store = (options: FakeOptions = {}) => {
  const esdb = fakeEventStoreDB(options);
  const clock = () => new Date('2026-11-22T09:00:00.000Z');
  return { esdb, store: getEventStoreDBEventStore({ client: esdb.client }, { clock, pollIntervalMs: 50 }) };
};

describe('appending', () => {
  it('seals each append onto the stream head, so the stored stream verifies', async () => {
    const { store: s } = store();
    const first = await s.append('problem-1', [event('a'), event('b')], { expectedRevision: 'no_stream' });
    const second = await s.append('problem-1', [event('c')], { expectedRevision: 1 });
    expect(first).toMatchObject({ streamId: 'problem-1', firstRevision: 0, nextExpectedRevision: 1 });
    expect(second).toMatchObject({ firstRevision: 2, nextExpectedRevision: 2 });
    const stored = await s.readStream('problem-1');
    expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(stored.map((e) => e.recordedAt)).toEqual(Array(3).fill('2026-11-22T09:00:00.000Z'));
    expect(verifyStream('problem-1', stored)).toEqual({ ok: true, head: await s.streamHead('problem-1') });
    expect(second.lastPosition).toBe(stored[2]!.globalPosition);
  });

  it('refuses a stale revision as conflict / store.wrong_expected_revision', async () => {
    const { store: s } = store();
    await s.append('problem-1', [event('a')], { expectedRevision: 'no_stream' });
    const stale = await refusal(s.append('problem-1', [event('b')], { expectedRevision: 'no_stream' }));
    expect(stale).toMatchObject({ code: 'conflict', rule: storeRules.wrongExpectedRevision });
    expect((await refusal(s.append('problem-2', [event('c')], { expectedRevision: 'stream_exists' }))).rule).toBe(
      storeRules.wrongExpectedRevision,
    );
  });

  it('re-reads the head and re-seals when another writer appends between read and write under `any`', async () => {
    const ctx = store({ beforeAppend: (streamName, call) => call === 1 && sealedAppend(ctx.esdb, streamName, 'x') });
    const s = ctx.store;
    await s.append('problem-1', [event('a')], { expectedRevision: 'no_stream' });
    const result = await s.append('problem-1', [event('b')], { expectedRevision: 'any' });
    const stored = await s.readStream('problem-1');
    expect(stored.map((e) => e.eventId)).toEqual([event('a'), event('x'), event('b')].map((e) => e.eventId));
    expect(result).toMatchObject({ firstRevision: 2, nextExpectedRevision: 2 });
    expect(verifyStream('problem-1', stored).ok).toBe(true);
  });

  it('gives up with a conflict after a bounded number of attempts', async () => {
    let n = 0;
    const ctx = store({ beforeAppend: (streamName) => sealedAppend(ctx.esdb, streamName, `x${n++}`) });
    const error = await refusal(ctx.store.append('problem-1', [event('a')], { expectedRevision: 'any' }));
    expect(error.rule).toBe(storeRules.wrongExpectedRevision);
    expect(ctx.esdb.log.filter((r) => r.streamId === 'problem-1')).toHaveLength(5);
  });

  it('does not retry a numeric expectation that another writer made stale in between', async () => {
    const ctx = store({ beforeAppend: (streamName, call) => call === 1 && sealedAppend(ctx.esdb, streamName, 'x') });
    await ctx.store.append('problem-1', [event('a')], { expectedRevision: 'no_stream' });
    const error = await refusal(ctx.store.append('problem-1', [event('b')], { expectedRevision: 0 }));
    expect(error.rule).toBe(storeRules.wrongExpectedRevision);
    expect(error.details).toMatchObject({ expected: '0', actual: '1' });
  });

  it('returns the original result for an exact retry, even with the stale expectation it was sent with', async () => {
    const { store: s } = store();
    const events = [event('a'), event('b')];
    const first = await s.append('problem-1', events, { expectedRevision: 'no_stream' });
    await s.append('problem-1', [event('c')], { expectedRevision: 1 });
    expect(await s.append('problem-1', events, { expectedRevision: 'no_stream' })).toEqual(first);
    expect(await s.append('problem-1', events, { expectedRevision: 'any' })).toEqual(first);
    expect((await s.readStream('problem-1')).length).toBe(3);
  });

  it('refuses a different append that reuses a stored event id, anywhere in the stream', async () => {
    const { store: s } = store();
    await s.append('problem-1', [event('a'), event('b')], { expectedRevision: 'no_stream' });
    for (const events of [
      [event('z'), event('a')],
      [event('b'), event('y')],
    ]) {
      const error = await refusal(s.append('problem-1', events, { expectedRevision: 1 }));
      expect(error).toMatchObject({ code: 'conflict', rule: storeRules.duplicateEvent });
    }
    expect((await refusal(s.append('problem-1', [event('n'), event('n')], { expectedRevision: 1 }))).rule).toBe(
      storeRules.duplicateEvent,
    );
    expect((await s.readStream('problem-1')).length).toBe(2);
  });

  it('checks an empty append against the expectation without writing', async () => {
    const { store: s } = store();
    expect(await s.append('wish-1', [], { expectedRevision: 'no_stream' })).toMatchObject({
      firstRevision: 0,
      nextExpectedRevision: -1,
    });
    expect((await refusal(s.append('wish-1', [], { expectedRevision: 0 }))).rule).toBe(
      storeRules.wrongExpectedRevision,
    );
  });
});

describe('reading a stream', () => {
  it('reads forwards and backwards from a revision with a limit; a missing stream is empty', async () => {
    const { store: s } = store();
    await s.append(
      'wish-1',
      ['a', 'b', 'c', 'd'].map((n) => event(n)),
      { expectedRevision: 'no_stream' },
    );
    const revisions = async (o: Parameters<typeof s.readStream>[1]) =>
      (await s.readStream('wish-1', o)).map((e) => e.revision);
    expect(await revisions({ fromRevision: 1, limit: 2 })).toEqual([1, 2]);
    expect(await revisions({ direction: 'backwards', limit: 2 })).toEqual([3, 2]);
    expect(await revisions({ direction: 'backwards', fromRevision: 1 })).toEqual([1, 0]);
    expect(await revisions({ limit: 0 })).toEqual([]);
    expect(await s.readStream('wish-404')).toEqual([]);
    expect(await s.streamHead('wish-404')).toBeNull();
  });
});

describe('reading $all', () => {
  it('pages from a checkpoint, skipping EventStoreDB’s own records and other categories', async () => {
    const { esdb, store: s } = store();
    esdb.systemEvent();
    await s.append('problem-1', [event('p1')], { expectedRevision: 'no_stream' });
    esdb.systemEvent();
    await s.append('wish-1', [event('w1')], { expectedRevision: 'no_stream' });
    await s.append('problem-2', [event('p2'), event('p3')], { expectedRevision: 'no_stream' });
    esdb.systemEvent();

    const names = (events: readonly PositionedEvent[]) => events.map((e) => (e.data as { name: string }).name);
    const all = await s.readAll();
    expect(names(all.events)).toEqual(['p1', 'w1', 'p2', 'p3']);
    expect(all.isEnd).toBe(true);

    const seen: string[] = [];
    let checkpoint: string | null = null;
    for (let i = 0; i < 10; i++) {
      const batch = await s.readAll({ after: checkpoint, limit: 1, categories: ['problem'] });
      seen.push(...names(batch.events));
      checkpoint = batch.checkpoint;
      if (batch.isEnd) break;
    }
    expect(seen).toEqual(['p1', 'p2', 'p3']);
    expect(decodeCheckpoint(checkpoint!).commit).toBe(esdb.log[esdb.log.length - 1]!.position.commit);

    const again = await s.readAll({ after: checkpoint });
    expect(again).toEqual({ events: [], checkpoint, isEnd: true });
    for (const e of all.events) expect(e.globalPosition).toBe(Number(decodeCheckpoint(e.checkpoint).commit));
  });

  it('says a batch that stops at its limit is the end only when nothing deliverable follows', async () => {
    const { esdb, store: s } = store();
    await s.append('problem-1', [event('a'), event('b')], { expectedRevision: 'no_stream' });
    esdb.systemEvent();
    expect((await s.readAll({ limit: 2 })).isEnd).toBe(true);
    expect((await s.readAll({ limit: 1 })).isEnd).toBe(false);
  });

  it('reads across pages smaller than the batch', async () => {
    const esdb = fakeEventStoreDB();
    const s = getEventStoreDBEventStore({ client: esdb.client }, { readPageSize: 2 });
    for (let i = 0; i < 7; i++) {
      esdb.systemEvent();
      await s.append(`problem-${i}`, [event(`e${i}`)], { expectedRevision: 'no_stream' });
    }
    const batch = await s.readAll({ limit: 5 });
    expect(batch.events.map((e) => e.streamId)).toEqual([0, 1, 2, 3, 4].map((i) => `problem-${i}`));
    const rest = await s.readAll({ after: batch.checkpoint, limit: 5 });
    expect(rest.events.map((e) => e.streamId)).toEqual(['problem-5', 'problem-6']);
    expect(rest.isEnd).toBe(true);
  });

  it('refuses a record in a user stream that banshishi did not write', async () => {
    const { esdb, store: s } = store();
    esdb.foreignAppend('orders-1', uuidFromName('foreign'));
    expect((await refusal(s.readAll())).rule).toBe(storeRules.undecodableEvent);
  });
});

describe('subscribing', () => {
  it('catches up with what was there, then delivers live appends, woken by the live subscription', async () => {
    const { esdb, store: s } = store();
    await s.append('problem-1', [event('a')], { expectedRevision: 'no_stream' });
    esdb.systemEvent();
    const received: string[] = [];
    const checkpoints: string[] = [];
    let liveArrived!: () => void;
    const live = new Promise<void>((resolve) => {
      liveArrived = resolve;
    });
    const sub = s.subscribe({
      categories: ['problem'],
      onEvents: async (events, checkpoint) => {
        received.push(...events.map((e) => e.streamId));
        checkpoints.push(checkpoint);
        if (received.length >= 2) liveArrived();
      },
    });
    await sub.caughtUp;
    expect(received).toEqual(['problem-1']);
    await s.append('wish-1', [event('w')], { expectedRevision: 'no_stream' });
    await s.append('problem-2', [event('b')], { expectedRevision: 'no_stream' });
    await live;
    expect(received).toEqual(['problem-1', 'problem-2']);
    await sub.stop();
    expect(esdb.liveCount()).toBe(0);
    await s.append('problem-3', [event('c')], { expectedRevision: 'no_stream' });
    // Not a pause: the event is readable after the last checkpoint, where the stopped subscription would read.
    const after = await s.readAll({ after: checkpoints[checkpoints.length - 1]!, categories: ['problem'] });
    expect(after.events.map((e) => e.streamId)).toEqual(['problem-3']);
    expect(received).toEqual(['problem-1', 'problem-2']);
  });

  it('resumes after a checkpoint without redelivering', async () => {
    const { store: s } = store();
    await s.append('problem-1', [event('a'), event('b')], { expectedRevision: 'no_stream' });
    const first = await s.readAll({ limit: 1 });
    const received: string[] = [];
    const sub = s.subscribe({
      after: first.checkpoint,
      onEvents: async (events) => {
        received.push(...events.map((e) => e.eventId));
      },
    });
    await sub.caughtUp;
    expect(received).toEqual([event('b').eventId]);
    await s.close();
  });

  it('stops on a failing handler and reports the error once', async () => {
    const { esdb, store: s } = store();
    await s.append('problem-1', [event('a')], { expectedRevision: 'no_stream' });
    const errors: unknown[] = [];
    const sub = s.subscribe({
      onEvents: async () => {
        throw new Error('handler failed');
      },
      onError: (e) => errors.push(e),
    });
    await expect(sub.caughtUp).rejects.toThrow('handler failed');
    expect(errors).toHaveLength(1);
    // The live stream closes as the failed subscription winds down: wait for it, however busy the machine.
    await expect.poll(() => esdb.liveCount(), { timeout: 60_000, interval: 10 }).toBe(0);
    await sub.stop();
  });
});

// The shared suite over the stand-in: the adapter's logic against the port's promises, on every run.
describeEventStoreConformance('EventStoreDB adapter, client stand-in', async () => {
  const esdb = fakeEventStoreDB();
  esdb.systemEvent();
  const counted = countingClient(esdb.client);
  const store = getEventStoreDBEventStore({ client: counted.client }, { pollIntervalMs: 50 });
  return { store, teardown: () => store.close(), backendCalls: counted.calls };
});

// As the int run uses a server: one log shared by all tests, each test in a namespace of its own.
const sharedLog = fakeEventStoreDB();
let namespaces = 0;
describeEventStoreConformance('EventStoreDB adapter, client stand-in, namespaced on a shared log', async () => {
  sharedLog.systemEvent();
  namespaces += 1;
  const counted = countingClient(sharedLog.client);
  const store = getEventStoreDBEventStore(
    { client: counted.client },
    { namespace: `run${namespaces}`, pollIntervalMs: 50, readPageSize: 16 },
  );
  return { store, teardown: () => store.close(), backendCalls: counted.calls };
});
