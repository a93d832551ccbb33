import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkInRecordOf, distanceMeters } from './check-in.js';
import { ItemOrigin, originStreamId } from './origin.js';

describe('located check-ins', () => {
  it('measures great-circle distance: one thousandth of a degree of latitude is about 111 m', () => {
    expect(distanceMeters('36.270100,120.033300', '36.271100,120.033300')).toBeCloseTo(111.2, 0);
    expect(distanceMeters('36.270100,120.033300', '36.270100,120.033300')).toBe(0);
    expect(distanceMeters('not a point', '36.270100,120.033300')).toBeUndefined();
  });

  it('records a check-in near, far or unchecked against the registered location, and never refuses one', () => {
    const home = '36.270100,120.033300';
    expect(checkInRecordOf({ position: '36.270900,120.033300' }, home).result).toBe('near');
    expect(checkInRecordOf({ position: '36.280100,120.033300' }, home)).toMatchObject({
      result: 'far',
      thresholdMeters: 200,
    });
    expect(checkInRecordOf({ position: '36.270900,120.033300' }, home, 50).result).toBe('far');
    expect(checkInRecordOf({ position: home }, null).result).toBe('unchecked');
    // A forgotten location is no longer a point: there is nothing to compare with.
    expect(checkInRecordOf({ position: home }, 'sealed:forgotten').result).toBe('unchecked');
  });

  it('keeps the position and no distance, which with the result would place the visitor', () => {
    const record = checkInRecordOf({ position: '36.270900,120.033300', accuracyMeters: 12 }, '36.270100,120.033300');
    expect(Object.keys(record).sort()).toEqual(['accuracyMeters', 'position', 'result', 'thresholdMeters']);
  });
});

describe('item origins', () => {
  it('decode the three kinds and name the stream they link to', () => {
    const decoded = ItemOrigin.decode({ kind: 'enterprise_service', enterpriseId: 'E-0001', contactId: 'C-1' });
    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded)) expect(originStreamId(decoded.right)).toBe('service-E-0001');
    expect(originStreamId({ kind: 'pairing', pairingId: 'PR-1' })).toBe('pairing-PR-1');
    expect(originStreamId({ kind: 'visit', visitId: 'V-1' })).toBe('visit-V-1');
  });

  it('refuse an unknown kind and an id that could not be part of a stream id', () => {
    expect(E.isLeft(ItemOrigin.decode({ kind: 'rumour', visitId: 'V-1' }))).toBe(true);
    expect(E.isLeft(ItemOrigin.decode({ kind: 'visit', visitId: 'a/b' }))).toBe(true);
  });
});
