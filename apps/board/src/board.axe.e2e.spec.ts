// Every page of the public board, in Chinese and in English, checked by axe-core in Chromium: none may
// have a serious or critical accessibility violation. A failure lists each rule with the elements it
// was found on. The pages are visited with CSP bypassed, as axe is injected as a script.
import { listPublicProblems, listPublicWishes, listUnits } from '@banshishi/read-models';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from './http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from './test-support/board-fixture.js';
import { axeCheck, describeViolations, launchBrowser, openVisit, type Visit } from './test-support/browser.js';

let board: BoardFixture;
let browser: Browser;
const visits: Partial<Record<'zh' | 'en', Visit>> = {};
/** Ids the pages are reached by, read from the fixture's read models once it is seeded. */
const ids = { problem: '', wish: '', street: '', village: '' };

beforeAll(async () => {
  // A small demo: every kind of page and element is there (a pager too, with a small page size), and
  // seeding it takes a third of the default's time.
  [board, browser] = await Promise.all([startBoardFixture({ demoScale: 300 }), launchBrowser()]);
  const rm = board.deps.readModels;
  const [problems, wishes, units] = await Promise.all([
    listPublicProblems(rm, { asOf: localMoment(fixtureNow), statuses: ['closed'], limit: 1 }),
    listPublicWishes(rm, { statuses: ['showcased'], limit: 1 }),
    listUnits(rm),
  ]);
  ids.problem = problems[0]!.problem_id;
  ids.wish = wishes[0]!.wish_id;
  ids.street = units.find((u) => u.level === 2 && units.some((c) => c.parent_id === u.unit_id))!.unit_id;
  ids.village = units.find((u) => u.level === 3 && u.parent_id === ids.street)!.unit_id;
  for (const lang of ['zh', 'en'] as const)
    visits[lang] = await openVisit(browser, 'desktop', { baseURL: board.url, lang, bypassCSP: true });
});

afterAll(async () => {
  for (const v of Object.values(visits)) await v?.close();
  await browser?.close();
  await board?.close();
});

const pages: readonly { readonly name: string; readonly path: () => string; readonly status: number }[] = [
  { name: 'the home page', path: () => '/', status: 200 },
  { name: 'the 公示栏 of problems', path: () => '/disclosure', status: 200 },
  { name: 'the 公示栏 of wishes, second page', path: () => '/disclosure?kind=wishes&page_size=5&page=2', status: 200 },
  { name: 'a filtered 公示栏', path: () => `/disclosure?unit=${ids.street}&status=closed&overdue=1`, status: 200 },
  { name: "a problem's page", path: () => `/problems/${ids.problem}`, status: 200 },
  { name: "a wish's page", path: () => `/wishes/${ids.wish}`, status: 200 },
  { name: 'the showcase', path: () => '/showcase', status: 200 },
  { name: '探亲动态', path: () => '/pairing', status: 200 },
  { name: 'the 评价榜', path: () => '/rankings', status: 200 },
  { name: 'the 企业服务 page', path: () => '/services', status: 200 },
  { name: '走访与现场解决', path: () => '/visits', status: 200 },
  { name: "a street's 企业服务", path: () => `/services?unit=${ids.street}`, status: 200 },
  { name: 'the list of units', path: () => '/units', status: 200 },
  { name: "a street's unit page", path: () => `/units/${ids.street}`, status: 200 },
  { name: "a village's 问题清单和需求台账", path: () => `/units/${ids.village}/ledger`, status: 200 },
  { name: 'the definitions', path: () => '/definitions', status: 200 },
  { name: 'the transparency log', path: () => '/transparency', status: 200 },
  { name: 'the error page for a wrong filter (400)', path: () => '/disclosure?status=lost', status: 400 },
  { name: 'the error page for a missing item (404)', path: () => '/problems/no-such-problem', status: 404 },
];

// Were axe not injected or not running, every page would pass: it must find what it is there to find.
it('axe, as injected here, finds an unlabelled field and an image without a text alternative', async () => {
  const { page } = visits.zh!;
  await page.goto(`${board.url}/`);
  await page.evaluate(() => {
    document.querySelector('main')?.insertAdjacentHTML('beforeend', '<img src="data:,"><input type="text">');
  });
  const found = (await axeCheck(page)).map((v) => v.id);
  expect(found).toEqual(expect.arrayContaining(['image-alt', 'label']));
});

describe.each(['zh', 'en'] as const)('in %s, axe finds no serious or critical violation on', (lang) => {
  it.each(pages)('$name', async ({ path, status }) => {
    const { page, problems } = visits[lang]!;
    problems.length = 0;
    const response = await page.goto(`${board.url}${path()}`);
    expect(response?.status(), `${path()} answers`).toBe(status);
    // Axe looks at the charts as drawn (ECharts adds its canvas and tooltip layer), not at empty boxes.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-chart]')).every(
          (e) => e.classList.contains('drawn') && e.querySelector('canvas') !== null,
        ),
      undefined,
      { timeout: 10_000 },
    );
    // And at an item's proofs as checked (client/proof-check.ts fills in each result).
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('[data-proof-check]')).every((e) => e.getAttribute('data-checked')),
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
    const violations = await axeCheck(page);
    expect(violations, `${path()} (${lang}):\n${describeViolations(violations)}`).toEqual([]);
    expect(problems).toEqual([]);
  });
});
