// 查看联系方式 in the workbench: the claimant of a problem reads the raiser's phone and own words for a
// stated reason, and the read is recorded before anything is shown; the values appear on that answer only,
// never on the page a reload draws; a secretary who did not claim it is offered nothing and a forged read
// is refused with nothing shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbenchFixture, type WorkbenchFixture } from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
const problemId = 'P-CONTACT-1';
const phone = '13912345678';
const words = '楼道里的灯坏了，我腿脚不好，晚上下楼很危险';

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
    title: '楼道灯坏了',
    description: words,
    raiser: { kind: 'resident', personId: resident.personId, name: '赵淑芬', phone },
  });
  await must(wb.person('office').personId, `/problems/${problemId}/assign`, { toUnitId: secretary.unitId });
  await must(secretary.personId, `/problems/${problemId}/claim`, { plan: '上门查看', promisedBy: '2027-01-20' });
  await wb.settled();
});

afterAll(async () => {
  await wb?.close();
});

const page = `/workbench/problems/${problemId}`;

describe('reading the raiser’s contact details', () => {
  it('shows the claimant the phone and the own words for a stated reason, recorded, on that answer only', async () => {
    const secretary = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
    const s = wb.session();
    await s.signIn(secretary.personId);
    const before = await s.get(page);
    expect(before.text).not.toContain(phone);
    expect(before.doc.querySelector(`form[action="${page}/contact"]`)).not.toBeNull();
    const head = await wb.embedded.store.logHead();

    const read = await s.post(`${page}/contact`, { statement: '电话联系居民，约定上门时间' });

    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    const table = read.doc.querySelector('[data-testid=contact]')?.text ?? '';
    expect(table).toContain(phone);
    expect(table).toContain(words);
    expect(table).toContain('赵淑芬');
    // The read was recorded as an event before the values were shown.
    expect((await wb.embedded.store.logHead())!.position).toBeGreaterThan(head!.position);
    const again = await s.get(page);
    expect(again.text).not.toContain(phone);
    expect(again.text).not.toContain(words);
  });

  it('writes no personal value, form field or token to any log line', async () => {
    // The reads above went through the workbench and the API, both logging every request.
    const lines = wb.logs.join('\n');
    expect(wb.logs.some((l) => l.includes('/contact'))).toBe(true);
    for (const value of [phone, words, '赵淑芬', '电话联系居民', 'bs_wb_token', 'Bearer '])
      expect(lines).not.toContain(value);
  });

  it('offers a secretary who did not claim it nothing, and refuses their forged read with nothing shown', async () => {
    const other = wb.people.find((p) => p.role === 'secretary' && p.label.includes('北关社区第一网格'))!;
    const s = wb.session();
    await s.signIn(other.personId);
    const shown = await s.get(page);
    expect(shown.doc.querySelector(`form[action="${page}/contact"]`)).toBeNull();
    const forged = await s.post(`${page}/contact`, { purpose: 'contact_resident', statement: '想看看' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    expect(forged.text).not.toContain(phone);
    expect(forged.text).not.toContain(words);
  });
});
