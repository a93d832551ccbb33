import { createEventRegistry, defineEvent, getInMemoryEventStore, type StoredEvent } from '@banshishi/core';
import {
  pgliteReadModels,
  Renamed,
  Tallied,
  type TestReadModels,
  toyEvent,
  toyProjection,
  toyRegistry,
} from '@banshishi/testkit/read-models';
import * as t from 'io-ts';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveBuild } from './builds.js';
import { catchUpTogether } from './catch-up.js';
import type { AnyProjection } from './projection.js';
import type { RetryPolicy } from './retry.js';

const tally = (by: number) => toyEvent({ type: Tallied.type, data: { by } });

/** The toy projection under another name, decoding through `registry` and counting its decodes. */
const countingToy = (name: string, registry: typeof toyRegistry = toyRegistry) => {
  const counted = { decodes: 0 };
  const toy = toyProjection();
  const projection: AnyProjection = {
    ...toy,
    name,
    events: {
      definitions: registry.definitions,
      has: (type: string) => registry.has(type),
      decode: (stored: StoredEvent) => {
        counted.decodes++;
        return registry.decode(stored);
      },
    } as typeof toyRegistry,
  };
  return { projection, counted };
};

const totals = async (rm: TestReadModels, name: string) => {
  const schema = (await liveBuild(rm, name))!.schemaName;
  return (
    await sql<{ id: string; total: number }>`select id, total from ${sql.id(schema, 'counters')} order by id`.execute(
      rm.db,
    )
  ).rows;
};

const noRetry: RetryPolicy = { initialDelayMs: 0, maxDelayMs: 0, maxAttempts: 1, isRetryable: () => false };

describe('catching projections up together', () => {
  let rm: TestReadModels;
  beforeEach(async () => {
    rm = await pgliteReadModels();
  });
  afterEach(async () => {
    await rm.dispose();
  });

  it('decodes each event once for projections whose registries decode its type by the same definition', async () => {
    const store = getInMemoryEventStore();
    for (let i = 0; i < 5; i++)
      await store.append(`counter-${i}`, [tally(i), tally(1)], { expectedRevision: 'no_stream' });
    const a = countingToy('toya');
    const b = countingToy('toyb');
    // The same types by other definitions (alike in shape, but nothing says they decode alike).
    const other = countingToy(
      'toyc',
      createEventRegistry([defineEvent('Tallied', t.type({ by: t.number })), Renamed]) as unknown as typeof toyRegistry,
    );
    const events = await catchUpTogether({
      store,
      readModels: rm,
      projections: [a.projection, b.projection, other.projection],
      batchSize: 3,
    });
    expect(events).toBe(10);
    expect(a.counted.decodes + b.counted.decodes).toBe(10);
    expect(other.counted.decodes).toBe(10);
    const expected = Array.from({ length: 5 }, (_, i) => ({ id: `counter-${i}`, total: i + 1 }));
    expect(await totals(rm, 'toya')).toEqual(expected);
    expect(await totals(rm, 'toyb')).toEqual(expected);
    expect(await totals(rm, 'toyc')).toEqual(expected);
  });

  it('a projection whose batch fails for good takes no later batch, while the others keep theirs, and the catch-up fails', async () => {
    const store = getInMemoryEventStore();
    for (let i = 0; i < 6; i++) await store.append(`counter-${i}`, [tally(1)], { expectedRevision: 'no_stream' });
    const good = countingToy('good');
    const toy = toyProjection();
    const batches: number[][] = [];
    const failing: AnyProjection = {
      ...toy,
      name: 'failing',
      async apply(trx, events, build) {
        batches.push(events.map((e) => e.globalPosition));
        if (batches.length === 2) throw new Error('a bug in the projection');
        await toy.apply(trx, events, build);
      },
    };
    const reported: { projection: string; position: number }[] = [];
    await expect(
      catchUpTogether({
        store,
        readModels: rm,
        projections: [good.projection, failing],
        batchSize: 2,
        retry: noRetry,
        onBatch: (r) => reported.push({ projection: r.projection, position: r.position }),
      }),
    ).rejects.toThrow('a bug in the projection');
    // The failing projection saw its first two batches, never the third, and kept only the first.
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect((await liveBuild(rm, 'failing'))!.position).toBe(2);
    expect(reported.filter((r) => r.projection === 'failing').map((r) => r.position)).toEqual([2]);
    // Each projection's batches are reported in the log's order.
    const goodPositions = reported.filter((r) => r.projection === 'good').map((r) => r.position);
    expect(goodPositions).toEqual([...goodPositions].sort((x, y) => x - y));
  });
});
