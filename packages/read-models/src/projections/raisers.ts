// Who raised each item, by pseudonymous person id: what "my items" (我的诉求) reads for a resident or an
// enterprise. NOT a public table — the board never reads it, and the 公示 tables keep holding no raiser
// (docs/privacy.md, "Read models"). It holds ids only: no name, phone, address or text of the raiser.
import { createEventRegistry, type ProblemEvent, problemEvents, type WishEvent, wishEvents } from '@banshishi/core';
import type { Transaction } from 'kysely';
import { defineProjection, type Projected } from '../runtime/projection.js';
import { upsertRows } from './rows.js';

export interface ItemRaisersTable {
  item_kind: 'problem' | 'wish';
  item_id: string;
  /** The resident's person id or the enterprise's id (problems), the wisher's person id (wishes). */
  raiser_id: string;
}

export interface RaiserTables {
  item_raisers: ItemRaisersTable;
}

/** Tables that are not public: readable by the API for the person concerned, never shown on the board. */
export const nonPublicTables: readonly string[] = ['item_raisers'];

type RaiserEvent = ProblemEvent | WishEvent;
// Only the first event of an item names its raiser; the rest of the log is skipped before decoding.
const raisingEvents = new Set(['ProblemSolicited', 'WishCollected']);
const registry = createEventRegistry(
  [...problemEvents, ...wishEvents].filter((definition) => raisingEvents.has(definition.type)),
);

/** The row for an item's first event, when its raiser is someone the directory knows. */
export const raiserRow = (event: Projected<RaiserEvent>): ItemRaisersTable | undefined => {
  if (event.type === 'ProblemSolicited') {
    const raiser = event.data.raiser;
    const raiserId = raiser?.kind === 'resident' ? raiser.personId : raiser?.enterpriseId;
    return raiserId === undefined
      ? undefined
      : { item_kind: 'problem', item_id: event.data.problemId, raiser_id: raiserId };
  }
  if (event.type === 'WishCollected') {
    const personId = event.data.wisher.personId;
    return personId === null ? undefined : { item_kind: 'wish', item_id: event.data.wishId, raiser_id: personId };
  }
  return undefined;
};

export const raisersProjection = defineProjection<RaiserEvent, RaiserTables>({
  name: 'raisers',
  version: 1,
  categories: ['problem', 'wish'],
  events: registry,
  tables: {
    item_raisers: async (db) => {
      await db.schema
        .createTable('item_raisers')
        .addColumn('item_kind', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('raiser_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_raisers_pk', ['item_kind', 'item_id'])
        .execute();
      await db.schema
        .createIndex('item_raisers_raiser')
        .on('item_raisers')
        .columns(['raiser_id', 'item_kind'])
        .execute();
    },
  },
  async apply(trx, events, build) {
    const rows = new Map<string, ItemRaisersTable>();
    for (const event of events) {
      const row = raiserRow(event);
      if (row !== undefined) rows.set(`${row.item_kind}/${row.item_id}`, row);
    }
    await upsertRows(
      { trx: trx as unknown as Transaction<unknown>, schema: build.schema },
      'item_raisers',
      ['item_kind', 'item_id'],
      [...rows.values()],
    );
  },
});
