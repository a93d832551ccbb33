// The board's CSV and JSON exports over a seeded board, as a spreadsheet user or a script reads them: a
// filtered export holds exactly the rows of the 公示栏 page for the same filter, the CSV and the JSON
// agree cell by cell, headers follow the reader's language, a wrong filter is a 400 naming it, and no
// resident's personal data is in any of them.
import { listPublicProblems, publicTimeline, showcase } from '@banshishi/read-models';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { csvCell } from '../http/tables.js';
import { en } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { readWholeLog } from '../test-support/crafted-residents.js';
import { parseCsv } from '../test-support/csv.js';
import { residentPersonalValues } from '../test-support/personal-values.js';
import { exportRoutes } from './exports.js';

type Row = Record<string, string | number | boolean | null>;
interface Body {
  readonly asOf: string;
  readonly count: number;
  readonly capped?: { limit: number; total?: number };
  readonly rows: Row[];
}

let fixture: BoardFixture;
/** Every export body fetched by these specs, checked for personal data at the end. */
const bodies: { path: string; text: string }[] = [];

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${fixture.url}${path}`, { headers });
  const text = await res.text();
  bodies.push({ path, text });
  return { res, text };
};
const json = async (path: string, headers: Record<string, string> = {}): Promise<Body> => {
  const { res, text } = await get(path, headers);
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Body;
};
/** Read as bytes: `Response.text()` drops a BOM, and whether there is one is part of what is checked. */
const csv = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${fixture.url}${path}`, { headers });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  bodies.push({ path, text });
  expect(res.status, text).toBe(200);
  return { res, ...parseCsv(text) };
};

/** The item ids the HTML 公示栏 lists for a query, over every page, in the order shown. */
const pageIds = async (kind: 'problems' | 'wishes', query: string): Promise<string[]> => {
  const link = kind === 'problems' ? /href="\/problems\/([^"/]+)"/g : /href="\/wishes\/([^"/]+)"/g;
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const res = await fetch(`${fixture.url}/disclosure?kind=${kind}&${query}&page_size=500&page=${page}`);
    expect(res.status).toBe(200);
    const found = [...(await res.text()).matchAll(link)].map((m) => decodeURIComponent(m[1] as string));
    ids.push(...found);
    if (found.length < 500) return ids;
  }
};

/** The level-2 unit (street or department) holding most of the rows: a filter that narrows but keeps many. */
const busiestStreet = (rows: readonly Row[]): string => {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const street = String(r.unitPath).split('/')[1];
    if (street !== undefined) counts.set(street, (counts.get(street) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (best === undefined) throw new Error('no row sits under a street');
  return best[0];
};

beforeAll(async () => {
  fixture = await startBoardFixture();
});
afterAll(async () => {
  await fixture?.close();
});

describe('the 公示栏 exports', () => {
  it('hold exactly the rows of the page for the same problem filter, in the same order', async () => {
    const all = await json('/disclosure.json?kind=problems');
    expect(all.count).toBeGreaterThan(50);
    const street = busiestStreet(all.rows);
    const query = `unit=${street}&status=claimed,solved,closed`;
    const shown = await pageIds('problems', query);
    const exported = await json(`/disclosure.json?kind=problems&${query}`);
    const sheet = await csv(`/disclosure.csv?kind=problems&${query}`);
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.length).toBeLessThan(all.count);
    expect(exported.rows.map((r) => r.id)).toEqual(shown);
    expect(exported.count).toBe(shown.length);
    expect(sheet.records.slice(1).map((r) => r[0])).toEqual(shown);
    for (const r of exported.rows) {
      expect(String(r.unitPath).split('/')).toContain(street);
      expect(['claimed', 'solved', 'closed']).toContain(r.status);
    }
  });

  it('hold exactly the rows of the page for a wish filter, and for the overdue and date filters', async () => {
    const wishes = await json('/disclosure.json?kind=wishes');
    const street = busiestStreet(wishes.rows);
    const wishQuery = `unit=${street}&status=showcased,confirmed,fulfilled`;
    const shownWishes = await pageIds('wishes', wishQuery);
    expect(shownWishes.length).toBeGreaterThan(0);
    expect((await json(`/disclosure.json?kind=wishes&${wishQuery}`)).rows.map((r) => r.id)).toEqual(shownWishes);
    expect((await csv(`/disclosure.csv?kind=wishes&${wishQuery}`)).records.slice(1).map((r) => r[0])).toEqual(
      shownWishes,
    );

    const overdueQuery = 'overdue=1&from=2021-06-01&to=2021-12-31';
    const shownOverdue = await pageIds('problems', overdueQuery);
    const overdue = await json(`/disclosure.json?${overdueQuery}`);
    expect(shownOverdue.length).toBeGreaterThan(0);
    expect(overdue.rows.map((r) => r.id)).toEqual(shownOverdue);
    for (const r of overdue.rows) {
      expect(r.overdue).toBe(true);
      expect(String(r.raisedAt) >= '2021-06-01').toBe(true);
      expect(String(r.raisedAt) < '2022-01-01').toBe(true);
    }
  });

  it('with page and page_size return that page; without page, every matching row', async () => {
    const all = await json('/disclosure.json?kind=problems&page_size=5');
    const page2 = await json('/disclosure.json?kind=problems&page=2&page_size=5');
    expect(all.count).toBeGreaterThan(10);
    expect(page2.count).toBe(5);
    expect(page2.rows.map((r) => r.id)).toEqual(all.rows.slice(5, 10).map((r) => r.id));
    expect(all.capped).toBeUndefined();
    const csvPage = await csv('/disclosure.csv?kind=problems&page=2&page_size=5');
    expect(csvPage.records.slice(1).map((r) => r[0])).toEqual(page2.rows.map((r) => r.id));
  });

  it('say so when more rows match than an export sends', async () => {
    const app = express();
    app.use(exportRoutes(fixture.deps, { cap: 7 }));
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const res = await fetch(`${base}/disclosure.json?kind=problems`);
      const body = (await res.json()) as Body;
      const total = (await json('/disclosure.json?kind=problems')).count;
      expect(body.count).toBe(7);
      expect(body.capped).toEqual({ limit: 7, total });
      expect(res.headers.get('x-export-capped')).toBe(`7 of ${total} rows`);
      const paged = await fetch(`${base}/disclosure.json?kind=problems&page=1&page_size=20`);
      expect(((await paged.json()) as Body).count).toBe(20);
      expect(paged.headers.get('x-export-capped')).toBeNull();
      const shown = await fetch(`${base}/showcase.csv`);
      expect(shown.headers.get('x-export-capped')).toBe('7 rows; more matched');
      expect(parseCsv(await shown.text()).records).toHaveLength(8);
    } finally {
      server.close();
    }
  });

  it('agree cell by cell between CSV and JSON, with a BOM and headers in the reader’s language', async () => {
    const query = '/disclosure.QUERY?kind=problems&status=closed,rejected';
    const body = await json(query.replace('QUERY', 'json'));
    const zhSheet = await csv(query.replace('QUERY', 'csv'));
    const enSheet = await csv(query.replace('QUERY', 'csv'), { 'accept-language': 'en-GB,en;q=0.9' });
    expect(zhSheet.bom).toBe(true);
    expect(zhSheet.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(zhSheet.res.headers.get('content-disposition')).toBe(
      `attachment; filename="disclosure-problems-${localMoment(fixtureNow).slice(0, 10)}.csv"; filename*=UTF-8''disclosure-problems-${localMoment(fixtureNow).slice(0, 10)}.csv`,
    );
    const [zhHeader, ...zhRows] = zhSheet.records;
    const [enHeader] = enSheet.records;
    expect(zhHeader).toContain(zh.exports.closedAt);
    expect(zhHeader).toContain(zh.exports.firstClaimedAt);
    expect(enHeader).toContain(en.exports.closedAt);
    expect(enHeader).toContain(en.exports.rejectedAt);
    expect(enHeader).not.toContain(zh.exports.closedAt);
    expect(enHeader).toHaveLength(zhHeader?.length ?? -1);
    const keys = Object.keys(body.rows[0] ?? {});
    expect(keys).toHaveLength(zhHeader?.length ?? -1);
    expect(zhRows).toHaveLength(body.count);
    zhRows.forEach((record, i) => {
      const row = body.rows[i] as Row;
      expect(record).toEqual(keys.map((k) => csvCell(row[k] ?? null)));
    });
  });

  it('carry the lifecycle timestamps in local time, as the timeline records them', async () => {
    const body = await json('/disclosure.json?kind=problems&status=closed');
    expect(body.count).toBeGreaterThan(0);
    const moment = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
    for (const row of body.rows.slice(0, 10)) {
      for (const k of ['raisedAt', 'firstClaimedAt', 'claimedAt', 'solvedAt', 'closedAt'])
        expect(row[k], `${row.id} ${k}`).toMatch(moment);
      expect(row.rejectedAt).toBeNull();
      const timeline = await publicTimeline(fixture.deps.readModels, 'problem', String(row.id));
      const closed = timeline.filter((e) => e.event_type === 'ProblemClosed').at(-1);
      const solicited = timeline.find((e) => e.event_type === 'ProblemSolicited');
      expect(Date.parse(String(row.closedAt))).toBe(Date.parse(String(closed?.occurred_at)));
      expect(Date.parse(String(row.raisedAt))).toBe(Date.parse(String(solicited?.occurred_at)));
      expect(String(row.unitPath).split('/').at(-1)).toBe(row.unitId);
    }
    const wishes = await json('/disclosure.json?kind=wishes&status=showcased');
    expect(wishes.count).toBeGreaterThan(0);
    for (const row of wishes.rows)
      for (const k of ['collectedAt', 'claimedAt', 'fulfilledAt', 'confirmedAt', 'showcasedAt'])
        expect(row[k], `${row.id} ${k}`).toMatch(moment);
  });

  it('serve the showcase as read-models list it', async () => {
    const body = await json('/showcase.json');
    const listed = await showcase(fixture.deps.readModels, { limit: 100_000 });
    expect(body.rows.map((r) => r.id)).toEqual(listed.map((s) => s.wish_id));
    const sheet = await csv('/showcase.csv', { 'accept-language': 'en' });
    expect(sheet.records[0]).toContain(en.exports.story);
    expect(sheet.records.slice(1).map((r) => r[0])).toEqual(listed.map((s) => s.wish_id));
    const unit = listed[0]?.unit_id as string;
    const underUnit = await json(`/showcase.json?unit=${unit}`);
    expect(underUnit.count).toBeGreaterThan(0);
    expect(underUnit.rows.every((r) => String(r.unitPath).split('/').includes(unit))).toBe(true);
  });

  it('serve an item’s public timeline, and 404 for an item that does not exist', async () => {
    const [problem] = await listPublicProblems(fixture.deps.readModels, {
      asOf: localMoment(fixtureNow),
      statuses: ['closed'],
      limit: 1,
    });
    if (problem === undefined) throw new Error('the demo has no closed problem');
    const timeline = await publicTimeline(fixture.deps.readModels, 'problem', problem.problem_id);
    const body = await json(`/problems/${problem.problem_id}/timeline.json`);
    expect(body.rows.map((r) => r.event)).toEqual(timeline.map((e) => e.event_type));
    expect(body.rows.map((r) => r.revision)).toEqual(timeline.map((e) => e.revision));
    const sheet = await csv(`/problems/${problem.problem_id}/timeline.csv`, { 'accept-language': 'en' });
    expect(sheet.records.slice(1).map((r) => r[3])).toEqual(timeline.map((e) => en.labels.event[e.event_type]));

    const [wish] = await showcase(fixture.deps.readModels, { limit: 1 });
    const wishBody = await json(`/wishes/${wish?.wish_id}/timeline.json`);
    expect(wishBody.rows.at(-1)?.event).toBe('WishShowcased');

    for (const path of ['/problems/no-such-problem/timeline.json', '/wishes/no-such-wish/timeline.csv']) {
      const { res, text } = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(text).status).toBe(404);
    }
  });

  it('are cached briefly with an ETag that revalidates', async () => {
    const first = await fetch(`${fixture.url}/disclosure.csv?kind=wishes`);
    await first.arrayBuffer();
    expect(first.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // fetch adds `Cache-Control: no-cache` to a conditional request (so the server must answer in full)
    // unless the request names its own; a browser revalidating sends max-age=0.
    const again = await fetch(`${fixture.url}/disclosure.csv?kind=wishes`, {
      headers: { 'if-none-match': etag as string, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it.each([
    ['kind=issues', 'kind'],
    ['status=open', 'status'],
    ['status=closed&status=solved', 'status'],
    ['unit=no-such-unit', 'unit'],
    ['unit=%3Cscript%3E', 'unit'],
    ['campaign=no-such-campaign', 'campaign'],
    ['from=2021-02-30', 'from'],
    ['from=2021-06-01&to=2021-05-01', 'to'],
    ['grade=huge', 'grade'],
    ['source=rumour', 'source'],
    ['overdue=maybe', 'overdue'],
    ['page=0', 'page'],
    ['page_size=100000', 'page_size'],
    ['kind=wishes&status=closed', 'status'],
  ])('refuse %s with a 400 naming %s', async (query, parameter) => {
    for (const format of ['csv', 'json']) {
      const { res, text } = await get(`/disclosure.${format}?${query}`);
      expect(res.status, text).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(text)).toMatchObject({ status: 400, parameter });
    }
  });

  it('refuse an unknown unit on the showcase export', async () => {
    const { res, text } = await get('/showcase.csv?unit=no-such-unit');
    expect(res.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ parameter: 'unit' });
  });

  it('hold no resident’s personal data', async () => {
    for (const path of [
      '/disclosure.csv?kind=problems',
      '/disclosure.json?kind=problems',
      '/disclosure.csv?kind=wishes',
      '/disclosure.json?kind=wishes',
      '/showcase.csv',
    ])
      await get(path, { 'accept-language': 'en' });
    const problems = await json('/disclosure.json?kind=problems');
    for (const r of problems.rows.slice(0, 30)) await get(`/problems/${r.id}/timeline.csv`);
    const wishes = await json('/disclosure.json?kind=wishes');
    for (const r of wishes.rows.slice(0, 30)) await get(`/wishes/${r.id}/timeline.json`);

    const personal = await residentPersonalValues(fixture.embedded.store, fixture.embedded.personalData);
    // The demo's residents give names, phones, addresses and their own words: the check is not empty, and
    // it holds what the log's raisers and wishers gave, read here straight from the events.
    expect(personal.length).toBeGreaterThan(100);
    const events = await readWholeLog(fixture.embedded.store, fixture.embedded.personalData);
    type Payload = {
      readonly description?: unknown;
      readonly raiser?: { name?: unknown };
      readonly wisher?: { phone?: unknown };
    };
    const given = (type: string, pick: (data: Payload) => unknown) =>
      events
        .filter((e) => e.type === type)
        .map((e) => pick(e.data as Payload))
        .filter((v): v is string => typeof v === 'string');
    const raisers = given('ProblemSolicited', (d) => d.raiser?.name);
    const descriptions = given('ProblemSolicited', (d) => d.description);
    const wishers = given('WishCollected', (d) => d.wisher?.phone);
    for (const sample of [raisers, descriptions, wishers]) {
      expect(sample.length).toBeGreaterThan(0);
      expect(personal).toEqual(expect.arrayContaining(sample.filter((v) => v.trim().length >= 2)));
    }
    const leaks = bodies.flatMap(({ path, text }) =>
      personal.filter((v) => text.includes(v)).map((v) => `${path}: ${v}`),
    );
    expect(leaks).toEqual([]);
  });
});
