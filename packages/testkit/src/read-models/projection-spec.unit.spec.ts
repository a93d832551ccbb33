// The projection specification itself, on the toy projection: what it checks, and that a projection whose
// rows depend on how the log is cut into batches fails it.
import { type DomainEvent, getInMemoryEventStore, type PositionedEvent } from '@banshishi/core';
import { defineProjection, openReadModels } from '@banshishi/read-models';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionSpecification } from './projection-spec.js';
import { Tallied, toyEvent, toyProjection, toyRegistry } from './toy.js';

const tally = (by: number) => toyEvent({ type: Tallied.type, data: { by } });

/** Counts the batches it is handed: wrong on purpose, its rows depend on where the log is cut. */
const batchCounter = defineProjection<DomainEvent, { batches: { n: number } }>({
  name: 'batch_counter',
  version: 1,
  categories: ['counter'],
  events: toyRegistry,
  tables: {
    batches: async (db) => {
      await db.schema.createTable('batches').addColumn('n', 'integer').execute();
    },
  },
  async apply(trx) {
    const { count } = await trx
      .selectFrom('batches')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('batches')
      .values({ n: Number(count) + 1 })
      .execute();
  },
});

describe('projection specification', () => {
  let pglite: PGlite;
  let schemas = 0;
  const fresh = () => openReadModels({ kind: 'pglite', pglite }, `spec${++schemas}`);
  let events: readonly PositionedEvent[];

  beforeAll(async () => {
    pglite = new PGlite();
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2)], { expectedRevision: 'no_stream' });
    await store.append('counter-b', [tally(5)], { expectedRevision: 'no_stream' });
    events = (await store.readAll()).events;
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('given events, then the rows of the tables named, the same when delivered twice or in two batches', async () => {
    const { given } = projectionSpecification({ readModels: fresh, projections: [toyProjection()] });
    await given(events, { batchSize: 1 }).then({
      counters: [
        { id: 'counter-b', total: 5, events: 1, label: null, last_position: 3 },
        { id: 'counter-a', total: 3, events: 2, label: null, last_position: 2 },
      ],
    });
    await given(events).then(async (readModels, rows) => {
      expect(readModels.schema).toMatch(/^spec\d+$/);
      expect(rows.counters).toHaveLength(2);
    });
  });

  it('rows that differ from the expected ones fail the specification, naming the table', async () => {
    const { given } = projectionSpecification({ readModels: fresh, projections: [toyProjection()] });
    await expect(given(events).then({ counters: [] })).rejects.toThrow(/counters/);
  });

  it('a projection whose rows depend on where the log is cut fails the specification', async () => {
    const { given } = projectionSpecification({ readModels: fresh, projections: [batchCounter] });
    await expect(given(events, { batchSize: 1 }).then({})).rejects.toThrow(/the log in two batches/);
  });
});
