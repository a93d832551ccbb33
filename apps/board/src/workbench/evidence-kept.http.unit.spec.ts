// Evidence is kept only for a command the API took: a solve refused (no summary) leaves no file in the
// evidence folder, though its photo was fine; the same photo with a summary is kept, under its hash.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbenchFixture, type WorkbenchFixture } from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
const problemId = 'P-EVIDENCE-KEPT';
const page = `/workbench/problems/${problemId}`;

const filesIn = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
};

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  const resident = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
  const secretary = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
  const must = async (personId: string, path: string, body: unknown) => {
    const answer = await wb.api(personId, 'POST', path, body);
    if (answer.status >= 300) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
  };
  await must(resident.personId, '/problems', {
    problemId,
    unitId: resident.unitId,
    source: 'resident',
    grade: 'small',
    title: '井盖松动',
    raiser: { kind: 'resident', personId: resident.personId },
  });
  await must(wb.person('office').personId, `/problems/${problemId}/assign`, { toUnitId: secretary.unitId });
  await must(secretary.personId, `/problems/${problemId}/claim`, { plan: '更换井盖', promisedBy: '2027-01-20' });
  await wb.settled();
});

afterAll(async () => {
  await wb?.close();
});

describe('evidence of a solve', () => {
  it('is not kept when the API refuses the solve, and is kept when it takes it', async () => {
    const secretary = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
    const s = wb.session();
    await s.signIn(secretary.personId);
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#357' } })
      .jpeg()
      .toBuffer();
    const photo = [['evidence', jpeg, 'manhole.jpg', 'image/jpeg']] as const;

    await s.get(page);
    const refused = await s.postMultipart(`${page}/solve`, { summary: '' }, photo);
    expect(refused.status).toBe(400);
    expect(await filesIn(wb.evidenceDir)).toEqual([]);

    const done = await s.postMultipart(`${page}/solve`, { summary: '已更换新井盖' }, photo);
    expect(done.status).toBe(303);
    const kept = await filesIn(wb.evidenceDir);
    expect(kept).toHaveLength(1);
    const shown = await s.get(done.location!);
    const href = shown.doc.querySelector('[data-testid=evidence-link]')?.getAttribute('href') ?? '';
    expect(kept[0]).toContain(href.split('/').at(-1)!);
  });
});
