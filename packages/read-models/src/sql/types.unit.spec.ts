import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timestamptzToIso, toIso } from './types.js';

// How PostgreSQL prints a timestamptz in a UTC session: fractional seconds only when not zero, up to six digits.
const printed = fc
  .tuple(
    fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined }),
  )
  .map(([d, frac]) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}${frac ? `.${frac}` : ''}+00`);

describe('reading timestamptz text', () => {
  it('the UTC shortcut gives what the general parse gives, for any moment and precision', () => {
    fc.assert(
      fc.property(printed, (text) => {
        expect(timestamptzToIso(text)).toBe(toIso(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('other offsets and special values take the general path', () => {
    expect(timestamptzToIso('2021-06-01 08:00:00+08')).toBe('2021-06-01T00:00:00.000Z');
    expect(timestamptzToIso('2021-06-01 08:00:00.5+05:30')).toBe('2021-06-01T02:30:00.500Z');
    expect(timestamptzToIso('2021-06-01 23:59:59.999999+00')).toBe('2021-06-01T23:59:59.999Z');
    expect(timestamptzToIso('infinity')).toBe('infinity');
  });
});
