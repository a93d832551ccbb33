import { getInMemoryEventStore, type StoredEvent } from '@banshishi/core';
import {
  pgliteReadModels,
  Tallied,
  type TestReadModels,
  toyEvent,
  toyProjection,
  toyRegistry,
} from '@banshishi/testkit/read-models';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectBatch } from './batch.js';
import { ensureProjection, liveBuild, startBuild } from './builds.js';
import { rebuildProjection, runProjection } from './runner.js';

const tally = (by: number) => toyEvent({ type: Tallied.type, data: { by } });

const counters = async (rm: TestReadModels) =>
  (
    await sql<{ id: string; total: number; events: number }>`
      select id, total, events from ${sql.id(rm.schema, 'counters')} order by id`.execute(rm.db)
  ).rows;

describe('projection runtime on PGlite', () => {
  let rm: TestReadModels;
  beforeEach(async () => {
    rm = await pgliteReadModels();
  });
  afterEach(async () => {
    await rm.dispose();
  });

  it('applying the same batch twice changes nothing: the checkpoint commits with the rows', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2)], { expectedRevision: 'no_stream' });
    await store.append('counter-b', [tally(5)], { expectedRevision: 'no_stream' });
    const projection = toyProjection();
    const build = await ensureProjection(rm, projection);
    const { events, checkpoint } = await store.readAll();
    const first = await projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, events, checkpoint);
    const second = await projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, events, checkpoint);
    expect(first).toMatchObject({ kind: 'applied', applied: 3, position: 3 });
    expect(second).toMatchObject({ kind: 'applied', applied: 0, skipped: 3, position: 3 });
    expect(await counters(rm)).toEqual([
      { id: 'counter-a', total: 3, events: 2 },
      { id: 'counter-b', total: 5, events: 1 },
    ]);
    expect(await liveBuild(rm, 'toy')).toMatchObject({ position: 3, checkpoint: '3', eventsApplied: 3 });
  });

  it('an overlapping batch applies only the events after the checkpoint', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2), tally(3), tally(4)], { expectedRevision: 'no_stream' });
    const projection = toyProjection();
    const build = await ensureProjection(rm, projection);
    const { events } = await store.readAll();
    const target = { build: build.build, onlyIfLive: true };
    await projectBatch(rm, projection, target, events.slice(0, 3), events[2]!.checkpoint);
    const result = await projectBatch(rm, projection, target, events.slice(1), events[3]!.checkpoint);
    expect(result).toMatchObject({ applied: 1, skipped: 2 });
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 10, events: 4 }]);
  });

  it('events of other categories and unknown types advance the checkpoint without reaching the projection', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1)], { expectedRevision: 'no_stream' });
    await store.append('other-x', [tally(100)], { expectedRevision: 'no_stream' });
    await store.append('counter-a', [toyEvent({ type: 'Unknown' as 'Tallied', data: { by: 9 } })], {
      expectedRevision: 0,
    });
    const projection = toyProjection();
    const build = await ensureProjection(rm, projection);
    const { events, checkpoint } = await store.readAll();
    const result = await projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, events, checkpoint);
    expect(result).toMatchObject({ applied: 1, skipped: 2, position: 3 });
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 1, events: 1 }]);
  });

  it('an event that no longer decodes stops the batch, naming stream and revision, and nothing is written', async () => {
    const store = getInMemoryEventStore();
    await store.append(
      'counter-a',
      [tally(1), toyEvent({ type: Tallied.type, data: { by: 'x' as unknown as number } })],
      {
        expectedRevision: 'no_stream',
      },
    );
    const projection = toyProjection();
    const build = await ensureProjection(rm, projection);
    const { events, checkpoint } = await store.readAll();
    await expect(
      projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, events, checkpoint),
    ).rejects.toThrow(/counter-a@1/);
    expect(await counters(rm)).toEqual([]);
    expect(await liveBuild(rm, 'toy')).toMatchObject({ position: 0, checkpoint: null });
  });

  it('a live projector catches up, follows new events, and resumes from its checkpoint after a restart', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2)], { expectedRevision: 'no_stream' });
    const projection = toyProjection();
    const first = runProjection({ store, readModels: rm, projection, batchSize: 1 });
    await first.caughtUp;
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 3, events: 2 }]);
    await first.stop();
    await store.append('counter-a', [tally(4)], { expectedRevision: 1 });
    const second = runProjection({ store, readModels: rm, projection, batchSize: 2 });
    await second.caughtUp;
    await store.append('counter-b', [tally(8)], { expectedRevision: 'no_stream' });
    await expect
      .poll(() => counters(rm))
      .toEqual([
        { id: 'counter-a', total: 7, events: 3 },
        { id: 'counter-b', total: 8, events: 1 },
      ]);
    await second.stop();
    await second.done;
  });

  it('transient database errors are retried with back-off; the rows come out as if nothing failed', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2), tally(3)], { expectedRevision: 'no_stream' });
    const base = toyProjection();
    let failures = 0;
    const flaky = {
      ...base,
      async apply(...args: Parameters<typeof base.apply>) {
        await base.apply(...args);
        if (failures < 3) {
          failures++;
          throw Object.assign(new Error('could not serialize access'), { code: '40001' });
        }
      },
    };
    const retries: number[] = [];
    const running = runProjection({
      store,
      readModels: rm,
      projection: flaky,
      batchSize: 1,
      retry: {
        initialDelayMs: 1,
        maxDelayMs: 5,
        maxAttempts: 10,
        isRetryable: (e) => (e as { code?: string }).code === '40001',
      },
      onRetry: (_e, attempt) => retries.push(attempt),
    });
    await running.caughtUp;
    expect(retries).toEqual([1, 2, 3]);
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 6, events: 3 }]);
    await running.stop();
  });

  it('an error that is not transient stops the projector with that error', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [toyEvent({ type: Tallied.type, data: { by: 'x' as unknown as number } })], {
      expectedRevision: 'no_stream',
    });
    const running = runProjection({ store, readModels: rm, projection: toyProjection() });
    await expect(running.done).rejects.toThrow(/counter-a@0/);
  });

  it('a rebuild fills a new build beside the live one; readers see the old build until the switch', async () => {
    const store = getInMemoryEventStore();
    for (let i = 0; i < 10; i++) await store.append(`counter-${i % 3}`, [tally(1)], { expectedRevision: 'any' });
    const live = runProjection({ store, readModels: rm, projection: toyProjection(1) });
    await live.caughtUp;
    const before = await counters(rm);
    expect(before.map((r) => r.total)).toEqual([4, 3, 3]);

    const seenDuringRebuild: (typeof before)[] = [];
    const { build, previous } = await rebuildProjection({
      store,
      readModels: rm,
      projection: toyProjection(2),
      batchSize: 2,
      onBatch: async () => {
        seenDuringRebuild.push(await counters(rm));
      },
    });
    await expect.poll(() => seenDuringRebuild.length).toBeGreaterThan(0);
    for (const seen of seenDuringRebuild) expect(seen).toEqual(before);
    expect({ build, previous }).toEqual({ build: 2, previous: 1 });
    expect((await counters(rm)).map((r) => r.total)).toEqual([8, 6, 6]);

    // The projector still running version 1 stops instead of writing old rules into the new build.
    await store.append('counter-0', [tally(1)], { expectedRevision: 'any' });
    await expect(live.done).rejects.toThrow(/made by version 2, newer than this projector's version 1/);
    const schemas = await sql<{ n: string }>`
      select nspname as n from pg_namespace where nspname like 'read_models_toy%' order by 1`.execute(rm.db);
    expect(schemas.rows.map((r) => r.n)).toEqual(['read_models_toy_b2']);
  });

  it('a live projector follows the pointer when a rebuild of its own version switches builds', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2)], { expectedRevision: 'no_stream' });
    const moves: unknown[] = [];
    const live = runProjection({
      store,
      readModels: rm,
      projection: toyProjection(1),
      onMoved: (move) => moves.push(move),
    });
    await live.caughtUp;
    await rebuildProjection({ store, readModels: rm, projection: toyProjection(1) });
    expect(await liveBuild(rm, 'toy')).toMatchObject({ build: 2, position: 2 });
    await store.append('counter-a', [tally(4)], { expectedRevision: 1 });
    await expect.poll(async () => (await liveBuild(rm, 'toy'))?.position).toBe(3);
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 7, events: 3 }]);
    await live.stop();
    expect(moves).toEqual([{ projection: 'toy', from: 1, to: 2 }]);
  });

  it('a projector started with a new version rebuilds beside the live build before following it', async () => {
    const store = getInMemoryEventStore();
    await store.append('counter-a', [tally(1), tally(2)], { expectedRevision: 'no_stream' });
    const v1 = runProjection({ store, readModels: rm, projection: toyProjection(1) });
    await v1.caughtUp;
    await v1.stop();
    const v2 = runProjection({ store, readModels: rm, projection: toyProjection(2) });
    await v2.caughtUp;
    expect(await liveBuild(rm, 'toy')).toMatchObject({ build: 2, version: 2, position: 2 });
    expect(await counters(rm)).toEqual([{ id: 'counter-a', total: 6, events: 2 }]);
    await v2.stop();
  });

  it('an interrupted rebuild resumes its own build instead of starting another', async () => {
    const projection = toyProjection(2);
    await ensureProjection(rm, toyProjection(1));
    const a = await startBuild(rm, projection);
    const b = await startBuild(rm, projection);
    expect(b.build).toBe(a.build);
    expect(toyRegistry.has('Tallied')).toBe(true);
  });

  it('refuses a batch that is not in global order', async () => {
    const projection = toyProjection();
    const build = await ensureProjection(rm, projection);
    const event = (globalPosition: number) => ({ globalPosition }) as StoredEvent;
    await expect(
      projectBatch(rm, projection, { build: build.build, onlyIfLive: true }, [event(2), event(1)], null),
    ).rejects.toThrow(/global order/);
  });
});
