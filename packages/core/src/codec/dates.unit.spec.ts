import { describe, expect, it } from 'vitest';
import { isIsoTimestamp } from './dates.js';

describe('ISO-8601 timestamps with an offset', () => {
  it.each([
    '2026-12-01T09:30:00+08:00',
    '2026-12-01T01:30:00Z',
    '2026-12-01T01:30Z',
    '2026-12-01T01:30:00.123456Z',
    '2024-02-29T00:00:00-05:00',
  ])('accepts %s', (value) => expect(isIsoTimestamp(value)).toBe(true));

  it.each([
    '',
    'soon',
    'tomorrow',
    '2026-12-01',
    '2026-12-01T09:30:00',
    '2026-12-01 09:30:00+08:00',
    '2026-13-01T09:30:00Z',
    '2026-02-30T09:30:00Z',
    '2025-02-29T09:30:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T09:60:00Z',
    '2026-12-01T09:30:00+15:00',
    '0000-12-01T09:30:00Z',
    ' 2026-12-01T09:30:00Z',
  ])('refuses %j', (value) => expect(isIsoTimestamp(value)).toBe(false));

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 0, Date.now(), new Date(), {}]) expect(isIsoTimestamp(value)).toBe(false);
  });
});
