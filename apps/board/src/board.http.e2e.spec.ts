// The board over HTTP as a reader's browser and a cache see it: the pages answer with what the read models
// hold, the 公示栏's filters narrow the list to matching rows only, an item page shows its timeline, the
// language follows the switch and Accept-Language, and every response carries the headers a public site
// needs (a strict CSP, ETag and Cache-Control, compression), with health, metrics and a rate limit.
import { request } from 'node:http';
import { addDays } from '@banshishi/core';
import {
  countPublicProblems,
  listCampaigns,
  listPublicProblems,
  listUnits,
  monthsWithVisits,
  onSiteShares,
  publicTimeline,
  visitCountsByUnit,
  visitQuotaCompliance,
} from '@banshishi/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from './http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from './test-support/board-fixture.js';

let board: BoardFixture;
const asOf = localMoment(fixtureNow);

beforeAll(async () => {
  board = await startBoardFixture();
});
afterAll(async () => {
  await board?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${board.url}${path}`, { headers, redirect: 'manual' });
const html = async (path: string, headers: Record<string, string> = {}) => {
  const response = await get(path, headers);
  return { response, body: await response.text() };
};
const problemLinks = (body: string) =>
  [...body.matchAll(/href="\/problems\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));

describe('the 公示栏', () => {
  it('lists the newest problems first with the total the read models count', async () => {
    const { response, body } = await html('/disclosure');
    expect(response.status).toBe(200);
    const rm = board.deps.readModels;
    const expected = await listPublicProblems(rm, { asOf, limit: 50 });
    expect(problemLinks(body)).toEqual(expected.map((p) => p.problem_id));
    expect(body).toContain(`共 ${await countPublicProblems(rm, { asOf })} 条`);
  });

  it('filtered by a street and a status shows only problems in that street with that status', async () => {
    const rm = board.deps.readModels;
    const streets = (await listUnits(rm)).filter((u) => u.level === 2);
    let checked = 0;
    for (const street of streets) {
      const expected = await listPublicProblems(rm, { asOf, unitId: street.unit_id, statuses: ['closed'], limit: 500 });
      const { body } = await html(`/disclosure?unit=${street.unit_id}&status=closed&page_size=500`);
      expect(new Set(problemLinks(body))).toEqual(new Set(expected.map((p) => p.problem_id)));
      for (const p of expected) {
        expect(p.status).toBe('closed');
        expect(Object.values(p.unit_path)).toContain(street.unit_id);
      }
      checked += expected.length;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('pages through the list without losing or repeating a row, and keeps the filter in the links', async () => {
    const first = await html('/disclosure?status=closed&page_size=20');
    const second = await html('/disclosure?status=closed&page_size=20&page=2');
    const a = problemLinks(first.body);
    const b = problemLinks(second.body);
    expect(a).toHaveLength(20);
    expect(b.filter((id) => a.includes(id))).toEqual([]);
    expect(first.body).toMatch(/href="\/disclosure\?status=closed&amp;kind=problems&amp;page=2&amp;page_size=20"/);
  });

  it('with overdue only lists exactly the problems overdue at the moment the figures are taken', async () => {
    const expected = await listPublicProblems(board.deps.readModels, { asOf, overdueOnly: true, limit: 500 });
    expect(expected.length).toBeGreaterThan(0);
    const { body } = await html('/disclosure?overdue=1&page_size=500');
    expect(new Set(problemLinks(body))).toEqual(new Set(expected.map((p) => p.problem_id)));
  });

  it('offers streets in the unit filter, and the communities of a street once it is chosen', async () => {
    const units = await listUnits(board.deps.readModels);
    const optionsOf = (body: string) => {
      const select = body.slice(
        body.indexOf('<select id="f-unit"'),
        body.indexOf('</select>', body.indexOf('<select id="f-unit"')),
      );
      return [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!);
    };
    const top = optionsOf((await html('/disclosure')).body);
    expect(new Set(top)).toEqual(new Set(units.filter((u) => u.level <= 2).map((u) => u.unit_id)));
    const street = units.find((u) => u.level === 2 && units.some((c) => c.parent_id === u.unit_id))!;
    const opened = optionsOf((await html(`/disclosure?unit=${street.unit_id}`)).body);
    for (const c of units.filter((u) => u.parent_id === street.unit_id)) expect(opened).toContain(c.unit_id);
    expect(opened.length).toBeLessThan(units.length);
  });

  it('filtered by a campaign holds what was raised in its district within its period', async () => {
    const [campaign] = await listCampaigns(board.deps.readModels);
    const byCampaign = await countPublicProblems(board.deps.readModels, { asOf, campaignId: campaign!.campaign_id });
    const byPeriod = await countPublicProblems(board.deps.readModels, {
      asOf,
      unitId: campaign!.district_id,
      raisedFrom: `${campaign!.period_from}T00:00:00+08:00`,
      raisedBefore: `${addDays(campaign!.period_to, 1)}T00:00:00+08:00`,
    });
    expect(byCampaign).toBeGreaterThan(0);
    expect(byCampaign).toBe(byPeriod);
    const wishes = (await html(`/disclosure?kind=wishes&campaign=${campaign!.campaign_id}`)).body;
    expect(wishes).toMatch(/共 \d+ 条/);
  });

  it('lists wishes with their own filters', async () => {
    const { response, body } = await html('/disclosure?kind=wishes&status=showcased');
    expect(response.status).toBe(200);
    const links = [...body.matchAll(/href="\/wishes\/([^"]+)"/g)];
    expect(links.length).toBeGreaterThan(0);
  });
});

describe('the 走访 page', () => {
  it('shows a month of visit counts, the quota standing and the on-site share as the read models hold them', async () => {
    const rm = board.deps.readModels;
    // The demo's first community secretary meets the quota in the campaign's first month, the second does not.
    const months = await monthsWithVisits(rm);
    const month = months[months.length - 1];
    expect(month).toBeDefined();
    const { response, body } = await html(`/visits?month=${month}`);
    expect(response.status).toBe(200);
    expect(body).toContain('走访与现场解决');
    const counts = await visitCountsByUnit(rm, month!);
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) expect(body).toContain(`/units/${encodeURIComponent(c.unitId)}`);
    const quotas = await visitQuotaCompliance(rm, { month: month! });
    expect(quotas.some((q) => q.met)).toBe(true);
    expect(quotas.some((q) => !q.met)).toBe(true);
    expect(body).toContain('已完成');
    const shares = await onSiteShares(rm);
    expect(shares.reduce((n, s) => n + s.solvedOnSite, 0)).toBe(2);
    expect((await html('/visits?lang=en')).body).toBeTruthy();
  });

  it('refuses a malformed month with 400 naming it', async () => {
    const { response, body } = await html('/visits?month=2021-13');
    expect(response.status).toBe(400);
    expect(body).toContain('month');
  });
});

describe('an item page', () => {
  it('shows a closed problem where it stands and its redacted timeline, claimant named', async () => {
    const [closed] = await listPublicProblems(board.deps.readModels, { asOf, statuses: ['closed'], limit: 1 });
    const { response, body } = await html(`/problems/${closed!.problem_id}`);
    expect(response.status).toBe(200);
    expect(body).toContain('已销号');
    const timeline = await publicTimeline(board.deps.readModels, 'problem', closed!.problem_id);
    expect(timeline.length).toBeGreaterThan(2);
    expect(body.match(/<time datetime=/gi)).toHaveLength(timeline.length);
    expect(body).toContain('领题');
    if (closed!.claimant_name !== null) expect(body).toContain(closed!.claimant_name);
    expect(body).toContain(`/open311/v2/requests/${closed!.problem_id}.json`);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await get('/problems/no-such-problem')).status).toBe(404);
    expect((await get('/wishes/no-such-wish')).status).toBe(404);
    expect((await get('/problems/%2e%2e%2fetc')).status).toBe(404);
    expect((await get('/units/nowhere')).status).toBe(404);
  });
});

describe('languages', () => {
  it('answers in Chinese by default and in English when the browser asks for it', async () => {
    expect((await html('/')).body).toContain('<html lang="zh-CN"');
    const english = await html('/', { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain('Disclosure');
    expect(english.response.headers.get('vary')).toMatch(/Accept-Language/);
  });

  it('remembers the visible switch in a cookie and comes back to the same page', async () => {
    const switched = await get(`/lang?to=en&back=${encodeURIComponent('/disclosure?status=closed')}`);
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/disclosure?status=closed');
    const cookie = (switched.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toBe('lang=en');
    expect((await html('/disclosure', { Cookie: cookie })).body).toContain('Disclosure board');
  });

  it('never redirects the switch off the site', async () => {
    for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const r = await get(`/lang?to=zh&back=${encodeURIComponent(back)}`);
      expect(r.headers.get('location')).toBe('/');
    }
  });
});

describe('headers a public site needs', () => {
  it('sends a strict Content-Security-Policy with no inline script, and no X-Powered-By', async () => {
    const r = await get('/');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers a revalidation with 304 and caches reads briefly', async () => {
    const first = await get('/rankings');
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Not fetch: by the Fetch standard a request with If-None-Match also says `Cache-Control: no-cache`,
    // which tells the server not to answer from freshness; a browser's own revalidation does not.
    const status = await new Promise<number>((resolve, reject) =>
      request(`${board.url}/rankings`, { headers: { 'If-None-Match': etag! } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(304);
  });

  it('compresses pages for a client that accepts gzip', async () => {
    const r = await get('/disclosure', { 'Accept-Encoding': 'gzip' });
    expect(r.headers.get('content-encoding')).toBe('gzip');
  });

  it('serves ECharts and its own scripts from the board itself', async () => {
    const body = (await html('/rankings')).body;
    const scripts = [...body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['/static/vendor/echarts.min.js', '/static/charts.js']);
    for (const src of scripts) {
      const r = await get(src);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/javascript/);
    }
  });
});

describe('operations', () => {
  it('says it is healthy and exposes Prometheus metrics by route pattern', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    await get('/problems/no-such-problem');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('banshishi_board_request_duration_seconds_bucket');
    expect(metrics).toMatch(/route="\/problems\/:id"/);
    expect(metrics).not.toContain('no-such-problem');
  });
});

describe('the chart data', () => {
  it('holds the same rows as the 评价榜 table beside the chart', async () => {
    const page = (await html('/rankings?level=2')).body;
    const dataUrl = (page.match(/data-chart="(\/api\/charts\/rankings[^"]*rate=responseRate)"/)?.[1] ?? '').replaceAll(
      '&amp;',
      '&',
    );
    expect(dataUrl).toMatch(/^\/api\/charts\/rankings/);
    const data = (await (await get(dataUrl)).json()) as { rows: { unitName: string; value: number | null }[] };
    expect(data.rows.length).toBeGreaterThan(0);
    for (const row of data.rows)
      expect(page).toContain(
        `<th scope="row">${row.unitName}</th><td class="num">${row.value === null ? '—' : `${row.value.toFixed(1)}%`}</td>`,
      );
  });
});

describe('the rate limit', () => {
  it('answers 429 once a client exceeds its requests per minute', async () => {
    const limited = await startBoardFixture({ demoScale: 300, overrides: { serve: { rateLimitPerMinute: 5 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${limited.url}/definitions`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      // Each route family is told in its own format: the spec's error list on Open311, in XML when asked.
      const xml = await fetch(`${limited.url}/open311/v2/services.xml`);
      expect(xml.status).toBe(429);
      expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await xml.text()).toMatch(/<errors><error><code>429<\/code>/);
      const data = await fetch(`${limited.url}/disclosure.json`);
      expect(data.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await limited.close();
    }
  });
});
