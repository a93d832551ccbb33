// A tiny projection for testing the runtime on its own: tallies `Tallied` events per counter stream.
import { randomUUID } from 'node:crypto';
import { createEventRegistry, defineEvent, type EventOf, type NewEvent } from '@banshishi/core';
import { defineProjection } from '@banshishi/read-models';
import * as t from 'io-ts';
import { sql } from 'kysely';

export const Tallied = defineEvent('Tallied', t.type({ by: t.number }));
export const Renamed = defineEvent('Renamed', t.type({ label: t.string }));
export const toyRegistry = createEventRegistry([Tallied, Renamed]);
export type ToyEvent = EventOf<typeof Tallied> | EventOf<typeof Renamed>;

export interface ToyTables {
  counters: { id: string; total: number; events: number; label: string | null; last_position: number };
}

/** Version 2 counts double, so tests can tell which build a reader sees. */
export const toyProjection = (version = 1) =>
  defineProjection<ToyEvent, ToyTables>({
    name: 'toy',
    version,
    categories: ['counter'],
    events: toyRegistry,
    tables: {
      counters: async (db) => {
        await db.schema
          .createTable('counters')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('total', 'bigint', (c) => c.notNull())
          .addColumn('events', 'integer', (c) => c.notNull())
          .addColumn('label', 'text')
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    async apply(trx, events) {
      for (const e of events) {
        const id = e.streamId;
        const by = e.type === 'Tallied' ? e.data.by * version : 0;
        const label = e.type === 'Renamed' ? e.data.label : null;
        await trx
          .insertInto('counters')
          .values({ id, total: by, events: 1, label, last_position: e.globalPosition })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              total: eb('counters.total', '+', by),
              events: eb('counters.events', '+', 1),
              label: label === null ? eb.ref('counters.label') : sql<string>`${label}`,
              last_position: e.globalPosition,
            })),
          )
          .execute();
      }
    },
  });

let sequence = 0;
export const toyEvent = (event: ToyEvent): NewEvent => {
  sequence++;
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
    actor: { personId: 'tester', role: 'system' },
    correlationId: 'c',
    causationId: 'c',
  };
};
