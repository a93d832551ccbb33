// A village office's visit to its 问题清单和需求台账 in Debian's Chromium, at desktop and phone width and
// without JavaScript: from the unit page to the ledger, readable on a phone (the tables scroll in their own
// region, the page does not), and printed (print media: the sheet alone, no navigation, the unit's name
// and the day it was tabulated on top). Screenshots land in test-results/screenshots as ledger-*.png.
import { countPublicProblems, listUnits, type UnitsTable } from '@banshishi/read-models';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from './http/deps.js';
import { zh } from './i18n/zh.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from './test-support/board-fixture.js';
import { atBothWidths as atBothWithin, launchBrowser, screenshot, type Visit } from './test-support/browser.js';

let board: BoardFixture;
let browser: Browser;
/** The community with most problems: a sheet with rows to look at. */
let village: UnitsTable;

beforeAll(async () => {
  [board, browser] = await Promise.all([startBoardFixture({ demoScale: 600, transparency: false }), launchBrowser()]);
  const rm = board.deps.readModels;
  const asOf = localMoment(fixtureNow);
  const counted = await Promise.all(
    (await listUnits(rm))
      .filter((u) => u.level === 3)
      .map(async (u) => ({ u, n: await countPublicProblems(rm, { unitId: u.unit_id, asOf }) })),
  );
  village = counted.sort((a, b) => b.n - a.n)[0]!.u;
});

const atBothWidths = (visit: (v: Visit) => Promise<void>, options?: Parameters<typeof atBothWithin>[3]) =>
  atBothWithin(browser, board.url, visit, options);

afterAll(async () => {
  await browser?.close();
  await board?.close();
});

describe('a village office keeps its ledger on the board', () => {
  it('goes from the unit page to the ledger without JavaScript and reads it on a phone', async () => {
    await atBothWidths(
      async ({ page, device }) => {
        await page.goto(`${board.url}/units/${encodeURIComponent(village.unit_id)}`);
        await Promise.all([page.waitForURL(/\/ledger$/), page.locator('.ledger-link a').click()]);
        expect((await page.locator('h1').innerText()).trim()).toBe(zh.ledger.heading(village.name));
        const rows = page.locator('section[aria-labelledby="ledger-problems"] tbody tr');
        expect(await rows.count()).toBeGreaterThan(1);
        expect((await rows.first().locator('td.num').innerText()).trim()).toBe('1');
        // The page itself never scrolls sideways; a wide table scrolls inside its labelled region.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${device}: the page is wider than the screen`).toBeLessThanOrEqual(0);
        await screenshot(page, 'ledger');
      },
      { javaScriptEnabled: false },
    );
  });

  it('prints as the sheet alone: the unit, the day, the tables, no navigation or download links', async () => {
    await atBothWidths(async ({ page, device }) => {
      await page.goto(`${board.url}/units/${encodeURIComponent(village.unit_id)}/ledger`);
      expect(await page.locator('header.site').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['header.site', 'footer.site', '.data-links', '.breadcrumb', '.screen-only'])
        expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
      expect(await page.locator('h1').innerText()).toContain(village.name);
      expect(await page.locator('.kicker').innerText()).toContain(zh.ledger.tabulated('2022-01-10 12:00'));
      for (const table of ['ledger-problems', 'ledger-wishes']) {
        const region = page.locator(`section[aria-labelledby="${table}"] table`);
        expect(await region.isVisible(), table).toBe(true);
      }
      // On paper (a page as wide as the desktop's) every column is there, not cut off by the scrolling region.
      if (device === 'desktop') {
        const cut = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.ledger-sheet .table-wrap')).some((w) => w.scrollWidth > w.clientWidth),
        );
        expect(cut).toBe(false);
      }
      await screenshot(page, 'ledger-print');
    });
  });
});
