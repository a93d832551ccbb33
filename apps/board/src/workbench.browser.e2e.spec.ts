// The workbench in Debian's Chromium, as the people of the campaign use it, with JavaScript off (plain
// forms are the contract): a resident raises a problem; the office routes it; a secretary claims it,
// notes progress and solves it with a photo; the resident is not satisfied and it reopens; the office
// puts it under supervision; it is solved again, rated satisfied and closes — and after each step the
// public board's page of the item shows that step. Then a wish through to 亮梦 with its consent honoured,
// and a member of another district who is offered no claim and whose forged post is refused.

import exifr from 'exifr';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from './i18n/index.js';
import { launchBrowser, openVisit, screenshot, type Visit } from './test-support/browser.js';
import { startWorkbenchFixture, type WorkbenchFixture } from './test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
let browser: Browser;
const visits: Visit[] = [];
const zh = catalogues.zh.labels;

beforeAll(async () => {
  [wb, browser] = await Promise.all([startWorkbenchFixture(), launchBrowser()]);
});

afterAll(async () => {
  for (const v of visits) await v.close();
  await browser?.close();
  await wb?.close();
});

/** A person's own browser, signed in through the demo sign-in page, JavaScript off. */
const signedIn = async (personId: string): Promise<Page> => {
  const visit = await openVisit(browser, 'desktop', { baseURL: wb.url, javaScriptEnabled: false });
  visits.push(visit);
  const { page } = visit;
  await page.goto('/workbench/sign-in');
  await page.selectOption('#sign-in-person', personId);
  await Promise.all([
    page.waitForURL(/\/workbench$/),
    page.locator('form[action="/workbench/sign-in"] button').click(),
  ]);
  return page;
};

/**
 * Fills the form posting to `action` by its fields' names (selects, radios and text alike), attaches files,
 * submits it, and expects no refusal on the page that follows.
 */
const submit = async (
  page: Page,
  action: string,
  fields: Record<string, string>,
  files?: { readonly name: string; readonly buffer: Buffer; readonly mimeType: string },
): Promise<void> => {
  const form = page.locator(`form[action="${action}"]`);
  await expect.poll(() => form.count(), { message: `a form posting to ${action} on ${page.url()}` }).toBe(1);
  for (const [name, value] of Object.entries(fields)) {
    const input = form.locator(`[name="${name}"]`).first();
    const tag = await input.evaluate((e) => `${e.tagName.toLowerCase()}:${(e as HTMLInputElement).type}`);
    if (tag.startsWith('select')) await input.selectOption(value);
    else if (tag === 'input:radio' || tag === 'input:checkbox')
      await form.locator(`[name="${name}"][value="${value}"]`).check();
    else await input.fill(value);
  }
  if (files !== undefined) await form.locator('input[type=file]').setInputFiles(files);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  await page.waitForLoadState('load');
  const refused = await page.locator('.notice.error, .notice.conflict').allInnerTexts();
  expect(refused, `posting to ${action}`).toEqual([]);
};

/**
 * The event names of the item's public timeline on the board, oldest first. The board keeps a page for a
 * second (its response cache), so the assertions on it poll.
 */
const boardTimeline = async (page: Page, path: string): Promise<string[]> => {
  await wb.settled();
  await page.goto(path);
  return page
    .locator('table.timeline tbody th')
    .evaluateAll((cells) => cells.map((c) => (c.childNodes[0]?.textContent ?? '').trim()));
};

/** A phone photo as it comes: the position it was taken at (a resident's door) in its EXIF. */
const photo = async (): Promise<Buffer> =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    .withExif({
      IFD0: { Artist: 'someone at home' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '36/1 17/1 4200/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '120/1 0/1 3600/100',
      },
    })
    .jpeg()
    .toBuffer();

describe('a problem from 征题 to 评题, reopened once', () => {
  it('walks the whole life through the pages, and the board shows every step', async () => {
    const resident = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
    const community = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
    const office = wb.person('office');
    const [r, o, s] = await Promise.all([
      signedIn(resident.personId),
      signedIn(office.personId),
      signedIn(community.personId),
    ]);
    const boardVisit = await openVisit(browser, 'desktop', { baseURL: wb.url });
    visits.push(boardVisit);
    const board = boardVisit.page;
    // Board pages may be kept 15 s (max-age): routing every request turns Chromium's cache off, so each
    // look at the board sees it as it is.
    await board.context().route('**/*', (route) => route.continue());

    // 征题: the resident raises it in their grid.
    await r.goto('/workbench/raise');
    await submit(r, '/workbench/raise/problem', {
      unitId: resident.unitId,
      title: '中云社区第一网格3号楼前路灯不亮',
      description: '3号楼东侧两盏路灯已坏了一个月，晚上出行不便。',
      category: '基础设施',
    });
    const id = decodeURIComponent(/\/workbench\/problems\/([^/?#]+)/.exec(r.url())?.[1] ?? '');
    await screenshot(r, 'workbench-journey-1-raised');
    const item = `/workbench/problems/${encodeURIComponent(id)}`;
    const publicPage = `/problems/${encodeURIComponent(id)}`;
    await expect.poll(() => boardTimeline(board, publicPage), { timeout: 10_000 }).toEqual([zh.event.ProblemSolicited]);

    // 转办: the office finds it in the queue and routes it to the community.
    await o.goto('/workbench/office');
    await o.locator(`a[href="${item}"]`).first().click();
    await submit(o, `${item}/assign`, { toUnitId: community.unitId, note: '请社区党委牵头处理' });
    await screenshot(o, 'workbench-journey-2-routed');
    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).at(-1), { timeout: 10_000 })
      .toBe(zh.event.ProblemAssigned);

    // 领题, progress, 解题 with a photo.
    await s.goto('/workbench/claims');
    await s.locator(`a[href="${item}"]`).first().click();
    await submit(s, `${item}/claim`, { plan: '联系供电所，一周内更换灯具', promisedBy: '2027-01-15' });
    await submit(s, `${item}/progress`, { note: '已与供电所对接，灯具已订购' });
    await submit(
      s,
      `${item}/solve`,
      { summary: '更换路灯两盏，恢复夜间照明' },
      {
        name: 'lamp.jpg',
        buffer: await photo(),
        mimeType: 'image/jpeg',
      },
    );
    await screenshot(s, 'workbench-journey-3-solved');
    const evidence = s.locator('a[href^="/workbench/evidence/"]').first();
    const served = await s.request.get(new URL((await evidence.getAttribute('href'))!, wb.url).toString());
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toContain('image/jpeg');
    const uploaded = await photo();
    expect((await exifr.gps(uploaded))?.latitude).toBeCloseTo(36.295, 3);
    const kept = await served.body();
    expect(await exifr.gps(kept)).toBeUndefined();
    expect(await exifr.parse(kept, true)).toBeUndefined();
    expect(kept.includes(Buffer.from('someone at home'))).toBe(false);
    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).slice(-3), { timeout: 10_000 })
      .toEqual([zh.event.ProblemClaimed, zh.event.ProblemProgressNoted, zh.event.ProblemSolved]);

    // 百姓评: not satisfied, so it reopens.
    await r.goto(item);
    await submit(r, `${item}/evaluate`, { verdict: 'unsatisfied' });
    await screenshot(r, 'workbench-journey-4-unsatisfied');
    // Reopened: back with the claimant (已认领), its rework counted, the reopening in its timeline.
    expect(await r.locator('[data-testid=status]').innerText()).toBe(zh.problemStatus.claimed);
    expect(await r.locator('table.timeline tbody th').last().innerText()).toContain(zh.event.ProblemReopened);

    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).slice(-2), { timeout: 10_000 })
      .toEqual([zh.event.ProblemEvaluated, zh.event.ProblemReopened]);

    // 督办 by the office, solved again, then satisfied: closed.
    await o.goto('/workbench/office');
    await o.locator(`a[href="${item}"]`).first().click();
    await submit(o, `${item}/supervise`, { ground: 'reopened', note: '群众不满意，挂牌督办' });
    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).at(-1), { timeout: 10_000 })
      .toBe(zh.event.ProblemSupervised);
    await s.goto(item);
    await submit(
      s,
      `${item}/solve`,
      { summary: '重新更换为LED灯具并加装护罩' },
      {
        name: 'lamp-again.jpg',
        buffer: await photo(),
        mimeType: 'image/jpeg',
      },
    );
    await r.goto(item);
    await submit(r, `${item}/evaluate`, { verdict: 'satisfied' });
    expect(await r.locator('[data-testid=status]').innerText()).toBe(zh.problemStatus.closed);
    await screenshot(r, 'workbench-journey-5-closed');

    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).at(-1), { timeout: 10_000 })
      .toBe(zh.event.ProblemClosed);
    const timeline = await boardTimeline(board, publicPage);
    expect(timeline).toContain(zh.event.ProblemReopened);
    expect(timeline).toContain(zh.event.ProblemSupervised);
    await screenshot(board, 'workbench-journey-6-board');
  });
});

describe('a wish from 寻梦 to 亮梦, shown as its wisher consented', () => {
  it('is raised, claimed within the district, fulfilled with a photo, confirmed and showcased', async () => {
    const wisher = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
    // A member of the district with room under the open-claim limit (the demo's members hold some).
    let member: (typeof wb.people)[number] | undefined;
    for (const p of wb.people.filter((x) => x.role === 'member')) {
      const claims = (await wb.api(p.personId, 'GET', '/me/claims')).body as {
        wishClaims: { open: number; limit: number };
      };
      if (claims.wishClaims.open < claims.wishClaims.limit) {
        member = p;
        break;
      }
    }
    if (member === undefined) throw new Error('no demo member has room for a claim');
    const [w, m, o] = await Promise.all([
      signedIn(wisher.personId),
      signedIn(member.personId),
      signedIn(wb.person('office').personId),
    ]);
    const boardVisit = await openVisit(browser, 'desktop', { baseURL: wb.url });
    visits.push(boardVisit);
    const board = boardVisit.page;
    await board.context().route('**/*', (route) => route.continue());

    // 寻梦: named consent — the board may show the surname, never the name.
    await w.goto('/workbench/raise');
    await submit(w, '/workbench/raise/wish', {
      unitId: wisher.unitId,
      category: 'study',
      description: '孩子上初二，希望有人周末辅导数学',
      consent: 'named',
      wisherName: '王秀英',
    });
    const id = decodeURIComponent(/\/workbench\/wishes\/([^/?#]+)/.exec(w.url())?.[1] ?? '');
    expect(id).not.toBe('');
    const item = `/workbench/wishes/${encodeURIComponent(id)}`;
    const publicPage = `/wishes/${encodeURIComponent(id)}`;
    await expect.poll(() => boardTimeline(board, publicPage), { timeout: 10_000 }).toEqual([zh.event.WishCollected]);

    // 领梦 by a member of the district, who sees their open claims against the limit; 圆梦 with a photo.
    await m.goto('/workbench/claims');
    await m.locator(`a[href="${item}"]`).first().click();
    expect(await m.locator('[data-testid=claim-count]').innerText()).toMatch(/\d+\D+\d+/);
    await submit(m, `${item}/claim`, {});
    await submit(
      m,
      `${item}/fulfil`,
      { summary: '每周六上午到家辅导两小时，已辅导四次' },
      {
        name: 'tutoring.jpg',
        buffer: await photo(),
        mimeType: 'image/jpeg',
      },
    );
    await screenshot(m, 'workbench-journey-wish-1-fulfilled');
    await expect
      .poll(async () => (await boardTimeline(board, publicPage)).slice(-2), { timeout: 10_000 })
      .toEqual([zh.event.WishClaimed, zh.event.WishFulfilled]);

    // The wisher confirms; the office showcases it (亮梦).
    await w.goto(item);
    await submit(w, `${item}/confirm`, { verdict: 'satisfied' });
    await o.goto('/workbench/office');
    await o.locator(`a[href="${item}"]`).first().click();
    const story = '党员志愿者每周上门辅导初二学生数学，孩子成绩明显提高';
    await submit(o, `${item}/showcase`, { story });
    expect(await o.locator('[data-testid=status]').innerText()).toBe(zh.wishStatus.showcased);
    await screenshot(o, 'workbench-journey-wish-2-showcased');

    await wb.settled();
    await expect
      .poll(
        async () => {
          await board.goto('/showcase');
          return board.locator('main').innerText();
        },
        { timeout: 10_000 },
      )
      .toContain(story);
    const shown = await board.locator('main').innerText();
    expect(shown).toContain('王**');
    expect(shown).not.toContain('王秀英');
    expect(await board.content()).not.toContain('王秀英');
    await screenshot(board, 'workbench-journey-wish-3-board-showcase');
  });

  it('offers a member of another district no claim, and refuses a claim forged from their session', async () => {
    const wisher = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
    const wishId = 'W-BROWSER-OUTSIDE';
    const collected = await wb.api(wisher.personId, 'POST', '/wishes', {
      wishId,
      unitId: wisher.unitId,
      category: 'life',
      description: '希望有人帮忙修理漏水的水龙头',
      consent: 'anonymous',
      wisher: { name: '王秀英', personId: wisher.personId },
    });
    expect(collected.status).toBe(201);
    // The demo has one district: the system registers a neighbouring one and makes a secretary a member there.
    const official = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
    await wb.asSystem([
      { type: 'registerUnit', data: { unitId: 'browser-neighbour', name: '邻区', kind: 'district', parentId: null } },
      { type: 'grantRole', data: { personId: official.personId, role: 'member', unitId: 'browser-neighbour' } },
    ]);
    const page = await signedIn(official.personId);
    await page.selectOption('#acting-role', 'member@browser-neighbour');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/workbench/acting"] button').click()]);
    expect(await page.locator('[data-testid=acting-as]').innerText()).toContain('邻区');

    const item = `/workbench/wishes/${wishId}`;
    await page.goto(item);
    expect(await page.locator(`form[action="${item}/claim"]`).count()).toBe(0);
    await screenshot(page, 'workbench-journey-wish-outside-district');

    // The same post a claim form would make, with this session's own form token: the API refuses it.
    const before = (await wb.api(wisher.personId, 'GET', `/wishes/${wishId}`)).body.revision;
    const token = await page.locator('input[name=_csrf]').first().getAttribute('value');
    const forged = await page.request.post(`${wb.url}${item}/claim`, {
      form: { _csrf: token ?? '', formKey: 'forged-claim-0001', revision: String(before) },
      maxRedirects: 0,
    });
    expect(forged.status()).toBeGreaterThanOrEqual(400);
    expect(forged.status()).toBeLessThan(500);
    expect(await forged.text()).toContain('wish.claim.outside_home_district');
    expect((await wb.api(wisher.personId, 'GET', `/wishes/${wishId}`)).body.revision).toBe(before);
  });
});
