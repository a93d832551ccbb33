// No resident's personal data reaches the public: every page, export, feed and API answer of a board over
// a generated campaign is crawled in both languages, and none may hold a name, phone, ID number, address
// or own words of a resident — as written, HTML-escaped, URL-encoded or with the phone's separators gone —
// nor may the request logs. The values looked for are read from the log itself, through the codecs'
// personal marks, so a field marked personal tomorrow is looked for tomorrow.
import { Writable } from 'node:stream';
import { categoryOf, type EventStore, type PersonalDataSealer, personalValues } from '@banshishi/core';
import { registryOfCategory } from '@banshishi/demo';
import { listPublicProblems, listPublicWishes, listUnits } from '@banshishi/read-models';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from './http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from './test-support/board-fixture.js';
import {
  type CraftedItems,
  craftedResident,
  craftResidentItems,
  readWholeLog,
} from './test-support/crafted-residents.js';

/**
 * The routes the crawl visits whether or not a page links to them: every export, feed and API the board
 * serves. Each must answer 2xx in both languages.
 */
const fixedRoutes = (campaignId: string, crafted: CraftedItems, ledgerUnits: readonly string[]): readonly string[] => [
  '/',
  '/healthz',
  '/metrics',
  '/disclosure?kind=problems',
  '/disclosure?kind=wishes',
  '/disclosure.csv?kind=problems',
  '/disclosure.csv?kind=wishes',
  '/disclosure.json?kind=problems',
  '/disclosure.json?kind=wishes',
  '/feeds/closed.atom',
  '/feeds/showcased.atom',
  // 探亲动态: the paired households' excerpts, shown only with their consent.
  '/pairing',
  '/open311/v2/services.json',
  '/open311/v2/services.xml',
  '/open311/v2/requests.json',
  '/open311/v2/requests.xml',
  '/showcase.csv',
  '/showcase.json',
  '/rankings.csv',
  '/rankings.json',
  '/rankings/quotas.csv',
  '/visits',
  // 企业服务: enterprises' contact persons and needs are sealed; the page counts them only.
  '/services',
  '/units.csv',
  '/units.json',
  '/progress.csv',
  '/progress.json',
  `/api/charts/progress?campaign=${encodeURIComponent(campaignId)}`,
  '/api/charts/rankings',
  '/transparency',
  '/transparency/key',
  '/transparency/checkpoint',
  '/transparency/checkpoints.json',
  '/transparency/feed.atom',
  ...crafted.problemIds.flatMap((id) => [
    `/transparency/proof/problem-${encodeURIComponent(id)}/0`,
    `/problems/${encodeURIComponent(id)}/timeline.csv`,
    `/problems/${encodeURIComponent(id)}/timeline.json`,
    `/open311/v2/requests/${encodeURIComponent(id)}.json`,
    `/open311/v2/requests/${encodeURIComponent(id)}.xml`,
  ]),
  // The 问题清单和需求台账 of the units the crafted items sit in, with their downloads.
  ...ledgerUnits.flatMap((id) =>
    ['', '.csv?kind=problems', '.csv?kind=wishes', '.json?kind=problems', '.json?kind=wishes'].map(
      (suffix) => `/units/${encodeURIComponent(id)}/ledger${suffix}`,
    ),
  ),
  ...crafted.wishIds.flatMap((id) => [
    `/transparency/proof/wish-${encodeURIComponent(id)}/0`,
    `/wishes/${encodeURIComponent(id)}/timeline.csv`,
    `/wishes/${encodeURIComponent(id)}/timeline.json`,
  ]),
];

/** Item pages of the crafted resident: each must be visited, and found without a trace of them. */
const craftedPages = (crafted: CraftedItems): readonly string[] => [
  ...crafted.problemIds.map((id) => `/problems/${encodeURIComponent(id)}`),
  ...crafted.wishIds.map((id) => `/wishes/${encodeURIComponent(id)}`),
];

/** Fetches per language, fixed routes and crafted pages included. */
const fetchCap = { zh: 280, en: 140 } as const;

// ── the personal values, from the log ─────────────────────────────────────────────────────────────

interface LogValues {
  /** Every value in a field marked personal. */
  readonly personal: ReadonlySet<string>;
  /** Every other string of the log: what the board may show. */
  readonly publicTexts: ReadonlySet<string>;
  readonly campaignId: string;
}

const valuesOfLog = async (store: EventStore, personalData: PersonalDataSealer): Promise<LogValues> => {
  const personal = new Set<string>();
  const publicTexts = new Set<string>();
  let campaignId: string | undefined;
  for (const event of await readWholeLog(store, personalData)) {
    const definition = registryOfCategory(categoryOf(event.streamId))?.definitions.get(event.type);
    if (definition === undefined) throw new Error(`no codec for ${event.type} in ${event.streamId}`);
    const own = new Set(personalValues(definition.codec, event.data));
    for (const value of own) personal.add(value.trim());
    const walk = (v: unknown): void => {
      if (typeof v === 'string') {
        if (!own.has(v)) publicTexts.add(v);
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
    };
    walk(event.data);
    if (event.type === 'CampaignLaunched') campaignId = (event.data as { campaignId: string }).campaignId;
  }
  if (campaignId === undefined) throw new Error('the log launches no campaign');
  return { personal, publicTexts, campaignId };
};

// ── looking for them ──────────────────────────────────────────────────────────────────────────────

const htmlEscaped = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Every form a value may take in a response: as written, escaped for HTML or JSON, in a URL, as bare digits. */
const formsOf = (value: string): string[] => {
  const forms = new Set([value, htmlEscaped(value), JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  forms.add(
    encodeURIComponent(value)
      .toLowerCase()
      .replace(/%[0-9a-f]{2}/g, (x) => x.toUpperCase()),
  );
  forms.add(encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase()));
  if (/^[+\d\s()-]+$/.test(value)) forms.add(value.replace(/\D/g, ''));
  return [...forms].filter((f) => f.length >= 3);
};

/**
 * What a response may be read as: its text; with character references and `\u` escapes decoded; and with
 * the separators inside a run of digits dropped (a phone written 139-1234-5678 is still that phone).
 */
const readingsOf = (body: string): string[] => {
  const decoded = body
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const digits = decoded.replace(/(?<=\d)[\s().-](?=\d)/g, '');
  return [...new Set([body, decoded, digits])];
};

/** Finds needles in long texts in one pass, by their first three characters. */
const scannerOf = (values: Iterable<string>) => {
  const byPrefix = new Map<string, { needle: string; value: string }[]>();
  for (const value of values)
    for (const needle of formsOf(value)) {
      const key = needle.slice(0, 3);
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), { needle, value }]);
    }
  return (text: string): string[] => {
    const found = new Set<string>();
    for (const reading of readingsOf(text))
      for (let i = 0; i + 3 <= reading.length; i++) {
        const candidates = byPrefix.get(reading.slice(i, i + 3));
        if (candidates !== undefined)
          for (const c of candidates) if (reading.startsWith(c.needle, i)) found.add(c.value);
      }
    return [...found];
  };
};

// ── the crawl ─────────────────────────────────────────────────────────────────────────────────────

interface Visit {
  readonly path: string;
  readonly status: number;
  readonly type: string;
  /** The `lang` of an HTML page, to know the second pass was read in English. */
  readonly htmlLang: string | undefined;
  readonly leaks: readonly string[];
}

/** One visit to the language switch says what it does; the same redirect from every page says nothing more. */
const visitKey = (path: string) => (path.startsWith('/lang?') ? '/lang' : path);

const unescapeAttribute = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** Same-origin paths a response points to: links, alternates, chart data, feed entries, form choices. */
const linksOf = (body: string, type: string, origin: string): string[] => {
  if (!/html|xml|atom/.test(type)) return [];
  const out: string[] = [];
  for (const m of body.matchAll(/\s(?:href|data-chart|action)="([^"]*)"/g)) out.push(unescapeAttribute(m[1]!));
  // A filter form is links too: each choice of each select on its own, with the form's hidden fields.
  for (const form of body.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const hidden = [...form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].flatMap((input): [string, string][] => {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      return name === undefined || value === undefined ? [] : [[name, unescapeAttribute(value)]];
    });
    for (const select of form[2]!.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
      for (const option of select[2]!.matchAll(/<option[^>]*value="([^"]+)"/g)) {
        const query = new URLSearchParams([...hidden, [select[1]!, unescapeAttribute(option[1]!)]]);
        out.push(`${unescapeAttribute(form[1]!)}?${query}`);
      }
  }
  return out.flatMap((href) => {
    try {
      const url = new URL(href, origin);
      if (url.origin !== origin || url.pathname.startsWith('/static/')) return [];
      return [`${url.pathname}${url.search}`];
    } catch {
      return [];
    }
  });
};

const crawl = async (
  origin: string,
  lang: 'zh' | 'en',
  first: readonly string[],
  scan: (text: string) => string[],
): Promise<Visit[]> => {
  const queue = [...first];
  const seen = new Set(queue.map(visitKey));
  const visits: Visit[] = [];
  while (queue.length > 0 && visits.length < fetchCap[lang]) {
    const path = queue.shift()!;
    const response = await fetch(`${origin}${path}`, {
      redirect: 'manual',
      headers: lang === 'en' ? { cookie: 'lang=en' } : {},
    });
    const body = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const htmlLang = /<html[^>]*\slang="([^"]+)"/.exec(body)?.[1];
    visits.push({ path, status: response.status, type, htmlLang, leaks: scan(body) });
    const location = response.headers.get('location');
    const next = [
      ...linksOf(body, type, origin),
      ...(location === null ? [] : linksOf(` href="${location}"`, 'html', origin)),
    ];
    for (const link of next)
      if (!seen.has(visitKey(link))) {
        seen.add(visitKey(link));
        queue.push(link);
      }
  }
  return visits;
};

// ── the specs ─────────────────────────────────────────────────────────────────────────────────────

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});

let board: BoardFixture;
let crafted: CraftedItems;
let log: LogValues;
let scan: (text: string) => string[];
let forbidden: string[];
/** The units the crafted items sit in now, and the units above them: their ledgers list those items. */
let ledgerUnits: string[];
const visits: Record<'zh' | 'en', Visit[]> = { zh: [], en: [] };

beforeAll(async () => {
  board = await startBoardFixture({
    demoSeed: 20_211_201,
    demoScale: 1000,
    overrides: { logger: pino({ level: 'info' }, logSink) },
    prepare: async (embedded) => {
      crafted = await craftResidentItems(embedded.store, embedded.personalData);
    },
  });
  log = await valuesOfLog(board.embedded.store, board.embedded.personalData);
  // A resident's own words are looked for whole; a stock phrase that is also a public text of the log
  // (a note an official wrote the same way) says nothing about anyone.
  forbidden = [...log.personal].filter((v) => v.length >= 3 && !log.publicTexts.has(v));
  scan = scannerOf(forbidden);
  const rm = board.deps.readModels;
  const asOf = localMoment(fixtureNow);
  const held = [
    ...(await listPublicProblems(rm, { asOf, problemIds: crafted.problemIds, limit: 100 })),
    ...(await listPublicWishes(rm, { wishIds: crafted.wishIds, limit: 100 })),
  ];
  const units = new Map((await listUnits(rm)).map((u) => [u.unit_id, u]));
  ledgerUnits = [
    ...new Set(
      held.flatMap((item) => {
        const u = units.get(item.unit_id);
        return u === undefined ? [] : [u.level4_id, u.level3_id].filter((id): id is string => id !== null);
      }),
    ),
  ];
  const first = [...fixedRoutes(log.campaignId, crafted, ledgerUnits), ...craftedPages(crafted)];
  visits.zh = await crawl(board.url, 'zh', first, scan);
  visits.en = await crawl(board.url, 'en', first, scan);
});

afterAll(async () => {
  await board?.close();
});

describe('the privacy crawl', () => {
  it("stages the crafted resident's items in every personal field, and reads every personal value back from the log", () => {
    // Staged to the end: a closed resident's problem, an enterprise's, an open one; a wish showcased by
    // name and one confirmed with the wisher's comment.
    expect(crafted.complete.problems.length).toBe(3);
    expect(crafted.complete.wishes.length).toBe(2);
    for (const value of [
      craftedResident.name,
      craftedResident.phone,
      craftedResident.phoneAsWritten,
      craftedResident.idNumber,
      craftedResident.address,
      craftedResident.contactName,
      craftedResident.contactPhone,
    ])
      expect(log.personal.has(value), value).toBe(true);
    const texts = [...log.personal];
    expect(texts.filter((v) => v.includes(craftedResident.idNumber)).length, 'ID number in free text').toBeGreaterThan(
      1,
    );
    // The generated campaign brings its own hundreds of residents.
    expect(texts.filter((v) => /^1[3-9]\d{9}$/.test(v)).length).toBeGreaterThan(100);
    expect(texts.filter((v) => /^\d{17}[\dX]$/.test(v)).length).toBeGreaterThan(50);
    expect(texts.filter((v) => v.startsWith('山东省青岛市胶州市')).length).toBeGreaterThan(50);
  });

  it('finds a personal value however a response writes it', () => {
    const { name, phone, address, idNumber } = craftedResident;
    const found = (text: string) => scan(`<p>公示栏</p>${text}<p>end</p>`);
    expect(found(`<a href="/x?q=${encodeURIComponent(name)}">`)).toContain(name);
    expect(found(`<a href="/x?q=${encodeURIComponent(address).toLowerCase()}">`)).toContain(address);
    expect(found('电话 139 1234 5678')).toContain(phone);
    expect(found('{"a":"\\u5f20\\u79c0\\u5170"}')).toContain(name);
    expect(found('<entry>&#x5F20;&#x79C0;&#x5170;</entry>')).toContain(name);
    expect(found(`身份证${idNumber.slice(0, 6)}-${idNumber.slice(6)}`)).toContain(idNumber);
    expect(found('<p>公示栏 2021-03-01 12:00</p>')).toEqual([]);
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`in ${lang}, no page, export, feed or API answer shows a resident's personal data, and none fails`, () => {
      const seen = visits[lang];
      expect(seen.length).toBeGreaterThan(100);
      const pages = seen.filter((v) => v.htmlLang !== undefined);
      expect(pages.length).toBeGreaterThan(50);
      expect(pages.filter((v) => !v.htmlLang!.startsWith(lang)).map((v) => v.path)).toEqual([]);
      const leaks = seen.flatMap((v) => v.leaks.map((value) => `${v.path}: ${value}`));
      expect(leaks).toEqual([]);
      expect(seen.filter((v) => v.status >= 500).map((v) => `${v.status} ${v.path}`)).toEqual([]);
      // The crafted items were looked at, and they are on the board: their pages answer.
      const byPath = new Map(seen.map((v) => [v.path, v]));
      for (const path of craftedPages(crafted)) expect(byPath.get(path)?.status, path).toBe(200);
      // Links that lead nowhere yet (routes other work is building) are reported by their shape, not failed.
      const shapes = new Set(
        seen
          .filter((v) => v.status === 404)
          .map((v) => v.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|crafted-[a-z]+-\d+/g, ':id').replace(/=[^&]*/g, '=…')),
      );
      if (shapes.size > 0) console.warn(`${lang}: routes answering 404:\n  ${[...shapes].sort().join('\n  ')}`);
    });
  }

  it('every fixed route answers 2xx in both languages', () => {
    expect(ledgerUnits.length, 'ledgers of the crafted items’ units').toBeGreaterThan(0);
    const missing: string[] = [];
    for (const lang of ['zh', 'en'] as const) {
      const byPath = new Map(visits[lang].map((v) => [v.path, v]));
      for (const path of fixedRoutes(log.campaignId, crafted, ledgerUnits)) {
        const status = byPath.get(path)?.status;
        if (status === undefined || status < 200 || status >= 300) missing.push(`${lang} ${status} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the board's request logs hold none of it", () => {
    const text = logLines.join('');
    // The logs are there and record the crawl, one line per request.
    expect(logLines.length).toBeGreaterThanOrEqual(visits.zh.length + visits.en.length);
    expect(text).toContain('/disclosure');
    expect(scan(text)).toEqual([]);
  });
});
