// The stored shape of wish events: personal data marked in the codecs, and a round trip through the
// registry that writes exactly the declared fields.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { personalFields, personalValues } from '../codec/personal.js';
import type { StoredEvent } from '../envelope.js';
import {
  WishCollected,
  WishConfirmed,
  type WishEvent,
  WishShowcased,
  wishEventRegistry,
  wishEvents,
  wishStreamId,
} from './events.js';

const collected: WishEvent = {
  type: 'WishCollected',
  data: {
    wishId: 'w-1',
    unitId: 'u-jz-g1',
    category: 'work',
    description: '想找一份离家近的工作',
    consent: 'named',
    wisher: { personId: null, name: '刘伟', phone: '13900002222', address: '北关社区5号' },
    collector: { personId: 'p-gw', role: 'grid_worker', unitId: 'u-jz-g1' },
  },
};

const storedAs = (event: {
  type: string;
  schemaVersion: number;
  data: unknown;
}): Parameters<typeof wishEventRegistry.decode>[0] =>
  ({
    ...event,
    streamId: wishStreamId('w-1'),
    revision: 0,
    occurredAt: '2026-11-22T09:00:00.000Z',
    actor: { personId: 'p-gw', role: 'grid_worker' },
  }) satisfies Partial<StoredEvent>;

describe('wish events', () => {
  it('live in the stream wish-<wishId>', () => {
    expect(wishStreamId('w-1')).toBe('wish-w-1');
  });

  it('the wisher’s name, phone and address are marked personal; the collector, acting in role, is public', () => {
    expect(personalFields(WishCollected.codec)).toEqual([
      { path: 'wisher.name', kind: 'name' },
      { path: 'wisher.phone', kind: 'phone' },
      { path: 'wisher.address', kind: 'address' },
    ]);
    expect(personalValues(WishCollected.codec, collected.data)).toEqual(['刘伟', '13900002222', '北关社区5号']);
  });

  it('the wisher’s comment at confirmation is marked personal', () => {
    expect(personalFields(WishConfirmed.codec)).toEqual([{ path: 'comment', kind: 'free_text_contact' }]);
  });

  it('a showcase holds nothing personal: only a masked name, by design', () => {
    expect(personalFields(WishShowcased.codec)).toEqual([]);
  });

  it('every event type is registered once; those with personal fields are sealed from version 2', () => {
    const sealed = ['WishCollected', 'WishConfirmed', 'WishReopened'];
    expect(wishEvents.map((d) => [d.type, d.schemaVersion, d.sealedSince])).toEqual(
      wishEvents.map((d) => (sealed.includes(d.type) ? [d.type, 2, 2] : [d.type, 1, undefined])),
    );
    expect(new Set(wishEvents.map((d) => d.type)).size).toBe(wishEvents.length);
  });

  it('encoding writes exactly the declared fields, and reads back to the same event', () => {
    const sneaky = { ...collected, data: { ...collected.data, idNumber: '370281199001011234' } } as WishEvent;
    const encoded = wishEventRegistry.encode(sneaky);
    expect(encoded.data).not.toHaveProperty('idNumber');
    expect(wishEventRegistry.decode(storedAs(encoded))).toEqual(E.right(collected));
  });

  it('a stored event that no longer decodes is reported with its stream, revision and field', () => {
    const result = wishEventRegistry.decode(
      storedAs({ type: 'WishCollected', schemaVersion: 1, data: { ...collected.data, consent: 'maybe' } }),
    );
    expect(result).toMatchObject({
      left: { code: 'integrity', details: { streamId: 'wish-w-1', revision: 0, fields: ['data.consent'] } },
    });
  });
});
