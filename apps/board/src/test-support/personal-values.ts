// Every resident's personal value in a board's log, read through the `personal(...)` marks of core's
// problem, wish, pairing, visit and enterprise-service codecs (raisers' names, phones, addresses, their own
// descriptions and comments, wishers' details, paired and visited households' details and locations, visit
// diaries and notes, check-in positions, enterprises' contact persons and needs): the strings no export, feed or
// page may ever contain.
import {
  type EventStore,
  type PersonalDataSealer,
  pairingEvents,
  personalValues,
  problemEvents,
  serviceEvents,
  visitEvents,
  wishEvents,
} from '@banshishi/core';
import type * as t from 'io-ts';
import { readWholeLog } from './crafted-residents.js';

const codecs = new Map<string, t.Mixed>(
  [...problemEvents, ...wishEvents, ...pairingEvents, ...visitEvents, ...serviceEvents].map((d) => [
    d.type,
    d.codec as t.Mixed,
  ]),
);

/** Read revealed, with the board's own sealer: the log itself holds them sealed. */
export const residentPersonalValues = async (
  store: Pick<EventStore, 'readAll'>,
  personalData: PersonalDataSealer,
): Promise<string[]> => {
  const found = new Set<string>();
  for (const event of await readWholeLog(store as EventStore, personalData)) {
    const codec = codecs.get(event.type);
    if (codec !== undefined) for (const value of personalValues(codec, event.data)) found.add(value);
  }
  // Very short values (a one-character comment, say) would match by chance; none of the demo's are.
  return [...found].filter((v) => v.trim().length >= 2);
};
