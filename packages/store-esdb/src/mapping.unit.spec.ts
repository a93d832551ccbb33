import {
  BanshishiError,
  type NewEvent,
  type SealedEvent,
  storeRules,
  uuidFromName,
  verifyStream,
} from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import {
  ANY,
  convertToCommandError,
  ErrorType,
  type JSONRecordedEvent,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimRecord,
  comparePositions,
  decodeCheckpoint,
  encodeCheckpoint,
  esdbEventIdOf,
  fromRecordedEvent,
  globalPositionOf,
  inCategories,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  liveFilter,
  streamNames,
  toEsdbExpectedRevision,
  toEventData,
  toWrongExpectedRevision,
} from './mapping.js';

const position = fc.record({
  commit: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
  prepare: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
});

const newEvent = fc.record({
  eventId: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 12 })),
  type: fc.constantFrom('ProblemSolicited', 'ProblemClaimed', 'WishCollected'),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  data: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue()).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  occurredAt: fc
    .date({ min: new Date('2021-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.oneof(
    fc.record({ personId: fc.string({ minLength: 1 }), role: fc.constantFrom('resident' as const, 'member' as const) }),
    fc.record({ personId: fc.string({ minLength: 1 }), role: fc.constant('secretary' as const), unitId: fc.string() }),
  ),
  correlationId: fc.uuid(),
  causationId: fc.uuid(),
}) satisfies fc.Arbitrary<NewEvent>;

/**
 * What the client hands back for an event we appended: it JSON-encodes data and metadata on the way in
 * and parses them on the way out, and the server adds the record's revision, time and $all position.
 */
const recordOf = (sealed: SealedEvent, commit: bigint): JSONRecordedEvent => {
  const data = toEventData(sealed);
  return {
    streamId: sealed.streamId,
    id: data.id,
    isJson: true,
    revision: BigInt(sealed.revision),
    type: data.type,
    created: new Date(),
    data: JSON.parse(JSON.stringify(data.data)),
    metadata: JSON.parse(JSON.stringify(data.metadata)),
    position: { commit, prepare: commit },
  };
};

const sealedStream = fc
  .uniqueArray(newEvent, { minLength: 1, maxLength: 8, selector: (e) => e.eventId })
  .map((events) => sealEvents('problem-42', null, events, '2026-11-22T08:00:00.000Z'));

const expectRefusal = (thrown: () => unknown, rule: string, code: string) => {
  try {
    thrown();
  } catch (e) {
    expect(e).toBeInstanceOf(BanshishiError);
    expect((e as BanshishiError).rule).toBe(rule);
    expect((e as BanshishiError).code).toBe(code);
    return;
  }
  expect.fail('expected a refusal');
};

describe('expected revisions in the client vocabulary', () => {
  it('maps the named expectations to the constants of the same meaning', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
  });

  it('maps a revision number to the same 64-bit revision', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(toEsdbExpectedRevision(n)).toBe(BigInt(n));
      }),
    );
  });
});

describe('checkpoints ("<commit>:<prepare>")', () => {
  it('decode what they encode, for any $all position', () => {
    fc.assert(
      fc.property(position, (p) => {
        expect(decodeCheckpoint(encodeCheckpoint(p))).toEqual(p);
      }),
    );
  });

  it('encode what they decode, so a stored checkpoint is resumed byte for byte', () => {
    fc.assert(
      fc.property(position, (p) => {
        const text = encodeCheckpoint(p);
        expect(encodeCheckpoint(decodeCheckpoint(text))).toBe(text);
      }),
    );
  });

  it('order like the positions they stand for', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const lexical = a.commit === b.commit ? Math.sign(Number(a.prepare - b.prepare)) : a.commit < b.commit ? -1 : 1;
        expect(comparePositions(decodeCheckpoint(encodeCheckpoint(a)), decodeCheckpoint(encodeCheckpoint(b)))).toBe(
          lexical,
        );
      }),
    );
  });

  it.each([
    '',
    '12',
    '12:',
    ':12',
    '-1:0',
    '01:2',
    '1:2:3',
    'a:b',
    '1.5:2',
    ' 1:2',
    '7',
  ])('refuse %j: another store’s checkpoint or a damaged one must not silently restart a projection', (text) => {
    expect(() => decodeCheckpoint(text)).toThrow(TypeError);
  });

  it('give the commit position as the global position', () => {
    expect(globalPositionOf({ commit: 9_007_199_254_740_991n, prepare: 0n })).toBe(Number.MAX_SAFE_INTEGER);
    expect(globalPositionOf({ commit: 1234n, prepare: 1200n })).toBe(1234);
  });
});

describe('the envelope in record metadata', () => {
  it('reads back every sealed event unchanged, so the hash chain still verifies', () => {
    fc.assert(
      fc.property(sealedStream, (sealed) => {
        const read = sealed.map((e, i) => fromRecordedEvent(recordOf(e, BigInt(1000 + i)), 1000 + i));
        expect(read).toEqual(sealed.map((e, i) => ({ ...e, globalPosition: 1000 + i })));
        expect(verifyStream('problem-42', read).ok).toBe(true);
      }),
    );
  });

  it("keeps EventStoreDB's own $correlationId and $causationId beside banshishi's fields", () => {
    fc.assert(
      fc.property(sealedStream, (sealed) => {
        for (const e of sealed) {
          const data = toEventData(e);
          expect(data.contentType).toBe('application/json');
          expect(data.metadata).toMatchObject({
            $correlationId: e.correlationId,
            $causationId: e.causationId,
            revision: e.revision,
            hash: e.hash,
            prevHash: e.prevHash,
          });
        }
      }),
    );
  });

  it('uses a UUID event id as the record id, and a stable UUID derived from any other id', () => {
    const id = '5A0E8C4E-6F3B-4C1D-9D2A-0123456789AB';
    expect(esdbEventIdOf(id)).toBe(id.toLowerCase());
    expect(esdbEventIdOf('e-1')).toBe(uuidFromName('banshishi/esdb-event-id\u0000e-1'));
    expect(esdbEventIdOf('e-1')).toBe(esdbEventIdOf('e-1'));
    expect(esdbEventIdOf('e-1')).not.toBe(esdbEventIdOf('e-2'));
  });

  it('lets verifyStream catch a payload altered in the store', () => {
    fc.assert(
      fc.property(sealedStream, fc.nat(), (sealed, pick) => {
        const i = pick % sealed.length;
        const read = sealed.map((e, j) => {
          const record = recordOf(e, BigInt(j));
          return fromRecordedEvent(j === i ? { ...record, data: { altered: true } } : record, j);
        });
        expect(verifyStream('problem-42', read)).toMatchObject({ ok: false, revision: i, reason: 'hash_mismatch' });
      }),
    );
  });

  it('reports the revision the record really has, so an event copied elsewhere in a stream does not verify', () => {
    const [first, second] = sealEvents('wish-1', null, [event('a'), event('b')], 'T');
    const moved = fromRecordedEvent({ ...recordOf(second!, 2n), revision: 5n }, 2);
    expect(moved.revision).toBe(5);
    expect(verifyStream('wish-1', [fromRecordedEvent(recordOf(first!, 1n), 1), moved]).ok).toBe(false);
  });

  it('refuses a record that is not a banshishi event, naming the field', () => {
    const [sealed] = sealEvents('wish-1', null, [event('a')], 'T');
    const record = recordOf(sealed!, 1n);
    const metadata = record.metadata as Record<string, unknown>;
    const rule = storeRules.undecodableEvent;
    expectRefusal(() => fromRecordedEvent({ ...record, metadata: undefined }, 1), rule, 'integrity');
    expectRefusal(() => fromRecordedEvent({ ...record, metadata: { ...metadata, hash: 7 } }, 1), rule, 'integrity');
    expectRefusal(
      () => fromRecordedEvent({ ...record, metadata: { ...metadata, actor: { personId: 'p', role: 'king' } } }, 1),
      rule,
      'integrity',
    );
    expect(() => fromRecordedEvent({ ...record, metadata: { ...metadata, schemaVersion: '1' } }, 1)).toThrow(
      /metadata\.schemaVersion/,
    );
    const binary = { ...record, isJson: false, data: new Uint8Array([1]) } as unknown as JSONRecordedEvent;
    expectRefusal(() => fromRecordedEvent(binary, 1), rule, 'integrity');
  });

  it('refuses a record whose id is not the one derived from the envelope’s event id', () => {
    const [sealed] = sealEvents('wish-1', null, [event('a')], 'T');
    const record = { ...recordOf(sealed!, 1n), id: esdbEventIdOf('b') };
    expectRefusal(() => fromRecordedEvent(record, 1), storeRules.undecodableEvent, 'integrity');
  });
});

describe('system events', () => {
  it.each([
    ['$stats-127.0.0.1:2113', '$statsCollected'],
    ['$$problem-1', '$metadata'],
    ['$projections-$all', '$ProjectionsInitialized'],
    ['$ce-problem', '$>'],
    ['problem-1', '$>'],
  ])('%s / %s is EventStoreDB’s own and never delivered', (stream, type) => {
    expect(isSystemEvent(stream, type)).toBe(true);
  });

  it.each([
    ['problem-1', 'ProblemClaimed'],
    ['wish-a$b', 'WishCollected'],
  ])('%s / %s is banshishi’s', (stream, type) => {
    expect(isSystemEvent(stream, type)).toBe(false);
  });

  it('selects categories by the part of the stream id before the first dash', () => {
    const wanted = inCategories(['problem', 'unit']);
    expect(['problem-1', 'problem-1-2', 'unit-x', 'problem'].every(wanted)).toBe(true);
    expect(['problems-1', 'wish-1', 'prob-1', 'unitx-1'].some(wanted)).toBe(false);
    expect(inCategories(undefined)('anything')).toBe(true);
  });

  it('wakes live subscribers with a server-side stream-name filter that never misses a category', () => {
    expect(liveFilter('', ['problem', 'wish'])).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['problem', 'wish'],
    });
    expect(liveFilter('city/', ['wish'])).toMatchObject({ prefixes: ['city/wish'] });
    expect(liveFilter('city/', undefined)).toMatchObject({ prefixes: ['city/'] });
    const all = liveFilter('', undefined);
    expect(all).toMatchObject({ filterOn: 'streamName' });
    const regex = new RegExp((all as { regex: string }).regex);
    expect(regex.test('problem-1')).toBe(true);
    expect(regex.test('$stats-1')).toBe(false);
  });
});

describe('namespaces and id claims', () => {
  it('store a namespaced stream under a prefix and read it back under its own id', () => {
    const names = streamNames('qingdao');
    expect(names.physical('problem-1')).toBe('qingdao/problem-1');
    expect(names.logical('qingdao/problem-1')).toBe('problem-1');
    expect(names.logical('jiaozhou/problem-1')).toBeNull();
    expect(names.logical(names.claim('e-1'))).toBeNull();
    expect(streamNames(undefined).logical('problem-1')).toBe('problem-1');
    expect(streamNames(undefined).logical(streamNames(undefined).claim('e-1'))).toBeNull();
  });

  it.each(['', '$x', 'a/b'])('refuse the namespace %j', (namespace) => {
    expect(() => streamNames(namespace)).toThrow(TypeError);
  });

  it('give the same claim record for the same stream and id, and a different one for another stream', () => {
    expect(claimRecord('problem-1', 'e').id).toBe(claimRecord('problem-1', 'e').id);
    expect(claimRecord('problem-2', 'e').id).not.toBe(claimRecord('problem-1', 'e').id);
  });
});

describe('client errors as the port’s', () => {
  it('turns WrongExpectedVersionError into conflict / store.wrong_expected_revision, with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'problem-1', expected: 3n, current: 5n });
    expect(isWrongExpectedVersion(error)).toBe(true);
    const mapped = toWrongExpectedRevision('problem-1', 3, error);
    expect(mapped).toBeInstanceOf(BanshishiError);
    expect(mapped.code).toBe('conflict');
    expect(mapped.rule).toBe(storeRules.wrongExpectedRevision);
    expect(mapped.details).toEqual({ streamId: 'problem-1', expected: '3', actual: '5' });
  });

  it('reports a missing stream as no_stream', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'wish-1',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toWrongExpectedRevision('wish-1', 'stream_exists', error).details).toMatchObject({ actual: 'no_stream' });
  });

  it('recognises the error the client builds from a gRPC failure', () => {
    const metadata = {
      exception: ErrorType.WRONG_EXPECTED_VERSION,
      'stream-name': 'problem-1',
      'expected-version': '0',
      'actual-version': '2',
    };
    const grpcError = Object.assign(new Error('wrong expected version'), {
      code: 9,
      details: 'wrong expected version',
      metadata: { getMap: () => metadata },
    });
    const converted = convertToCommandError(grpcError);
    expect(isWrongExpectedVersion(converted)).toBe(true);
    expect(toWrongExpectedRevision('problem-1', 0, converted as WrongExpectedVersionError).details).toMatchObject({
      actual: '2',
    });
  });

  it('recognises the errors of another copy of the client by their type tag', () => {
    expect(isWrongExpectedVersion({ type: 'wrong-expected-version', actualVersion: 1n })).toBe(true);
    expect(isStreamNotFound({ type: 'stream-not-found' })).toBe(true);
  });

  it('tells a missing stream (read as empty) from a deleted one (an error)', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'problem-1'))).toBe(true);
    expect(isStreamNotFound(StreamDeletedError.fromStreamName('problem-1'))).toBe(false);
    expect(isWrongExpectedVersion(new StreamNotFoundError(undefined, 'problem-1'))).toBe(false);
    expect(isStreamNotFound(new Error('stream not found'))).toBe(false);
  });
});

function event(id: string): NewEvent {
  return {
    eventId: uuidFromName(id),
    type: 'WishCollected',
    schemaVersion: 1,
    data: { id },
    occurredAt: '2026-11-22T08:00:00.000Z',
    actor: { personId: 'p-1', role: 'grid_worker' },
    correlationId: uuidFromName(`c-${id}`),
    causationId: uuidFromName(`c-${id}`),
  };
}
