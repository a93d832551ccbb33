// The 公示栏's "共 N 条" for a busy board: each filter's count is taken at most once a second and shared
// by every page of that filter meanwhile. Counting tens of thousands of rows costs the database far more
// than reading a page of 50 through an index, so a board answering hundreds of lists a second would
// spend itself on counts that come out the same.
import { calendarDateOf } from '@banshishi/core';
import type { ReadModels } from '../runtime/builds.js';
import { countPublicProblems, countPublicWishes, type ProblemListQuery, type WishListQuery } from './disclosure.js';

export interface RecentCountsOptions {
  /** How old a count may be (default 1,000 ms: as old as the board's freshness note may be). */
  readonly maxAgeMs?: number;
  /** Filters remembered at once; the oldest is forgotten first (default 1,000), so odd filters cost no memory. */
  readonly maxFilters?: number;
  readonly now?: () => number;
}

/**
 * Counts as `countPublicProblems` and `countPublicWishes` give them, exact as of at most `maxAgeMs` ago.
 * Limit, offset and order do not change a count, so every page of a filter shares one; `asOf` changes it
 * only through the overdue filter, by its calendar day.
 */
export const recentCounts = (rm: ReadModels, options: RecentCountsOptions = {}) => {
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  const maxFilters = options.maxFilters ?? 1_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<number> }>();

  const remembered = (key: string, count: () => Promise<number>): Promise<number> => {
    const at = now();
    const hit = entries.get(key);
    if (hit !== undefined && at - hit.at <= maxAgeMs) return hit.value;
    const value = count();
    entries.delete(key);
    entries.set(key, { at, value });
    // A failed count is not remembered: the next request asks again.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    while (entries.size > maxFilters) entries.delete(entries.keys().next().value!);
    return value;
  };

  return {
    problems: (q: ProblemListQuery): Promise<number> => {
      const { limit: _l, offset: _o, order: _r, sort: _s, asOf, ...filter } = q;
      const day = q.overdueOnly === true ? calendarDateOf(asOf) : null;
      return remembered(JSON.stringify(['problems', day, filter]), () => countPublicProblems(rm, q));
    },
    wishes: (q: WishListQuery): Promise<number> => {
      const { limit: _l, offset: _o, order: _r, ...filter } = q;
      return remembered(JSON.stringify(['wishes', filter]), () => countPublicWishes(rm, q));
    },
  };
};

export type RecentCounts = ReturnType<typeof recentCounts>;
