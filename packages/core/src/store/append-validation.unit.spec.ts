// The one validation every store runs before an append touches anything: limits as options, the byte
// measure, and the inputs JSON or a store cannot carry faithfully. The shared conformance suite checks the
// same refusals against every adapter; this file checks the edges of the rules themselves.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../envelope.js';
import { BanshishiError, storeRules } from '../errors.js';
import { assertValidAppend, defaultAppendLimits } from './append-validation.js';
import { getInMemoryEventStore } from './in-memory.js';

const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  type: 'Thing',
  schemaVersion: 1,
  data: { n: 1 },
  occurredAt: '2026-12-01T09:30:00+08:00',
  actor: { personId: 'person-1', role: 'secretary', unitId: 'unit-7' },
  correlationId: 'corr',
  causationId: 'cause',
  ...overrides,
});

const refusalOf = (attempt: () => unknown): BanshishiError => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof BanshishiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const ruleAndPath = (error: BanshishiError) => [
  error.rule,
  ((error.details?.fields ?? []) as { path: string }[]).map((f) => f.path),
];

describe('append validation', () => {
  it('an event whose UTF-8 JSON is exactly maxEventBytes is accepted, one byte more is event_too_large', () => {
    // Multi-byte text, a surrogate pair, escapes and control characters count as JSON.stringify writes them.
    const fits = event({ data: { note: '办😀"\\\n\u0001é', list: [1.5, -0, true, null] } });
    const limit = new TextEncoder().encode(JSON.stringify(fits)).length;
    expect(() => assertValidAppend('problem-1', [fits], 'any', { maxEventBytes: limit })).not.toThrow();
    const over = refusalOf(() => assertValidAppend('problem-1', [fits], 'any', { maxEventBytes: limit - 1 }));
    expect(ruleAndPath(over)).toEqual([storeRules.eventTooLarge, ['events[0]']]);
  });

  it('the limits default to 256 characters of stream id and 1 MiB per event, and are options of every store', async () => {
    expect(defaultAppendLimits).toEqual({ maxStreamIdLength: 256, maxEventBytes: 1_048_576 });
    const store = getInMemoryEventStore({ maxStreamIdLength: 12, maxEventBytes: 300 });
    const long = await store.append('problem-1234', [event()], { expectedRevision: 'any' });
    expect(long.firstRevision).toBe(0);
    await expect(store.append('problem-12345', [], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'validation',
      rule: storeRules.invalidStreamId,
    });
    await expect(
      store.append('problem-2', [event({ data: { text: 'x'.repeat(300) } })], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({ code: 'validation', rule: storeRules.eventTooLarge });
    expect(store.log).toHaveLength(1);
  });

  it('data JSON cannot carry faithfully is refused as store.invalid_data naming the field', () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = { back: cyclic };
    const cases: [unknown, string][] = [
      [{ when: new Date(0) }, 'events[0].data.when'],
      [{ big: 1n }, 'events[0].data.big'],
      [{ list: [1, undefined] }, 'events[0].data.list[1]'],
      [{ ratio: Number.NaN }, 'events[0].data.ratio'],
      [{ f: () => 1 }, 'events[0].data.f'],
      [cyclic, 'events[0].data.self.back'],
      [undefined, 'events[0].data'],
    ];
    for (const [data, path] of cases) {
      expect(ruleAndPath(refusalOf(() => assertValidAppend('problem-1', [event({ data })], 'any')))).toEqual([
        storeRules.invalidData,
        [path],
      ]);
    }
  });

  it('a shared sub-value is JSON, and a deeply nested payload is walked without overflowing the stack', () => {
    const shared = { a: 1 };
    expect(() => assertValidAppend('problem-1', [event({ data: { x: shared, y: shared } })], 'any')).not.toThrow();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => assertValidAppend('problem-1', [event({ data: deep })], 'any')).not.toThrow();
  });

  it('an actor that is not { personId, role, unitId? } is refused as store.invalid_actor naming the field', () => {
    const cases: [unknown, string][] = [
      [null, 'events[0].actor'],
      [{ personId: '', role: 'office' }, 'events[0].actor.personId'],
      [{ personId: 'p', role: 'mayor' }, 'events[0].actor.role'],
      [{ personId: 'p', role: 'office', unitId: 7 }, 'events[0].actor.unitId'],
      [{ personId: 'p', role: 'office', name: '张三' }, 'events[0].actor.name'],
    ];
    for (const [actor, path] of cases) {
      const error = refusalOf(() =>
        assertValidAppend('problem-1', [event({ actor: actor as NewEvent['actor'] })], 'any'),
      );
      expect(ruleAndPath(error)).toEqual([storeRules.invalidActor, [path]]);
    }
  });

  it('an event that is not an envelope, or an envelope field of the wrong type, is refused naming the field', () => {
    const cases: [unknown, string, string][] = [
      [[null], storeRules.invalidEvent, 'events[0]'],
      [[event({ eventId: '' })], storeRules.invalidEventId, 'events[0].eventId'],
      [[event({ correlationId: 7 as unknown as string })], storeRules.invalidEvent, 'events[0].correlationId'],
      [[event({ causationId: undefined as unknown as string })], storeRules.invalidEvent, 'events[0].causationId'],
      ['not a list', storeRules.invalidEvent, 'events'],
    ];
    for (const [events, rule, path] of cases) {
      const error = refusalOf(() => assertValidAppend('problem-1', events as NewEvent[], 'any'));
      expect(ruleAndPath(error)).toEqual([rule, [path]]);
      expect(error.code).toBe('validation');
    }
  });
});
