// A plain event for store specs: a `Thing` carrying `{ n }`, with a fresh id on every call, so that specs
// appending many of them never collide, within a file or across runs on one database.
import { type NewEvent, uuidFromName } from '@banshishi/core';

export const thingEvents = (label: string) => {
  let counter = 0;
  return (n: number): NewEvent => {
    counter += 1;
    return {
      eventId: uuidFromName(`${label}/${Date.now()}/${counter}`),
      type: 'Thing',
      schemaVersion: 1,
      data: { n },
      occurredAt: '2024-05-01T00:00:00.000Z',
      actor: { personId: 'p-1', role: 'system' },
      correlationId: 'c',
      causationId: 'c',
    };
  };
};
