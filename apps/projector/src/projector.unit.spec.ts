import { categoryOf } from '@banshishi/core';
import { listPublicProblems, liveBuild, openPglite, openReadModels, projectionList } from '@banshishi/read-models';
import { randomHistory } from '@banshishi/testkit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { projectorMetrics } from './metrics.js';
import { startProjector } from './projector.js';

describe('projector', () => {
  it('runs every projection to the head of the store, reports lag and throughput, and stops cleanly', async () => {
    const history = await randomHistory(5, 200);
    const pglite = await openPglite();
    const readModels = await openReadModels({ kind: 'pglite', pglite });
    const metrics = projectorMetrics();
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const events = (await history.store.readAll({ limit: 1_000_000 })).events;
    const last = events[events.length - 1]!;
    const running = startProjector({
      store: history.store,
      readModels,
      projections: projectionList,
      batchSize: 20,
      logEveryBatches: 2,
      logger,
      metrics,
      head: async () => ({ position: last.globalPosition, recordedAt: last.recordedAt }),
    });
    await running.caughtUp;
    expect((await listPublicProblems(readModels, { asOf: history.lastTime, limit: 1000 })).length).toBeGreaterThan(5);
    await running.stop();
    await running.done;
    // Each projection reached the last event of its categories; one the random history has no event for (it
    // makes no pairings) stays at the start.
    for (const p of projectionList) {
      const mine = events.filter((e) => p.categories.includes(categoryOf(e.streamId)));
      expect((await liveBuild(readModels, p.name))?.position ?? 0, p.name).toBe(
        mine.length === 0 ? 0 : mine[mine.length - 1]!.globalPosition,
      );
    }
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/banshishi_projection_events_total\{projection="disclosure",mode="live"\} \d+/);
    expect(text).toMatch(/banshishi_projection_lag_events\{projection="disclosure",mode="live"\} 0/);
    expect(lines.some((l) => l.msg === 'projection progress' && typeof l.eventsPerSecond === 'number')).toBe(true);
    await readModels.close();
    await pglite.close();
  });
});
