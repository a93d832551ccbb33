// The board's browser specs drive Debian's Chromium through playwright-core, with nothing but loopback
// reachable. A visit watches the page as it loads: a CSP violation, a script error or a request to any other
// host is a failure of the visit, so the board's promise (no CDN, no inline script) is checked on every page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeFile = require.resolve('axe-core/axe.min.js');

export const chromiumPath = '/usr/bin/chromium';

/** Screenshots land at the repository root, beside whatever else CI keeps of a run. */
export const screenshotDir = fileURLToPath(new URL('../../../../test-results/screenshots/', import.meta.url));

export type Device = 'desktop' | 'phone';

/** A phone at device scale 1: a full-page PNG of a long page at scale 2 takes seconds to encode, for nothing. */
export const devices: Readonly<Record<Device, BrowserContextOptions>> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
};

/**
 * Chromium from the distribution, never a downloaded build. Without it the suite fails here, loudly: a
 * browser spec that skips itself on a machine without a browser would pass CI having checked nothing.
 */
export const launchBrowser = (): Promise<Browser> => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `${chromiumPath} is missing: the browser specs need Debian's Chromium (apt-get install -y chromium)`,
    );
  warnWithoutChineseFont();
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
};

/**
 * Without a CJK font every Chinese character in a screenshot is a box: the checks still hold, but the
 * screenshots cannot be reviewed, so say so where the run's output is read.
 */
const warnWithoutChineseFont = () => {
  try {
    if (execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() === '')
      console.warn('no Chinese font installed: screenshots will show boxes (apt-get install -y fonts-noto-cjk)');
  } catch {
    console.warn('fc-list is missing: cannot tell whether a Chinese font is installed (fontconfig)');
  }
};

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A request the board may make: to itself, or to nothing at all (data: and blob: URLs). */
const isLocal = (url: string): boolean => {
  const u = new URL(url);
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:' || loopback.has(u.hostname);
};

const cspViolation = /Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i;

export interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly device: Device;
  /** Everything that went wrong while the page was open: CSP violations, script errors, foreign requests. */
  readonly problems: string[];
  close(): Promise<void>;
}

const deviceOfPage = new WeakMap<Page, Device>();

/**
 * A fresh context and page at a device's size. CSP is enforced unless `bypassCSP` is asked for, which only
 * the accessibility specs do (axe is injected as a script the board's policy rightly refuses).
 */
export const openVisit = async (
  browser: Browser,
  device: Device,
  options: { readonly baseURL: string; readonly lang?: 'zh' | 'en' } & BrowserContextOptions,
): Promise<Visit> => {
  const { lang, ...contextOptions } = options;
  const context = await browser.newContext({ ...devices[device], locale: 'zh-CN', ...contextOptions });
  if (lang !== undefined)
    await context.addCookies([{ name: 'lang', value: lang, url: options.baseURL, sameSite: 'Lax' }]);
  const problems: string[] = [];
  context.on('request', (request) => {
    if (!isLocal(request.url())) problems.push(`request to another host: ${request.url()}`);
  });
  const page = await context.newPage();
  deviceOfPage.set(page, device);
  page.on('console', (message) => {
    if (cspViolation.test(message.text())) problems.push(`CSP violation on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
  return { context, page, device, problems, close: () => context.close() };
};

/**
 * The same visit at both widths, side by side; each must end without a CSP violation, a script error or a
 * request to another host (the visit's own assertions fail it first).
 */
export const atBothWidths = async (
  browser: Browser,
  baseURL: string,
  visit: (v: Visit) => Promise<void>,
  options: { readonly javaScriptEnabled?: boolean; readonly lang?: 'zh' | 'en' } = {},
): Promise<void> => {
  await Promise.all(
    (['desktop', 'phone'] as const satisfies readonly Device[]).map(async (device) => {
      const v = await openVisit(browser, device, { baseURL, ...options });
      try {
        await visit(v);
        if (v.problems.length > 0) throw new Error(`${device}: ${v.problems.join('\n')}`);
      } finally {
        await v.close();
      }
    }),
  );
};

/** A full-page PNG at `test-results/screenshots/<name>-<desktop|phone>.png`. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  const device = deviceOfPage.get(page) ?? ((page.viewportSize()?.width ?? 1280) < 600 ? 'phone' : 'desktop');
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}-${device}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * axe-core run in the page (its context must bypass CSP for the injection); the violations that are
 * serious or critical, each with the elements it was found on, for a failure message a person can act on.
 */
export const axeCheck = async (page: Page): Promise<AxeViolation[]> => {
  await page.addScriptTag({ path: axeFile });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
};

/** Violations as lines: `color-contrast (serious): .meta, footer p`. */
export const describeViolations = (violations: readonly AxeViolation[]): string =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
