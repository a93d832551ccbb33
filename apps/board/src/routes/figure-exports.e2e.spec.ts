// The figure tables as downloads hold what the pages show: the 评价榜's ranked and unranked units, a unit's
// months, campaign progress and the quotas, in CSV (localised headers) and JSON (stable keys) alike.
import { campaignProgress, listCampaigns, rankings, unitMonthFigures } from '@banshishi/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMoment } from '../http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { parseCsv } from '../test-support/csv.js';

let board: BoardFixture;
const asOf = localMoment(fixtureNow);
beforeAll(async () => {
  board = await startBoardFixture();
});
afterAll(async () => {
  await board?.close();
});

/** The body as sent: fetch's text() drops a leading BOM, which is part of what is checked. */
const textOf = async (r: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());

const json = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${board.url}${path}`);
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
};

describe('the 评价榜 download', () => {
  it('holds the ranked units in rank order, then the unranked, for the month the page shows', async () => {
    const page = await (await fetch(`${board.url}/rankings?level=2`)).text();
    const month = page.match(/<option value="(\d{4}-\d{2})" selected/)?.[1];
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    const data = await json<{ rows: { unitId: string; rank: number | null; ranked: boolean; score: number | null }[] }>(
      `/rankings.json?level=2&month=${month}`,
    );
    const ranked = await rankings(board.deps.readModels, { level: 2, month: month!, asOf });
    expect(data.rows.filter((r) => r.ranked).map((r) => [r.unitId, r.rank, r.score])).toEqual(
      ranked.map((r) => [r.unitId, r.rank, r.score]),
    );
    for (const r of data.rows.filter((row) => !row.ranked)) expect(r.rank).toBeNull();
    const csv = parseCsv(await textOf(await fetch(`${board.url}/rankings.csv?level=2&month=${month}`)));
    expect(csv.bom).toBe(true);
    expect(csv.records[0]?.slice(0, 2)).toEqual(['名次', '是否排名']);
    expect(csv.records.length - 1).toBe(data.rows.length);
  });

  it('answers a wrong level with 400 naming it, and an unknown format with 404', async () => {
    const bad = await fetch(`${board.url}/rankings.csv?level=7`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { parameter: string }).parameter).toBe('level');
    expect((await fetch(`${board.url}/rankings.xml`)).status).toBe(404);
  });
});

describe('a unit and the campaign as downloads', () => {
  it("a unit's months equal the unit page's figures", async () => {
    const units = await json<{ rows: { unitId: string; level: number }[] }>('/units.json');
    const street = units.rows.find((u) => u.level === 2)!;
    const data = await json<{ rows: { month: string; raised: number; score: number | null }[] }>(
      `/units/${street.unitId}/figures.json`,
    );
    const expected = await unitMonthFigures(board.deps.readModels, { level: 2, unitId: street.unitId, asOf });
    expect(data.rows.map((r) => [r.month, r.raised, r.score])).toEqual(
      expected.map((f) => [f.month, f.raised, f.score]),
    );
    expect((await fetch(`${board.url}/units/nowhere/figures.csv`)).status).toBe(404);
  });

  it('campaign progress holds one row per day up to the moment of the figures', async () => {
    const [campaign] = await listCampaigns(board.deps.readModels);
    const data = await json<{ rows: { day: string; problemsSolved: number }[] }>('/progress.json');
    const expected = await campaignProgress(board.deps.readModels, { campaignId: campaign!.campaign_id, asOf });
    expect(data.rows).toEqual(expected);
    const english = parseCsv(
      await textOf(await fetch(`${board.url}/progress.csv`, { headers: { 'Accept-Language': 'en' } })),
    );
    expect(english.records[0]?.[0]).toBe('Day');
  });

  it('the quotas list every unit with holders and compliant counts that add up', async () => {
    const data = await json<{ rows: { role: string; holders: number; compliant: number }[] }>('/rankings/quotas.json');
    expect(data.rows.some((r) => r.role === 'secretary')).toBe(true);
    expect(data.rows.some((r) => r.role === 'member')).toBe(true);
    for (const r of data.rows) expect(r.compliant).toBeLessThanOrEqual(r.holders);
  });
});
