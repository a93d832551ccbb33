// The API documentation page in Chromium, as a reader on a desktop and on a phone finds it: axe-core
// reports no serious or critical violation, and under the API's content security policy nothing is refused.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeCheck,
  type Device,
  describeViolations,
  launchBrowser,
  openVisit,
  screenshotDir,
} from '../../../board/src/test-support/browser.js';
import { docsCssPath, docsCssUrl, renderApiDocs } from './docs-page.js';
import { openApiDocument } from './document.js';

// The policy the API sends: no script at all, styles from its own files only.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

let server: Server;
let browser: Browser;
let baseURL = '';

beforeAll(async () => {
  const doc = openApiDocument({ version: '0.1.0' });
  const app = express();
  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', csp);
    next();
  });
  app.get(docsCssUrl, (_req, res) => res.sendFile(docsCssPath));
  app.get('/api/docs', (req, res) => {
    res.type('html').send(renderApiDocs(doc, req.query.lang === 'en' ? 'en' : 'zh'));
  });
  app.get('/openapi.json', (_req, res) => res.json(doc));
  server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  browser = await launchBrowser();
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((done) => server.close(done));
});

const cases: readonly { readonly device: Device; readonly lang: 'zh' | 'en' }[] = [
  { device: 'desktop', lang: 'zh' },
  { device: 'phone', lang: 'zh' },
  { device: 'desktop', lang: 'en' },
  { device: 'phone', lang: 'en' },
];

describe('the API documentation page in a browser', () => {
  for (const { device, lang } of cases)
    it(`a developer reads the ${lang} page on a ${device}: no serious accessibility violation`, async () => {
      const visit = await openVisit(browser, device, { baseURL, bypassCSP: true });
      try {
        const response = await visit.page.goto(`${baseURL}/api/docs${lang === 'en' ? '?lang=en' : ''}`);
        expect(response?.status()).toBe(200);
        expect(await visit.page.getAttribute('html', 'lang')).toBe(lang === 'en' ? 'en' : 'zh-CN');
        // The stylesheet applied: the header carries the accent colour.
        const background = await visit.page.$eval('header.site', (e) => getComputedStyle(e).backgroundColor);
        expect(background).toBe('rgb(164, 22, 26)');
        if (device === 'phone') {
          const width = await visit.page.evaluate(() => document.documentElement.scrollWidth);
          expect(width).toBeLessThanOrEqual(390);
        }
        // The page is long (every operation): a full-page PNG of it takes longer than a screenshot may, so
        // the top of the page and the first operation with a body, each as the reader's screen shows it.
        mkdirSync(screenshotDir, { recursive: true });
        await visit.page.screenshot({ path: join(screenshotDir, `api-docs-${lang}-${device}.png`) });
        await visit.page.locator('#solicitProblem').scrollIntoViewIfNeeded();
        await visit.page.screenshot({ path: join(screenshotDir, `api-docs-${lang}-operation-${device}.png`) });
        const violations = await axeCheck(visit.page);
        expect(violations, describeViolations(violations)).toEqual([]);
        expect(visit.problems).toEqual([]);
      } finally {
        await visit.close();
      }
    });

  it('under the API content security policy, the page loads its stylesheet and nothing is refused', async () => {
    const visit = await openVisit(browser, 'desktop', { baseURL });
    try {
      await visit.page.goto(`${baseURL}/api/docs`);
      await visit.page.click('a[href="?lang=en"]');
      expect(await visit.page.getAttribute('html', 'lang')).toBe('en');
      const background = await visit.page.$eval('header.site', (e) => getComputedStyle(e).backgroundColor);
      expect(background).toBe('rgb(164, 22, 26)');
      expect(visit.problems).toEqual([]);
    } finally {
      await visit.close();
    }
  });
});
