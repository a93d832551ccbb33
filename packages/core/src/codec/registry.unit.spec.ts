import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { createEventRegistry, defineEvent } from './registry.js';

// v1 stored a free-text deadline in days; v2 stores the date. Old events stay readable forever.
const deadlineSet = defineEvent('DeadlineSet', t.type({ due: t.string }), {
  schemaVersion: 2,
  upcasters: {
    1: (data, event) => {
      const { days } = data as { days: number };
      return { due: new Date(Date.parse(event.occurredAt) + days * 86_400_000).toISOString().slice(0, 10) };
    },
  },
});
const registry = createEventRegistry([deadlineSet]);
const at = {
  streamId: 'problem-1',
  revision: 3,
  occurredAt: '2026-03-01T08:00:00.000Z',
  actor: { personId: 's', role: 'secretary' as const },
};

describe('event registry and upcasting', () => {
  it('reads a version-1 payload as the current shape', () => {
    expect(registry.decode({ ...at, type: 'DeadlineSet', schemaVersion: 1, data: { days: 7 } })).toEqual(
      E.right({ type: 'DeadlineSet', data: { due: '2026-03-08' } }),
    );
  });

  it('encodes new events at the current version', () => {
    expect(registry.encode({ type: 'DeadlineSet', data: { due: '2026-03-08' } })).toEqual({
      type: 'DeadlineSet',
      schemaVersion: 2,
      data: { due: '2026-03-08' },
    });
  });

  it('never stores a property the event codec does not declare', () => {
    const loose = createEventRegistry([
      defineEvent('Noted', t.type({ note: t.string })),
      defineEvent('Either', t.union([t.type({ a: t.string }), t.type({ b: t.number })])),
    ]);
    const extra = { note: 'x', phone: '13800000000' } as unknown as { note: string };
    expect(loose.encode({ type: 'Noted', data: extra }).data).toEqual({ note: 'x' });
    const either = { a: 'y', idNumber: '370281' } as unknown as { a: string };
    expect(loose.encode({ type: 'Either', data: either }).data).toEqual({ a: 'y' });
  });

  it('names stream, revision and field when a payload does not decode', () => {
    const result = registry.decode({ ...at, type: 'DeadlineSet', schemaVersion: 2, data: { due: 5 } });
    expect(E.isLeft(result) && result.left.message).toMatch(
      /^problem-1@3 \(DeadlineSet v2\): data\.due: expected string/,
    );
  });

  it('refuses unknown types and versions from the future', () => {
    expect(E.isLeft(registry.decode({ ...at, type: 'Nope', schemaVersion: 1, data: {} }))).toBe(true);
    expect(E.isLeft(registry.decode({ ...at, type: 'DeadlineSet', schemaVersion: 3, data: { due: 'x' } }))).toBe(true);
  });
});
