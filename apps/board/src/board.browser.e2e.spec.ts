// A resident's visits to the public board in Debian's Chromium, each at desktop and phone width, each
// leaving a screenshot in test-results/screenshots. Every visit enforces the board's CSP and may reach
// nothing but the board: a violation, a script error or a foreign request fails the visit.
import { readFile } from 'node:fs/promises';
import { countPublicProblems, listUnits, showcase, type UnitsTable } from '@banshishi/read-models';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from './http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from './test-support/board-fixture.js';
import {
  atBothWidths as atBothWithin,
  launchBrowser,
  openVisit,
  screenshot,
  type Visit,
} from './test-support/browser.js';

let board: BoardFixture;
let browser: Browser;
let units: UnitsTable[];
/** The street (level 2) with the most closed problems, so its filtered list is a real table to look at. */
let busiestStreet: UnitsTable;

beforeAll(async () => {
  // Half the default demo: full pages of the 公示栏 to look at, seeded in half the time.
  [board, browser] = await Promise.all([startBoardFixture({ demoScale: 600 }), launchBrowser()]);
  const rm = board.deps.readModels;
  units = await listUnits(rm);
  const closed = await Promise.all(
    units
      .filter((u) => u.level === 2)
      .map(async (u) => ({
        u,
        n: await countPublicProblems(rm, { unitId: u.unit_id, statuses: ['closed'], asOf: localMoment(fixtureNow) }),
      })),
  );
  busiestStreet = closed.sort((a, b) => b.n - a.n)[0]!.u;
});

afterAll(async () => {
  await browser?.close();
  await board?.close();
});

const atBothWidths = (visit: (v: Visit) => Promise<void>, options?: Parameters<typeof atBothWithin>[3]) =>
  atBothWithin(browser, board.url, visit, options);

/** Every unit at or under `unitId`, by name: the 公示栏's street filter takes in the street's communities. */
const namesWithin = (unitId: string): Set<string> => {
  const within = new Set([unitId]);
  for (const u of units) if (u.parent_id !== null && within.has(u.parent_id)) within.add(u.unit_id);
  return new Set(units.filter((u) => within.has(u.unit_id)).map((u) => u.name));
};

/** The texts of one column of the results table (1 = the item's title cell). */
const column = (page: Page, n: number) =>
  page
    .locator('section[aria-labelledby="results"] tbody tr')
    .evaluateAll(
      (rows, i) => rows.map((r) => (r.children[i - 1] as HTMLElement | undefined)?.innerText.trim() ?? ''),
      n,
    );

/** Chooses the busiest street (shown with one indent: level 2) and 已销号 in the form, and submits it. */
const filterByStreetAndStatus = async (page: Page): Promise<void> => {
  const option = page.locator(`#f-unit option[value="${busiestStreet.unit_id}"]`);
  expect(await option.textContent()).toBe(`\u3000${busiestStreet.name}`);
  await page.selectOption('#f-unit', busiestStreet.unit_id);
  await page.selectOption('#f-status', { label: '已销号' });
  await Promise.all([page.waitForURL(/status=closed/), page.locator('form.filters button[type=submit]').click()]);
};

// Were the watch on a visit deaf, every visit would pass: it must hear what it is there to hear.
it('a visit notices an inline script the CSP refuses and a request to another host', async () => {
  const v = await openVisit(browser, 'desktop', { baseURL: board.url });
  try {
    await v.page.goto(`${board.url}/`);
    await v.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline"';
      document.body.append(script);
    });
    await v.page.goto('http://board.example.org/').catch(() => undefined);
    await expect.poll(() => v.problems.length).toBeGreaterThanOrEqual(2);
    expect(v.problems.some((p) => p.startsWith('CSP violation'))).toBe(true);
    expect(v.problems).toContain('request to another host: http://board.example.org/');
  } finally {
    await v.close();
  }
});

describe('a resident visits the public board', () => {
  it('opens the home page and sees the headline figures, the campaign progress table and its chart drawn', async () => {
    await atBothWidths(async ({ page }) => {
      await page.goto(`${board.url}/`);
      await expect.poll(() => page.locator('h1').innerText()).toBe('办实事进展');
      const figures = await page.locator('dl.figures dd').allInnerTexts();
      expect(figures).toHaveLength(5);
      for (const f of figures) expect(f.trim()).toMatch(/^\d+$/);
      expect(Number(figures[0])).toBeGreaterThan(0);
      const progressRows = page.locator('figure.chart table tbody tr');
      expect(await progressRows.count()).toBeGreaterThan(0);
      // With JavaScript on, charts.js fetches the same rows and draws them into a canvas.
      await page.locator('.chart-canvas.drawn canvas').first().waitFor({ state: 'attached', timeout: 10_000 });
      expect((await page.locator('.chart-canvas.drawn').first().boundingBox())?.height).toBeGreaterThan(100);
      await screenshot(page, 'home');
    });
  });

  it('filters the 公示栏 by a street and a status through the form and sees only matching rows', async () => {
    await atBothWidths(async ({ page }) => {
      await page.goto(`${board.url}/disclosure`);
      const unfiltered = await page.locator('p.count').innerText();
      await filterByStreetAndStatus(page);
      const unitId = busiestStreet.unit_id;
      const url = new URL(page.url());
      expect(url.pathname).toBe('/disclosure');
      expect(url.searchParams.get('unit')).toBe(unitId);
      expect(url.searchParams.get('status')).toBe('closed');
      // The form comes back holding what was chosen, so the reader sees which filter is on.
      expect(await page.locator('#f-unit').inputValue()).toBe(unitId);
      expect(await page.locator('#f-status').inputValue()).toBe('closed');
      expect(await page.locator('p.count').innerText()).not.toBe(unfiltered);
      const statuses = await column(page, 2);
      expect(statuses.length).toBeGreaterThan(0);
      for (const s of statuses) expect(s).toMatch(/^已销号/);
      const within = namesWithin(unitId);
      for (const where of await column(page, 3)) expect(within).toContain(where);
      await screenshot(page, 'disclosure-filtered');
    });
  });

  it('opens a claimed item from the 公示栏 and reads in its timeline who claimed it', async () => {
    await atBothWidths(async ({ page }) => {
      await page.goto(`${board.url}/disclosure?status=closed`);
      const claimants = await column(page, 4);
      const index = claimants.findIndex((c) => c !== '—' && c !== '');
      expect(index, 'a closed problem with a claimant').toBeGreaterThanOrEqual(0);
      const link = page.locator('section[aria-labelledby="results"] tbody tr').nth(index).locator('th a');
      const title = (await link.innerText()).trim();
      await Promise.all([page.waitForURL(/\/problems\//), link.click()]);
      expect((await page.locator('h1').innerText()).trim()).toBe(title);
      const timeline = page.locator('section[aria-labelledby="timeline"] table tbody tr');
      expect(await timeline.count()).toBeGreaterThan(1);
      const entries = await timeline.evaluateAll((rows) =>
        rows.map((r) => ({
          what: (r.querySelector('th') as HTMLElement).innerText,
          who: (r.lastElementChild as HTMLElement).innerText,
        })),
      );
      const claims = entries.filter((e) => e.what.startsWith('领题'));
      expect(claims.length, JSON.stringify(entries)).toBeGreaterThan(0);
      expect(claims.some((c) => c.who.includes(claimants[index]!))).toBe(true);
      await screenshot(page, 'problem-timeline');
    });
  });

  it('switches to English with the link at the top right and back to Chinese, staying on the page', async () => {
    await atBothWidths(async ({ page }) => {
      await page.goto(`${board.url}/disclosure?kind=wishes&page_size=10`);
      const nav = page.locator('header.site nav');
      expect(await nav.innerText()).toContain('公示栏');
      const bar = (await page.locator('header.site .bar').boundingBox())!;
      const lang = (await page.locator('header.site a.lang').boundingBox())!;
      // Top right: in the header bar, in its right half.
      expect(lang.x).toBeGreaterThan(bar.x + bar.width / 2);
      expect(lang.y).toBeLessThan(bar.y + bar.height);
      await Promise.all([page.waitForEvent('load'), page.locator('a.lang').click()]);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
      expect(await nav.innerText()).toContain('Disclosure');
      // The switch comes back to the same page with the same query.
      expect(page.url()).toBe(`${board.url}/disclosure?kind=wishes&page_size=10`);
      await screenshot(page, 'lang-en');
      await Promise.all([page.waitForEvent('load'), page.locator('a.lang').click()]);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await nav.innerText()).toContain('公示栏');
      expect(await nav.innerText()).not.toContain('Disclosure');
    });
  });

  it('opens the 评价榜 and sees a chart drawn beside its table', async () => {
    await atBothWidths(async ({ page }) => {
      const response = await page.goto(`${board.url}/rankings`);
      expect(response?.status()).toBe(200);
      expect((await page.locator('h1').innerText()).trim()).toBe('评价榜');
      const figure = page.locator('figure.chart').first();
      expect(await figure.locator('table tbody tr').count()).toBeGreaterThan(0);
      await figure.locator('.chart-canvas.drawn canvas').waitFor({ state: 'attached', timeout: 10_000 });
      await screenshot(page, 'rankings');
    });
  });

  it("opens a street's unit page and sees its sub-units", async () => {
    const street = units.find((u) => u.level === 2 && units.some((c) => c.parent_id === u.unit_id));
    expect(street, 'a street with communities in the demo').toBeDefined();
    const children = units.filter((u) => u.parent_id === street!.unit_id).map((u) => u.name);
    await atBothWidths(async ({ page }) => {
      const response = await page.goto(`${board.url}/units/${encodeURIComponent(street!.unit_id)}`);
      expect(response?.status()).toBe(200);
      expect((await page.locator('h1').innerText()).trim()).toBe(street!.name);
      const heading = page.locator('main h2', { hasText: '下级单位' });
      expect(await heading.count()).toBe(1);
      const text = await page.locator('main').innerText();
      for (const name of children) expect(text).toContain(name);
      await screenshot(page, 'unit');
    });
  });

  it('opens the showcase, reads the newest story under a masked name or none, and opens its wish', async () => {
    const [newest] = await showcase(board.deps.readModels, { limit: 1 });
    expect(newest, 'a showcased wish in the demo').toBeDefined();
    await atBothWidths(async ({ page }) => {
      const response = await page.goto(`${board.url}/showcase`);
      expect(response?.status()).toBe(200);
      expect((await page.locator('h1').innerText()).trim()).toBe('亮梦：圆梦故事');
      expect(await page.locator('main').innerText()).toContain('只展示心愿人同意公开的内容');
      const story = page.locator('.story a').first();
      expect((await story.innerText()).trim()).toBe(newest!.story);
      // A wisher is shown as 张** where they consented, otherwise as 匿名心愿人: never by full name.
      for (const meta of await page.locator('.story .meta').allInnerTexts())
        expect(meta).toMatch(/匿名心愿人|\p{Script=Han}\*\*/u);
      await screenshot(page, 'showcase');
      await Promise.all([page.waitForURL(`**/wishes/${newest!.wish_id}`), story.click()]);
      expect(await page.locator('section[aria-labelledby="timeline"] tbody tr').count()).toBeGreaterThan(0);
    });
  });

  it('downloads the 公示栏 as CSV: a BOM for spreadsheet programs, a header row, the rows on the page', async () => {
    await atBothWidths(async ({ page }) => {
      await page.goto(`${board.url}/disclosure?status=closed`);
      const firstId = (await page.locator('section[aria-labelledby="results"] tbody tr th .meta').first().innerText())
        .split('·')[0]!
        .trim();
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 10_000 }),
        page.getByRole('link', { name: '下载 CSV' }).click(),
      ]);
      expect(await download.failure(), 'the CSV download').toBeNull();
      const bytes = await readFile(await download.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...lines] = bytes.subarray(3).toString('utf8').split(/\r?\n/);
      expect(header!.split(',').length).toBeGreaterThan(3);
      expect(lines.some((line) => line.includes(firstId))).toBe(true);
      await screenshot(page, 'disclosure-csv');
    });
  });

  it('works without JavaScript: filters the 公示栏 through the form and opens an item', async () => {
    await atBothWidths(
      async ({ page }) => {
        await page.goto(`${board.url}/disclosure`);
        await filterByStreetAndStatus(page);
        expect(new URL(page.url()).searchParams.get('unit')).toBe(busiestStreet.unit_id);
        for (const s of await column(page, 2)) expect(s).toMatch(/^已销号/);
        await screenshot(page, 'nojs-disclosure');
        const link = page.locator('section[aria-labelledby="results"] tbody tr th a').first();
        const title = (await link.innerText()).trim();
        await Promise.all([page.waitForURL(/\/problems\//), link.click()]);
        expect((await page.locator('h1').innerText()).trim()).toBe(title);
        expect(await page.locator('section[aria-labelledby="timeline"] tbody tr').count()).toBeGreaterThan(0);
        await screenshot(page, 'nojs-item');
      },
      { javaScriptEnabled: false },
    );
  });
});
