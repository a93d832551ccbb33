import { demoHistory } from '@banshishi/testkit';
import { projectEvents } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenReadModels, openReadModels } from '../open.js';
import { countPublicProblems, countPublicWishes } from './disclosure.js';
import { recentCounts } from './recent-counts.js';

describe('recent counts (the 公示栏 total, at most a second old)', () => {
  let pglite: PGlite;
  let rm: OpenReadModels;
  let asOf: string;
  let rest: Parameters<typeof projectEvents>[1];

  beforeAll(async () => {
    const history = await demoHistory(5, 1500);
    asOf = history.asOf;
    const half = Math.floor(history.events.length / 2);
    rest = history.events.slice(half);
    pglite = new PGlite();
    rm = await openReadModels({ kind: 'pglite', pglite }, 'rm');
    await projectEvents(rm, history.events.slice(0, half));
  }, 60_000);
  afterAll(async () => {
    await rm.close();
    await pglite.close();
  });

  it('answers the exact count, shares it between pages of a filter while young, and counts again once old', async () => {
    let now = 1_000_000;
    const counts = recentCounts(rm, { maxAgeMs: 1_000, now: () => now });
    const all = { asOf };
    const closed = { asOf, statuses: ['closed' as const] };
    const before = await countPublicProblems(rm, all);
    const closedBefore = await countPublicProblems(rm, closed);
    const wishesBefore = await countPublicWishes(rm, {});
    expect(before).toBeGreaterThan(closedBefore);
    expect(closedBefore).toBeGreaterThan(0);
    expect(await counts.problems(all)).toBe(before);
    expect(await counts.problems(closed)).toBe(closedBefore);
    expect(await counts.wishes({})).toBe(wishesBefore);

    await projectEvents(rm, rest);
    const after = await countPublicProblems(rm, all);
    expect(after).toBeGreaterThan(before);

    now += 1_000;
    // Still young: another page, order or moment of the same filter is the same remembered count.
    expect(await counts.problems({ ...all, limit: 50, offset: 100, order: 'asc' })).toBe(before);
    expect(await counts.problems({ ...all, asOf: '2030-01-01T00:00:00+08:00' })).toBe(before);
    expect(await counts.wishes({ limit: 10, offset: 10 })).toBe(wishesBefore);
    now += 1;
    expect(await counts.problems({ ...all, offset: 50 })).toBe(after);
    expect(await counts.problems(closed)).toBe(await countPublicProblems(rm, closed));
    expect(await counts.wishes({})).toBe(await countPublicWishes(rm, {}));
  });

  it('counts the overdue filter again on another day, as the overdue rule reads the day', async () => {
    const counts = recentCounts(rm, { now: () => 0 });
    const late = { asOf, overdueOnly: true };
    const muchLater = { asOf: '2031-06-01T12:00:00+08:00', overdueOnly: true };
    expect(await counts.problems(late)).toBe(await countPublicProblems(rm, late));
    expect(await counts.problems(muchLater)).toBe(await countPublicProblems(rm, muchLater));
    expect(await countPublicProblems(rm, muchLater)).not.toBe(await countPublicProblems(rm, late));
  });

  it('remembers at most maxFilters filters, forgetting the oldest', async () => {
    let calls = 0;
    const counting = {
      ...rm,
      db: rm.db.withPlugin({
        transformQuery: (a) => {
          calls++;
          return a.node;
        },
        transformResult: async (a) => a.result,
      }),
    };
    const counts = recentCounts(counting, { maxFilters: 2, now: () => 0 });
    const byStatus = (status: 'closed' | 'claimed' | 'solved') => counts.problems({ asOf, statuses: [status] });
    await byStatus('closed');
    await byStatus('claimed');
    await byStatus('closed');
    expect(calls).toBe(2);
    await byStatus('solved');
    await byStatus('claimed');
    expect(calls).toBe(3);
    await byStatus('closed');
    expect(calls).toBe(4);
  });
});
