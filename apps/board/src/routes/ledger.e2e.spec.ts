// A village's 问题清单和需求台账 over a seeded board, as its first secretary's office reads it and prints it:
// the page lists exactly the items sitting in the unit and below it, oldest first and numbered, each with
// its deadline (the promised date, or while unclaimed the response window's last day, agreeing with the
// overdue mark), owner and 销号 date; the CSV and JSON hold the same rows under a file name that says whose
// ledger of which day it is; a wrong unit or kind is refused; and no resident's personal data is in any of it.
import {
  countPublicProblems,
  countPublicWishes,
  defaultEvaluationConfig,
  listPublicProblems,
  listPublicWishes,
  listUnits,
  type UnitsTable,
  unitLedger,
} from '@banshishi/read-models';
import express from 'express';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { en } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { parseCsv } from '../test-support/csv.js';
import { residentPersonalValues } from '../test-support/personal-values.js';
import { ledgerRoutes } from './ledger.js';

type Row = Record<string, string | number | boolean | null>;
interface Body {
  readonly asOf: string;
  readonly count: number;
  readonly capped?: { limit: number; total?: number };
  readonly rows: Row[];
}

let fixture: BoardFixture;
/** The community (level 3) holding most problems, so its ledger is a real sheet. */
let village: UnitsTable;
const asOf = localMoment(fixtureNow);
const today = asOf.slice(0, 10);
/** Every body fetched, checked for personal data at the end. */
const bodies: { path: string; text: string }[] = [];

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${fixture.url}${path}`, { headers });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  bodies.push({ path, text });
  return { res, text };
};
const ledgerOf = (unitId: string, suffix = '') => `/units/${encodeURIComponent(unitId)}/ledger${suffix}`;

/** The ids a table of the page links to, in the order shown, with the 序号 cell of each row. */
const tableRows = (html: string, section: 'ledger-problems' | 'ledger-wishes') =>
  parse(html)
    .querySelectorAll(`section[aria-labelledby="${section}"] tbody tr`)
    .map((tr) => ({
      number: tr.querySelector('td.num')?.text.trim(),
      id: decodeURIComponent(tr.querySelector('th a')?.getAttribute('href')?.split('/').pop() ?? ''),
      cells: tr.querySelectorAll('td').map((td) => td.text.trim()),
    }));

beforeAll(async () => {
  fixture = await startBoardFixture({ demoScale: 600, transparency: false });
  const rm = fixture.deps.readModels;
  const communities = (await listUnits(rm)).filter((u) => u.level === 3);
  const counted = await Promise.all(
    communities.map(async (u) => ({ u, n: await countPublicProblems(rm, { unitId: u.unit_id, asOf }) })),
  );
  village = counted.sort((a, b) => b.n - a.n)[0]!.u;
});
afterAll(async () => {
  await fixture?.close();
});

describe("a unit's ledger page", () => {
  it('lists every problem and wish sitting in the unit or below it, oldest first and numbered', async () => {
    const rm = fixture.deps.readModels;
    const { res, text } = await get(ledgerOf(village.unit_id));
    expect(res.status).toBe(200);
    const problems = await listPublicProblems(rm, { asOf, unitId: village.unit_id, order: 'asc', limit: 1000 });
    const wishes = await listPublicWishes(rm, { unitId: village.unit_id, order: 'asc', limit: 1000 });
    expect(problems.length).toBeGreaterThan(1);
    const shownProblems = tableRows(text, 'ledger-problems');
    expect(shownProblems.map((r) => r.id)).toEqual(problems.map((p) => p.problem_id));
    expect(shownProblems.map((r) => r.number)).toEqual(problems.map((_, i) => String(i + 1)));
    const shownWishes = tableRows(text, 'ledger-wishes');
    expect(shownWishes.map((r) => r.id)).toEqual(wishes.map((w) => w.wish_id));
    expect(text).toContain(zh.ledger.heading(village.name));
    expect(text).toContain(zh.ledger.tabulated('2022-01-10 12:00'));
  });

  it('sums up as the 公示栏 counts: all, open, overdue and closed', async () => {
    const rm = fixture.deps.readModels;
    const { text } = await get(ledgerOf(village.unit_id));
    const figures = Object.fromEntries(
      parse(text)
        .querySelectorAll('section[aria-labelledby="ledger-summary"] .figures div')
        .map((d) => [d.querySelector('dt')!.text, Number(d.querySelector('dd')!.text)]),
    );
    const unitId = village.unit_id;
    expect(figures[zh.ledger.problemsTotal]).toBe(await countPublicProblems(rm, { asOf, unitId }));
    expect(figures[zh.ledger.problemsOverdue]).toBe(await countPublicProblems(rm, { asOf, unitId, overdueOnly: true }));
    expect(figures[zh.ledger.problemsClosed]).toBe(
      await countPublicProblems(rm, { asOf, unitId, statuses: ['closed'] }),
    );
    expect(figures[zh.ledger.problemsOpen]).toBe(
      await countPublicProblems(rm, { asOf, unitId, statuses: ['solicited', 'assigned', 'claimed'] }),
    );
    expect(figures[zh.ledger.wishesTotal]).toBe(await countPublicWishes(rm, { unitId }));
    expect(figures[zh.ledger.wishesConfirmed]).toBe(
      await countPublicWishes(rm, { unitId, statuses: ['confirmed', 'showcased'] }),
    );
    expect(Object.keys(figures)).toHaveLength(7);
  });

  it('gives each problem the deadline it is held to, overdue exactly when an open one is past it', async () => {
    const rm = fixture.deps.readModels;
    const district = (await listUnits(rm)).find((u) => u.level === 1)!;
    const { problems } = await unitLedger(rm, {
      unitId: district.unit_id,
      asOf,
      limits: { problems: 100_000, wishes: 0 },
    });
    const kinds = new Set<string>();
    for (const p of problems) {
      const open = p.status === 'solicited' || p.status === 'assigned' || p.status === 'claimed';
      if (p.promised_by !== null) expect(p.deadline).toEqual({ date: p.promised_by, kind: 'promised' });
      else if (p.status === 'solicited' || p.status === 'assigned') {
        const days = defaultEvaluationConfig.responseWindowDays[p.grade as 'minor'];
        expect(p.deadline?.kind).toBe('response_window');
        const due = new Date(`${p.solicited_date}T00:00:00Z`);
        due.setUTCDate(due.getUTCDate() + days);
        expect(p.deadline?.date).toBe(due.toISOString().slice(0, 10));
      } else expect(p.deadline).toBeNull();
      expect(p.overdue, p.problem_id).toBe(open && p.deadline !== null && p.deadline.date < today);
      if (p.deadline !== null) kinds.add(`${p.deadline.kind}/${open ? 'open' : 'done'}`);
    }
    // The demo holds each case: promised and done, promised and open, waiting for a claim.
    expect([...kinds].sort()).toEqual(['promised/done', 'promised/open', 'response_window/open']);
  });

  it('shows a closed problem crossed off with its 销号 date, and an open one with its owner and deadline', async () => {
    const rm = fixture.deps.readModels;
    const { text } = await get(ledgerOf(village.unit_id));
    const problems = await listPublicProblems(rm, { asOf, unitId: village.unit_id, order: 'asc', limit: 1000 });
    const root = parse(text);
    const rows = root.querySelectorAll('section[aria-labelledby="ledger-problems"] tbody tr');
    problems.forEach((p, i) => {
      const tr = rows[i]!;
      const cells = tr.querySelectorAll('td').map((td) => td.text.trim());
      expect(tr.classList.contains('crossed'), p.problem_id).toBe(p.status === 'closed' || p.status === 'rejected');
      if (p.status === 'closed') expect(cells[cells.length - 1]).toBe(p.closed_date);
      if (p.claimant_name !== null) expect(cells[3]).toContain(p.claimant_name);
      if (p.promised_by !== null) expect(cells[2]).toContain(p.promised_by);
      expect(cells[4]).toBe(p.unit_name);
      expect(cells[1]!.includes(zh.disclosure.overdue)).toBe(p.overdue);
    });
  });

  it('is linked from the unit page, and answers in English when the reader chose it', async () => {
    const unitPage = await get(`/units/${encodeURIComponent(village.unit_id)}`);
    expect(unitPage.text).toContain(`href="${ledgerOf(village.unit_id)}"`);
    const english = await get(ledgerOf(village.unit_id), { cookie: 'lang=en' });
    expect(english.text).toContain('<html lang="en"');
    expect(english.text).toContain(en.ledger.heading(village.name));
    expect(english.text).toContain(en.ledger.problems);
  });

  it('is a 404 for a unit the directory does not hold', async () => {
    for (const path of ['/units/no-such-unit/ledger', '/units/no-such-unit/ledger.csv', '/units/%2E%2E/ledger'])
      expect((await get(path)).res.status, path).toBe(404);
  });

  it('lists a grid of the village (a unit at the lowest level) too', async () => {
    const grid = (await listUnits(fixture.deps.readModels)).find((u) => u.parent_id === village.unit_id);
    expect(grid).toBeDefined();
    expect((await get(ledgerOf(grid!.unit_id))).res.status).toBe(200);
  });
});

describe("a unit's ledger as CSV and JSON", () => {
  it('downloads the page’s rows under a name with the unit and the day, BOM first, headers in Chinese', async () => {
    const { text: page } = await get(ledgerOf(village.unit_id));
    for (const kind of ['problems', 'wishes'] as const) {
      const { res, text } = await get(ledgerOf(village.unit_id, `.csv?kind=${kind}`));
      expect(res.status, text).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const name = `ledger-${village.unit_id}-${kind}-${today}.csv`;
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      const { bom, records } = parseCsv(text);
      expect(bom).toBe(true);
      expect(records[0]!.slice(0, 2)).toEqual([zh.ledger.columns.number, zh.ledger.columns.id]);
      const shown = tableRows(page, kind === 'problems' ? 'ledger-problems' : 'ledger-wishes');
      expect(records.slice(1).map((r) => r[1])).toEqual(shown.map((r) => r.id));
      expect(records.slice(1).map((r) => r[0])).toEqual(shown.map((r) => r.number));
    }
  });

  it('agree cell by cell between CSV and JSON, and headers follow the reader’s language', async () => {
    for (const kind of ['problems', 'wishes'] as const) {
      const csv = parseCsv((await get(ledgerOf(village.unit_id, `.csv?kind=${kind}`), { cookie: 'lang=en' })).text);
      const { text } = await get(ledgerOf(village.unit_id, `.json?kind=${kind}`), { cookie: 'lang=en' });
      const json = JSON.parse(text) as Body;
      expect(json.asOf).toBe(asOf);
      expect(csv.records[0]![0]).toBe(en.ledger.columns.number);
      expect(csv.records).toHaveLength(json.count + 1);
      json.rows.forEach((row, i) => {
        const cells = Object.values(row).map((v) => (v === null ? '' : String(v)));
        expect(csv.records[i + 1]).toEqual(cells);
      });
    }
  });

  it('refuse a wrong kind with a 400 naming it, never a 5xx', async () => {
    for (const format of ['csv', 'json'])
      for (const query of [
        'kind=everything',
        'kind=PROBLEMS',
        'kind=a&kind=b',
        'kind[]=x',
        `kind=${'x'.repeat(5000)}`,
      ]) {
        const { res, text } = await get(ledgerOf(village.unit_id, `.${format}?${query}`));
        expect(res.status, `${format} ${query.slice(0, 40)}`).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(JSON.parse(text)).toMatchObject({ status: 400, parameter: 'kind' });
      }
  });

  it('say so when more rows match than an export or the page sends', async () => {
    const app = express();
    app.use(ledgerRoutes(fixture.deps, { cap: 2, pageLimit: 3 }));
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const res = await fetch(`${base}${ledgerOf(village.unit_id, '.json?kind=problems')}`);
      const body = (await res.json()) as Body;
      const total = await countPublicProblems(fixture.deps.readModels, { asOf, unitId: village.unit_id });
      expect(total).toBeGreaterThan(3);
      expect(body.count).toBe(2);
      expect(body.capped).toEqual({ limit: 2, total });
      expect(res.headers.get('x-export-capped')).toBe(`2 of ${total} rows`);
      const page = await (await fetch(`${base}${ledgerOf(village.unit_id)}`)).text();
      expect(tableRows(page, 'ledger-problems')).toHaveLength(3);
      expect(page).toContain(zh.ledger.capped(3, total));
    } finally {
      server.close();
    }
  });
});

describe("a unit's ledger and residents' personal data", () => {
  it('holds none of it, on the page or in its downloads, in either language', async () => {
    const units = (await listUnits(fixture.deps.readModels)).filter((u) => u.level >= 3).slice(0, 12);
    for (const u of units)
      for (const lang of ['zh', 'en'])
        for (const suffix of ['', '.csv?kind=problems', '.csv?kind=wishes', '.json?kind=wishes'])
          await get(ledgerOf(u.unit_id, suffix), { cookie: `lang=${lang}` });
    const personal = await residentPersonalValues(fixture.embedded.store, fixture.embedded.personalData);
    expect(personal.length).toBeGreaterThan(100);
    const leaks = bodies.flatMap(({ path, text }) =>
      personal.filter((v) => text.includes(v)).map((v) => `${path}: ${v}`),
    );
    expect(leaks).toEqual([]);
  });
});
