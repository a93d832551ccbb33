// The Atom feeds over a seeded board, as a feed reader takes them: well-formed XML with the elements Atom
// requires, entries newest first and the same as the read models' newest closed problems and showcased
// wishes, a per-unit feed holding only that unit's items, a 400 for an unknown unit, the reader's
// language, and no resident's personal data.
import { listPublicProblems, listUnits, showcase } from '@banshishi/read-models';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { en } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { residentPersonalValues } from '../test-support/personal-values.js';
import { feedSize, htmlText } from './feeds.js';

/** A `type="html"` text construct as the parser gives it. */
interface HtmlText {
  readonly '#text': string;
  readonly '@_type': string;
}
interface Entry {
  readonly id: string;
  readonly title: HtmlText;
  readonly updated: string;
  readonly summary: HtmlText;
  readonly link: { '@_href': string } | { '@_href': string }[];
}
interface AtomFeed {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly author: { name: string };
  readonly link: { '@_href': string; '@_rel': string }[];
  readonly entry: Entry[];
}

let fixture: BoardFixture;
const bodies: { path: string; text: string }[] = [];
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' });

const feedAt = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${fixture.url}${path}`, { headers });
  const text = await res.text();
  bodies.push({ path, text });
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = parser.parse(text) as { feed: AtomFeed & { '@_xmlns': string } };
  expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  return { res, feed: { ...doc.feed, entry: doc.feed.entry ?? [] } };
};

const textOf = (t: HtmlText) => {
  expect(t['@_type']).toBe('html');
  return String(t['#text']);
};
const hrefOf = (e: Entry) => (Array.isArray(e.link) ? e.link[0]?.['@_href'] : e.link['@_href']) as string;
const moment = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const asOf = localMoment(fixtureNow);

/** What Atom 1.0 requires of a feed and its entries (RFC 4287 §4.1), and newest first. */
const expectValidAtom = (feed: AtomFeed) => {
  expect(feed.id).toMatch(/^tag:/);
  expect(feed.title).not.toBe('');
  expect(feed.updated).toMatch(moment);
  expect(feed.author.name).not.toBe('');
  expect(feed.link.some((l) => l['@_rel'] === 'self' && l['@_href'].startsWith(fixture.url))).toBe(true);
  for (const e of feed.entry) {
    expect(e.id).toMatch(/^tag:banshishi\.example,2021:(problem|wish)\//);
    expect(e.updated).toMatch(moment);
    expect(hrefOf(e).startsWith(`${fixture.url}/`)).toBe(true);
  }
  const times = feed.entry.map((e) => Date.parse(e.updated));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  if (feed.entry[0] !== undefined) expect(feed.updated).toBe(feed.entry[0].updated);
  expect(new Set(feed.entry.map((e) => e.id)).size).toBe(feed.entry.length);
};

/** The street (level 2) with most closed problems, so a per-unit feed is a real subset. */
const busiestStreet = async (): Promise<string> => {
  const closed = await listPublicProblems(fixture.deps.readModels, { asOf, statuses: ['closed'], limit: 100_000 });
  const counts = new Map<string, number>();
  for (const p of closed)
    if (p.unit_path.level2 !== null) counts.set(p.unit_path.level2, (counts.get(p.unit_path.level2) ?? 0) + 1);
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (best === undefined) throw new Error('no closed problem sits under a street');
  return best[0];
};

beforeAll(async () => {
  fixture = await startBoardFixture();
});
afterAll(async () => {
  await fixture?.close();
});

describe('the feed of newly closed problems', () => {
  it('is valid Atom holding the newest closed problems, newest first, linking to their pages', async () => {
    const { res, feed } = await feedAt('/feeds/closed.atom');
    expectValidAtom(feed);
    expect(res.headers.get('cache-control')).toMatch(/max-age=/);
    const newest = await listPublicProblems(fixture.deps.readModels, {
      asOf,
      statuses: ['closed'],
      sort: 'closed',
      limit: feedSize,
    });
    expect(newest.length).toBeGreaterThan(0);
    expect(feed.entry.map((e) => e.id)).toEqual(
      newest.map((p) => `tag:banshishi.example,2021:problem/${p.problem_id}`),
    );
    expect(feed.entry.map((e) => Date.parse(e.updated))).toEqual(newest.map((p) => Date.parse(String(p.closed_at))));
    expect(feed.entry.map((e) => textOf(e.title))).toEqual(newest.map((p) => htmlText(zh.feeds.closedEntry(p.title))));
    expect(feed.title).toBe(zh.feeds.closedTitle);
    const page = await fetch(hrefOf(feed.entry[0] as Entry));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(newest[0]?.title);
  });

  it('under a unit holds only that unit’s closed problems', async () => {
    const street = await busiestStreet();
    const district = await feedAt('/feeds/closed.atom');
    const { feed } = await feedAt(`/feeds/closed.atom?unit=${street}`);
    expectValidAtom(feed);
    const underStreet = await fetch(`${fixture.url}/disclosure.json?kind=problems&status=closed&unit=${street}`);
    const rows = ((await underStreet.json()) as { rows: { id: string; unitPath: string; closedAt: string }[] }).rows;
    const ids = new Set(rows.map((r) => `tag:banshishi.example,2021:problem/${r.id}`));
    expect(feed.entry.length).toBe(Math.min(feedSize, rows.length));
    expect(feed.entry.every((e) => ids.has(e.id))).toBe(true);
    for (const r of rows) expect(r.unitPath.split('/')).toContain(street);
    // It is a real subset: the district feed has items from elsewhere.
    expect(district.feed.entry.some((e) => !ids.has(e.id))).toBe(true);
    expect(feed.id).not.toBe(district.feed.id);
    const units = await listUnits(fixture.deps.readModels);
    expect(feed.title).toBe(zh.feeds.closedTitleUnit(String(units.find((u) => u.unit_id === street)?.name)));
  });

  it('speaks the reader’s language', async () => {
    const { feed } = await feedAt('/feeds/closed.atom', { 'accept-language': 'en' });
    expect(feed.title).toBe(en.feeds.closedTitle);
    expect(feed.author.name).toBe(en.feeds.author);
    expect(textOf((feed.entry[0] as Entry).title).startsWith(htmlText(en.feeds.closedEntry('')))).toBe(true);
  });
});

describe('the feed of newly showcased wishes', () => {
  it('is valid Atom holding the newest 亮梦, newest first', async () => {
    const { feed } = await feedAt('/feeds/showcased.atom');
    expectValidAtom(feed);
    const newest = await showcase(fixture.deps.readModels, { limit: feedSize });
    expect(newest.length).toBeGreaterThan(0);
    expect(feed.entry.map((e) => e.id)).toEqual(newest.map((s) => `tag:banshishi.example,2021:wish/${s.wish_id}`));
    expect(feed.entry.map((e) => Date.parse(e.updated))).toEqual(newest.map((s) => Date.parse(s.showcased_at)));
    expect(feed.entry.every((e, i) => textOf(e.summary).includes(htmlText(newest[i]?.story ?? '∅')))).toBe(true);
    expect(feed.title).toBe(zh.feeds.showcasedTitle);
  });

  it('under a unit holds only that unit’s wishes', async () => {
    const all = await showcase(fixture.deps.readModels, { limit: 100_000 });
    const unit = all[0]?.unit_id as string;
    const { feed } = await feedAt(`/feeds/showcased.atom?unit=${unit}`, { 'accept-language': 'en' });
    expectValidAtom(feed);
    const exported = await fetch(`${fixture.url}/showcase.json?unit=${unit}`);
    const rows = ((await exported.json()) as { rows: { id: string; unitPath: string }[] }).rows;
    expect(rows.every((r) => r.unitPath.split('/').includes(unit))).toBe(true);
    expect(feed.entry.map((e) => e.id)).toEqual(
      rows.slice(0, feedSize).map((r) => `tag:banshishi.example,2021:wish/${r.id}`),
    );
    expect(feed.entry.length).toBeLessThan(all.length);
    expect(feed.title).toContain(String(all[0]?.unit_name));
  });
});

describe('both feeds', () => {
  it.each([
    '/feeds/closed.atom',
    '/feeds/showcased.atom',
  ])('%s refuses an unknown or malformed unit with a 400 naming it', async (path) => {
    for (const unit of ['no-such-unit', '%3Cscript%3E', 'a&unit=b']) {
      const res = await fetch(`${fixture.url}${path}?unit=${unit}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 400, parameter: 'unit' });
    }
  });

  it('hold no resident’s personal data', async () => {
    await feedAt('/feeds/closed.atom', { 'accept-language': 'en' });
    await feedAt('/feeds/showcased.atom');
    const personal = await residentPersonalValues(fixture.embedded.store, fixture.embedded.personalData);
    expect(personal.length).toBeGreaterThan(100);
    const leaks = bodies.flatMap(({ path, text }) =>
      personal.filter((v) => text.includes(v)).map((v) => `${path}: ${v}`),
    );
    expect(leaks).toEqual([]);
  });
});
