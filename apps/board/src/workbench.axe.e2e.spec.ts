// Every page of the workbench, as each kind of person sees it, in Chromium: axe-core finds no serious or
// critical violation in Chinese or in English, and every page is saved as a screenshot at desktop and
// phone width (test-results/screenshots/workbench-<page>-<desktop|phone>.png) for people to look at.
// Contexts bypass CSP only for axe's injection; the screenshot visits enforce it and must reach nothing
// but the app. The items shown are raised and moved through the API first, so every kind of form appears.
import * as E from 'fp-ts/lib/Either.js';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeCheck,
  type Device,
  describeViolations,
  launchBrowser,
  openVisit,
  screenshot,
  type Visit,
} from './test-support/browser.js';
import { startWorkbenchFixture, type WorkbenchFixture } from './test-support/workbench-fixture.js';
import { createEvidenceStore } from './workbench/evidence/store.js';

let wb: WorkbenchFixture;
let browser: Browser;
const ids = { routed: '', solved: '', wish: '', fulfilled: '' };
type Who = 'nobody' | 'office' | 'secretary' | 'member' | 'resident';
const person: Record<Exclude<Who, 'nobody'>, string> = { office: '', secretary: '', member: '', resident: '' };

const must = async (
  personId: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> => {
  const answer = await wb.api(personId, 'POST', path, body, headers);
  if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
};

beforeAll(async () => {
  [wb, browser] = await Promise.all([startWorkbenchFixture(), launchBrowser()]);
  const resident = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
  const secretary = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
  const office = wb.person('office');
  Object.assign(person, {
    office: office.personId,
    secretary: secretary.personId,
    resident: resident.personId,
    member: wb.person('member').personId,
  });
  const raise = async (id: string) =>
    must(resident.personId, '/problems', {
      problemId: id,
      unitId: resident.unitId,
      source: 'resident',
      grade: 'small',
      title: `楼道灯不亮（${id}）`,
      category: '基础设施',
      description: '三单元楼道灯坏了两周',
      raiser: { kind: 'resident', personId: resident.personId },
    });
  ids.routed = 'P-AXE-ROUTED';
  ids.solved = 'P-AXE-SOLVED';
  for (const id of [ids.routed, ids.solved]) {
    await raise(id);
    await must(office.personId, `/problems/${id}/assign`, { toUnitId: secretary.unitId });
  }
  await must(secretary.personId, `/problems/${ids.solved}/claim`, { plan: '联系物业更换', promisedBy: '2027-01-10' });
  const photo = await createEvidenceStore({ dir: wb.evidenceDir }).put({
    bytes: await sharp({ create: { width: 32, height: 24, channels: 3, background: '#4a7' } })
      .jpeg()
      .toBuffer(),
    declaredType: 'image/jpeg',
  });
  if (E.isLeft(photo)) throw new Error(photo.left.message);
  await must(secretary.personId, `/problems/${ids.solved}/solve`, {
    summary: '已更换灯具',
    evidence: [{ kind: 'photo', uri: photo.right.uri, caption: '更换后的楼道灯' }],
  });
  ids.wish = 'W-AXE-OPEN';
  await must(resident.personId, '/wishes', {
    wishId: ids.wish,
    unitId: resident.unitId,
    category: 'study',
    description: '希望有人辅导孩子的数学作业',
    consent: 'anonymous',
    wisher: { name: '王秀英', personId: resident.personId, phone: '13800000000' },
  });
  await wb.settled();
});

afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

const pages: readonly {
  readonly name: string;
  readonly who: Who;
  readonly path: () => string;
  readonly status: number;
}[] = [
  { name: 'sign-in', who: 'nobody', path: () => '/workbench/sign-in', status: 200 },
  { name: 'home-office', who: 'office', path: () => '/workbench', status: 200 },
  { name: 'office-queue', who: 'office', path: () => '/workbench/office', status: 200 },
  { name: 'office-directory', who: 'office', path: () => '/workbench/office/directory', status: 200 },
  { name: 'office-campaign', who: 'office', path: () => '/workbench/office/campaign', status: 200 },
  { name: 'problem-office', who: 'office', path: () => `/workbench/problems/${ids.solved}`, status: 200 },
  { name: 'claims-secretary', who: 'secretary', path: () => '/workbench/claims', status: 200 },
  { name: 'problem-secretary', who: 'secretary', path: () => `/workbench/problems/${ids.routed}`, status: 200 },
  { name: 'claims-member', who: 'member', path: () => '/workbench/claims', status: 200 },
  { name: 'wish-member', who: 'member', path: () => `/workbench/wishes/${ids.wish}`, status: 200 },
  { name: 'raise-resident', who: 'resident', path: () => '/workbench/raise', status: 200 },
  { name: 'mine-resident', who: 'resident', path: () => '/workbench/mine', status: 200 },
  { name: 'problem-resident', who: 'resident', path: () => `/workbench/problems/${ids.solved}`, status: 200 },
  { name: 'wish-resident', who: 'resident', path: () => `/workbench/wishes/${ids.wish}`, status: 200 },
  { name: 'office-queue-refused', who: 'resident', path: () => '/workbench/office', status: 403 },
  { name: 'not-found', who: 'resident', path: () => '/workbench/problems/no-such-problem', status: 404 },
];

const signIn = async (page: Page, who: Who) => {
  if (who === 'nobody') return;
  await page.goto('/workbench/sign-in');
  await page.selectOption('#sign-in-person', person[who]);
  await Promise.all([
    page.waitForURL(/\/workbench$/),
    page.locator('form[action="/workbench/sign-in"] button').click(),
  ]);
};

// Were axe not injected or not running, every page would pass: it must find what it is there to find.
it('axe, as injected here, finds an unlabelled field on a workbench page', async () => {
  const v = await openVisit(browser, 'desktop', { baseURL: wb.url, bypassCSP: true });
  try {
    await v.page.goto('/workbench/sign-in');
    await v.page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<input type="text">'));
    expect((await axeCheck(v.page)).map((x) => x.id)).toContain('label');
  } finally {
    await v.close();
  }
});

describe.each(['zh', 'en'] as const)('in %s, axe finds no serious or critical violation on', (lang) => {
  const visits: Partial<Record<Who, Visit>> = {};
  afterAll(async () => {
    for (const v of Object.values(visits)) await v?.close();
  });
  it.each(pages)('the page $name', async ({ who, path, status }) => {
    if (visits[who] === undefined) {
      visits[who] = await openVisit(browser, 'desktop', { baseURL: wb.url, lang, bypassCSP: true });
      await signIn(visits[who].page, who);
    }
    const { page } = visits[who]!;
    const response = await page.goto(path());
    expect(response?.status(), `${path()} answers`).toBe(status);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
    const violations = await axeCheck(page);
    expect(violations, `${path()} (${lang}):\n${describeViolations(violations)}`).toEqual([]);
  });
});

describe('screenshots of every workbench page, desktop and phone, with the CSP enforced', () => {
  it.each(pages)('the page $name', async ({ name, who, path, status }) => {
    await Promise.all(
      (['desktop', 'phone'] as const satisfies readonly Device[]).map(async (device) => {
        const v = await openVisit(browser, device, { baseURL: wb.url, javaScriptEnabled: false });
        try {
          await signIn(v.page, who);
          const response = await v.page.goto(path());
          expect(response?.status()).toBe(status);
          // Nothing wider than the screen: a phone reads the page without scrolling sideways.
          const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${name} on a ${device} is wider than the screen`).toBeLessThanOrEqual(0);
          await screenshot(v.page, `workbench-${name}`);
          expect(v.problems).toEqual([]);
        } finally {
          await v.close();
        }
      }),
    );
  });
});
