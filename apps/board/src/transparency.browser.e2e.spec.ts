// A resident and an auditor visit the transparency log in Debian's Chromium, at desktop and phone width:
// the item page checks each event's inclusion proof in the browser against the key the board publishes and
// says 已验证 ✓; a proof altered on its way (the route intercepted here, in the test only) is shown failing
// with its reason; without JavaScript the page says how to check offline; the /transparency page shows the
// latest checkpoint and pages back through the history. Every visit enforces the CSP and reaches nothing else.
import { listPublicProblems, publicTimeline } from '@banshishi/read-models';
import type { Browser } from 'playwright-core';
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
let problemId: string;
let stream: string;
let revisions: number[];

beforeAll(async () => {
  // A checkpoint every 20 events as the tree is built: a history longer than one page.
  [board, browser] = await Promise.all([startBoardFixture({ demoScale: 300, checkpointEvery: 20 }), launchBrowser()]);
  const rm = board.deps.readModels;
  const [problem] = await listPublicProblems(rm, { asOf: localMoment(fixtureNow), statuses: ['closed'], limit: 1 });
  problemId = problem!.problem_id;
  const timeline = await publicTimeline(rm, 'problem', problemId);
  stream = timeline[0]!.stream_id;
  revisions = timeline.map((e) => e.revision);
});

afterAll(async () => {
  await browser?.close();
  await board?.close();
});

const atBothWidths = (visit: (v: Visit) => Promise<void>, options?: Parameters<typeof atBothWithin>[3]) =>
  atBothWithin(browser, board.url, visit, options);

/** The check cells of the proofs table, once the script has filled in every one. */
const checkedCells = async (v: Visit) => {
  const section = v.page.locator('section[data-proof-check]');
  await section.and(v.page.locator('[data-checked="true"]')).waitFor({ timeout: 15_000 });
  return section.locator('tr[data-proof] .check').evaluateAll((cells) =>
    cells.map((c) => ({
      result: (c as HTMLElement).dataset.result,
      text: (c as HTMLElement).innerText.trim(),
    })),
  );
};

describe('the item page checks its proofs in the browser', () => {
  it("verifies every public event's inclusion proof against the published key: 已验证 ✓", async () => {
    await atBothWidths(async (v) => {
      await v.page.goto(`${board.url}/problems/${problemId}`);
      const cells = await checkedCells(v);
      expect(cells).toHaveLength(revisions.length);
      for (const cell of cells) expect(cell).toEqual({ result: 'verified', text: '已验证 ✓' });
      expect(await v.page.locator('.check-lead').isVisible()).toBe(true);
      await v.page.locator('#proofs').scrollIntoViewIfNeeded();
      await screenshot(v.page, 'transparency-item');
    });
  });

  it('says Verified ✓ in English', async () => {
    const v = await openVisit(browser, 'desktop', { baseURL: board.url, lang: 'en' });
    try {
      await v.page.goto(`${board.url}/problems/${problemId}`);
      for (const cell of await checkedCells(v)) expect(cell).toEqual({ result: 'verified', text: 'Verified ✓' });
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it('shows a proof altered on its way as failing, with the reason, and the others still verified', async () => {
    await atBothWidths(async (v) => {
      const [first, second] = revisions;
      // The test alters answers in the browser; nothing in the board can be asked to.
      await v.page.route(`**/transparency/proof/${stream}/${first}`, async (route) => {
        const response = await route.fetch();
        const bundle = (await response.json()) as { leaf: { hash: string } };
        const hash = bundle.leaf.hash;
        bundle.leaf.hash = `${hash.slice(0, -2)}${hash.endsWith('a') ? 'b' : 'a'}${hash.slice(-1)}`;
        await route.fulfill({ response, json: bundle });
      });
      await v.page.route(`**/transparency/proof/${stream}/${second}`, async (route) => {
        const response = await route.fetch();
        const bundle = (await response.json()) as { checkpoint: string };
        // Another root in the checkpoint: its signature no longer matches.
        const lines = bundle.checkpoint.split('\n');
        lines[2] = Buffer.alloc(32, 7).toString('base64');
        bundle.checkpoint = lines.join('\n');
        await route.fulfill({ response, json: bundle });
      });
      await v.page.goto(`${board.url}/problems/${problemId}`);
      const cells = await checkedCells(v);
      expect(cells[0]?.result).toBe('failed');
      expect(cells[0]?.text).toMatch(/^验证失败 ✗/);
      expect(cells[0]?.text).toContain('was altered');
      expect(cells[1]?.result).toBe('failed');
      expect(cells[1]?.text).toMatch(/signature/);
      for (const cell of cells.slice(2)) expect(cell.result).toBe('verified');
      await v.page.locator('#proofs').scrollIntoViewIfNeeded();
      await screenshot(v.page, 'transparency-item-tampered');
    });
  });

  it('without JavaScript, lists the proofs and says how to check them offline', async () => {
    await atBothWidths(
      async (v) => {
        await v.page.goto(`${board.url}/problems/${problemId}`);
        const section = v.page.locator('section[data-proof-check]');
        expect(await section.locator('tr[data-proof]').count()).toBe(revisions.length);
        expect(await section.locator('.check-lead').isVisible()).toBe(false);
        expect(await section.innerText()).toContain('pnpm run audit verify-proof proof.json --key log.key');
        const href = await section.locator('tr[data-proof] a').first().getAttribute('href');
        expect(href).toBe(`/transparency/proof/${stream}/${revisions[0]}`);
        await screenshot(v.page, 'transparency-item-nojs');
      },
      { javaScriptEnabled: false },
    );
  });
});

describe('an auditor opens the transparency log', () => {
  it('sees the latest checkpoint and the key, and pages back through the history', async () => {
    const publication = board.transparency!.publication;
    const latest = (await publication.log.latestCheckpoint())!;
    await atBothWidths(async (v) => {
      await v.page.goto(`${board.url}/transparency`);
      expect(await v.page.locator('h1').innerText()).toBe('公开账本');
      expect(await v.page.locator('dl.checkpoint').innerText()).toContain(String(latest.size));
      expect(await v.page.locator('section[aria-labelledby="key"] pre').innerText()).toBe(publication.verifier.encoded);
      const firstPage = await v.page.locator('table.checkpoints tbody th').allInnerTexts();
      expect(firstPage[0]).toBe(String(latest.size));
      await screenshot(v.page, 'transparency');
      await Promise.all([v.page.waitForURL(/before=/), v.page.getByRole('link', { name: '更早的检查点' }).click()]);
      const secondPage = await v.page.locator('table.checkpoints tbody th').allInnerTexts();
      expect(Number(secondPage[0])).toBeLessThan(Number(firstPage[firstPage.length - 1]));
      await screenshot(v.page, 'transparency-history');
    });
  });
});
