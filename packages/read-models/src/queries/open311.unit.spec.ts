// The Open311 queries against the 公示 list they publish: a service per category in use (problems without
// one included), codes that stay the same and survive XML, and requests that are exactly the public
// problems a window, a status set, a category set and a page select.
import type * as core from '@banshishi/core';
import { demoHistory, randomHistory } from '@banshishi/testkit';
import { projectionSpecification } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels } from '../open.js';
import { projectionList } from '../projections/index.js';
import { listPublicProblems, type PublicProblem } from './disclosure.js';
import { open311Requests, open311ServiceCode, open311Services, uncategorizedServiceCode } from './open311.js';

const everything = async (store: core.EventStore) => (await store.readAll({ limit: 1_000_000 })).events;

describe('open311ServiceCode', () => {
  it('is the same for the same name, differs between names, and never starts with 0 or holds markup', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
        fc.string({ maxLength: 30 }),
        (a, b) => {
          const code = open311ServiceCode(a);
          expect(code).toMatch(/^c[0-9a-f]{12}$/);
          expect(open311ServiceCode(a)).toBe(code);
          if (a !== b) expect(open311ServiceCode(b)).not.toBe(code);
        },
      ),
    );
    expect(open311ServiceCode(null)).toBe(uncategorizedServiceCode);
    // Pinned: a code published once must not change with a refactoring.
    expect(open311ServiceCode('道路交通')).toMatchInlineSnapshot(`"c577af3998f4f"`);
  });
});

describe('Open311 queries on PGlite', () => {
  let pglite: PGlite;
  let schemas = 0;
  const { given } = projectionSpecification({
    readModels: () => openReadModels({ kind: 'pglite', pglite }, `open311_${++schemas}`),
    projections: projectionList,
  });
  beforeAll(async () => {
    pglite = new PGlite();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('lists a service per category in use, and requests are the public problems the filters select', async () => {
    const history = await demoHistory(20_210_301, 400);
    await given(history.events, { batchSize: 500 }).then(async (rm) => {
      const asOf = history.asOf;
      const problems = await listPublicProblems(rm, { asOf, limit: 100_000 });
      expect(problems.length).toBeGreaterThan(10);
      const services = await open311Services(rm);
      const categories = [...new Set(problems.map((p) => p.category))];
      expect(services.map((s) => s.category).sort()).toEqual(categories.sort());
      for (const s of services) {
        expect(s.service_code).toBe(open311ServiceCode(s.category));
        expect(s.problems).toBe(problems.filter((p) => p.category === s.category).length);
      }
      const moments = problems.map((p) => Date.parse(p.solicited_at));
      const [first, last] = [Math.min(...moments), Math.max(...moments)];
      const statuses = ['solicited', 'assigned', 'claimed', 'solved', 'closed', 'rejected'] as const;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: first - 86_400_000, max: last }),
          fc.integer({ min: 0, max: 120 * 86_400_000 }),
          fc.option(fc.subarray([...statuses], { minLength: 1 }), { nil: undefined }),
          fc.option(fc.subarray(categories, { minLength: 1 }), { nil: undefined }),
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 0, max: 3 }),
          async (from, span, wanted, inCategories, limit, page) => {
            const raisedFrom = new Date(from).toISOString();
            const raisedBefore = new Date(from + span).toISOString();
            const rows = await open311Requests(rm, {
              raisedFrom,
              raisedBefore,
              ...(wanted === undefined ? {} : { statuses: wanted }),
              ...(inCategories === undefined ? {} : { categories: inCategories }),
              limit,
              offset: page * limit,
              asOf,
            });
            const selected = (p: PublicProblem) =>
              Date.parse(p.solicited_at) >= from &&
              Date.parse(p.solicited_at) < from + span &&
              (wanted === undefined || wanted.includes(p.status)) &&
              (inCategories === undefined || inCategories.includes(p.category));
            // listPublicProblems orders newest first with the id breaking ties, as the Open311 query does.
            const expected = problems.filter(selected).slice(page * limit, (page + 1) * limit);
            expect(rows.map((r) => r.problem_id)).toEqual(expected.map((p) => p.problem_id));
            for (const r of rows) {
              const p = expected.find((x) => x.problem_id === r.problem_id)!;
              expect({ unit_name: r.unit_name, overdue: r.overdue }).toEqual({
                unit_name: p.unit_name,
                overdue: p.overdue,
              });
            }
          },
        ),
        { numRuns: 60 },
      );
      const ids = problems.slice(0, 5).map((p) => p.problem_id);
      expect(
        (await open311Requests(rm, { problemIds: [...ids, 'no-such-problem'], limit: 10, asOf }))
          .map((r) => r.problem_id)
          .sort(),
      ).toEqual([...ids].sort());
      expect(await open311Requests(rm, { problemIds: [], limit: 10, asOf })).toEqual([]);
      expect(await open311Requests(rm, { statuses: [], limit: 10, asOf })).toEqual([]);
      expect(await open311Requests(rm, { categories: [], limit: 10, asOf })).toEqual([]);
    });
  });

  it('serves problems raised without a category as one service of their own, listed last', async () => {
    const history = await randomHistory(11, 200);
    await given(await everything(history.store), { batchSize: 50 }).then(async (rm) => {
      const asOf = '2027-01-01T00:00:00+08:00';
      const problems = await listPublicProblems(rm, { asOf, limit: 100_000 });
      const uncategorized = problems.filter((p) => p.category === null);
      expect(uncategorized.length).toBeGreaterThan(0);
      const services = await open311Services(rm);
      expect(services.at(-1)).toEqual({
        service_code: uncategorizedServiceCode,
        category: null,
        problems: uncategorized.length,
      });
      const rows = await open311Requests(rm, { categories: [null], limit: 100_000, asOf });
      expect(rows.map((r) => r.problem_id).sort()).toEqual(uncategorized.map((p) => p.problem_id).sort());
    });
  });
});
