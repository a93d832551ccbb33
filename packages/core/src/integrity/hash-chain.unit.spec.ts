import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewEvent, SealedEvent } from '../envelope.js';
import { canonicalEncode } from './canonical.js';
import { genesisHash, hashInput, hashOf, type Sha256Hex, sealEvents, sha256Hex, verifyStream } from './hash-chain.js';

const newEvent = fc.record({
  eventId: fc.uuid(),
  type: fc.constantFrom('ProblemSolicited', 'ProblemClaimed', 'WishCollected'),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  data: fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  occurredAt: fc
    .date({ min: new Date('2021-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.record({
    personId: fc.string({ minLength: 1, maxLength: 8 }),
    role: fc.constantFrom('resident' as const, 'secretary' as const),
  }),
  correlationId: fc.uuid(),
  causationId: fc.uuid(),
}) satisfies fc.Arbitrary<NewEvent>;

const stream = fc
  .array(newEvent, { minLength: 1, maxLength: 12 })
  .map((events) => sealEvents('problem-1', null, events, '2026-11-22T08:00:00.000Z'));

/** What a store keeps for one event, as text: the canonical encoding of the sealed record. */
const asStoredText = (event: SealedEvent) => canonicalEncode(event);

describe('hash chain (docs/architecture.md, "Hash chain")', () => {
  it('seals revisions from 0 with each event linked to the previous hash', () => {
    fc.assert(
      fc.property(stream, (events) => {
        expect(events[0]!.prevHash).toBe(genesisHash);
        events.forEach((e, i) => {
          expect(e.revision).toBe(i);
          expect(e.hash).toBe(hashOf(e));
          if (i > 0) expect(e.prevHash).toBe(events[i - 1]!.hash);
        });
        expect(verifyStream('problem-1', events)).toEqual({
          ok: true,
          head: { revision: events.length - 1, hash: events[events.length - 1]!.hash },
        });
      }),
    );
  });

  it('continues a chain from a stored head exactly as if sealed in one go', () => {
    fc.assert(
      fc.property(fc.array(newEvent, { minLength: 2, maxLength: 10 }), fc.nat(), (events, cut) => {
        const k = 1 + (cut % (events.length - 1));
        const whole = sealEvents('wish-9', null, events, 'T');
        const first = sealEvents('wish-9', null, events.slice(0, k), 'T');
        const last = first[first.length - 1]!;
        const rest = sealEvents('wish-9', { revision: last.revision, hash: last.hash }, events.slice(k), 'T');
        expect([...first, ...rest]).toEqual(whole);
      }),
    );
  });

  it('changing any single byte of any stored event fails verification at that revision', () => {
    let parsedMutations = 0;
    fc.assert(
      fc.property(stream, fc.nat(), fc.nat(), fc.integer({ min: 32, max: 126 }), (events, pick, at, code) => {
        const r = pick % events.length;
        const text = asStoredText(events[r]!);
        const i = at % text.length;
        fc.pre(text.charCodeAt(i) !== code);
        const altered = text.slice(0, i) + String.fromCharCode(code) + text.slice(i + 1);
        let record: unknown;
        try {
          record = JSON.parse(altered);
        } catch {
          // The altered bytes are no longer an event at all: a store cannot hand it back as one.
          return;
        }
        // A byte can change the spelling but not the value (`\u000a` → `\u000A`, `1e+21` → `1E+21`): the
        // event is then still what was written, and its canonical encoding says so.
        // (A change that makes a number overflow to Infinity has no canonical encoding at all: verify it.)
        let respelled: string | null = null;
        try {
          respelled = canonicalEncode(record);
        } catch {}
        if (respelled === text) return;
        parsedMutations++;
        const tampered = events.map((e, j) => (j === r ? (record as SealedEvent) : e));
        const result = verifyStream('problem-1', tampered);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.revision).toBe(r);
      }),
      { numRuns: 2000 },
    );
    // Most single-byte changes keep valid JSON (they land inside strings and hashes): the check is real.
    expect(parsedMutations).toBeGreaterThan(1000);
  });

  it('dropping any event fails verification at its revision (the last one, against the recorded head)', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (events, pick) => {
        const r = pick % events.length;
        const last = events[events.length - 1]!;
        const dropped = events.filter((_, j) => j !== r);
        const result = verifyStream('problem-1', dropped, { revision: last.revision, hash: last.hash });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.revision).toBe(r);
      }),
    );
  });

  it('swapping any two events fails verification at the earlier revision', () => {
    fc.assert(
      fc.property(
        stream.filter((s) => s.length >= 2),
        fc.nat(),
        fc.nat(),
        (events, a, b) => {
          const i = a % events.length;
          const j = b % events.length;
          fc.pre(i !== j);
          const swapped = [...events];
          swapped[i] = events[j]!;
          swapped[j] = events[i]!;
          const result = verifyStream('problem-1', swapped);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.revision).toBe(Math.min(i, j));
        },
      ),
    );
  });

  it('an event copied from another stream is caught even with a valid hash', () => {
    const [a] = sealEvents('problem-2', null, [fc.sample(newEvent, 1)[0]!], 'T');
    const result = verifyStream('problem-1', [a!]);
    expect(result).toMatchObject({ ok: false, revision: 0, reason: 'wrong_stream' });
  });
});

describe('the SHA-256 the chain is computed with', () => {
  // A different function, so a result tells which one was used.
  const salted: Sha256Hex = (text) => sha256Hex(`salt:${text}`);

  it('is the one passed in, for sealing and for verifying alike', () => {
    fc.assert(
      fc.property(fc.array(newEvent, { minLength: 1, maxLength: 6 }), (events) => {
        const sealed = sealEvents('problem-1', null, events, 'T', { sha256: salted });
        for (const e of sealed) expect(e.hash).toBe(salted(hashInput(e)));
        expect(verifyStream('problem-1', sealed, undefined, { sha256: salted }).ok).toBe(true);
        expect(verifyStream('problem-1', sealed)).toMatchObject({ ok: false, revision: 0, reason: 'hash_mismatch' });
      }),
    );
  });

  it('defaults to the portable one, which hashes UTF-8 bytes to lower-case hex', () => {
    // FIPS 180-2 test vector.
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const [sealed] = sealEvents('problem-1', null, [fc.sample(newEvent, 1)[0]!], 'T');
    expect(sealed!.hash).toBe(sha256Hex(hashInput(sealed!)));
  });
});

describe('canonical encoding', () => {
  it('spells a value exactly: keys by UTF-16 code unit, no whitespace, undefined properties left out', () => {
    expect(
      canonicalEncode({ b: [1, -0, 1e21, 'é\n'], a: { z: null, y: undefined, 中: true, Z: false }, '': 0.5 }),
    ).toBe('{"":0.5,"a":{"Z":false,"z":null,"中":true},"b":[1,0,1e+21,"é\\n"]}');
    expect(canonicalEncode([])).toBe('[]');
    expect(canonicalEncode({})).toBe('{}');
    expect(canonicalEncode({ a: undefined })).toBe('{}');
  });

  it('encodes an event for hashing as the canonical encoding of its hashed fields', () => {
    fc.assert(
      fc.property(stream, (events) => {
        for (const event of events) {
          const { hash: _, ...unsealed } = event;
          expect(hashInput(event)).toBe(canonicalEncode(unsealed));
        }
      }),
    );
  });

  it('is independent of key order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = JSON.parse(JSON.stringify(value)) as unknown;
        const shuffled = JSON.parse(
          JSON.stringify(v, (_k, x) =>
            x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x,
          ),
        );
        expect(canonicalEncode(shuffled)).toBe(canonicalEncode(v));
        expect(JSON.parse(canonicalEncode(v))).toEqual(v);
      }),
    );
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalEncode({ a: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalEncode([undefined])).toThrow(/array index 0/);
    expect(() => canonicalEncode({ a: 1n })).toThrow(/bigint/);
  });
});
