// Every form the workbench draws, for every kind of person, is refused (403) when posted without this
// session's form token or with another session's, and nothing reaches the event log. The forms are not
// listed here: they are collected from the pages themselves, so a form added later is covered too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
const problemId = 'P-CSRF-1';
const wishId = 'W-CSRF-1';

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  const resident = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
  const secretary = wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!;
  const ok = (answer: { status: number; body: unknown }) => {
    if (answer.status >= 300) throw new Error(JSON.stringify(answer.body));
  };
  ok(
    await wb.api(resident.personId, 'POST', '/problems', {
      problemId,
      unitId: resident.unitId,
      source: 'resident',
      grade: 'small',
      title: '小区门口积水',
      raiser: { kind: 'resident', personId: resident.personId },
    }),
  );
  ok(
    await wb.api(wb.person('office').personId, 'POST', `/problems/${problemId}/assign`, { toUnitId: secretary.unitId }),
  );
  ok(
    await wb.api(resident.personId, 'POST', '/wishes', {
      wishId,
      unitId: resident.unitId,
      category: 'study',
      description: '想学用智能手机',
      consent: 'named',
      wisher: { name: '李桂兰', personId: resident.personId },
    }),
  );
  await wb.settled();
});

afterAll(async () => {
  await wb?.close();
});

const pagesOf: Record<string, readonly string[]> = {
  office: [
    '/workbench',
    '/workbench/office',
    '/workbench/office/directory',
    '/workbench/office/campaign',
    `/workbench/problems/${problemId}`,
    `/workbench/wishes/${wishId}`,
  ],
  secretary: ['/workbench', '/workbench/claims', `/workbench/problems/${problemId}`, '/workbench/raise'],
  member: ['/workbench', '/workbench/claims', `/workbench/wishes/${wishId}`],
  resident: ['/workbench', '/workbench/raise', '/workbench/mine', `/workbench/problems/${problemId}`],
};

/** Forms each kind of person must have been shown on those pages (beside signing out). */
const actsOf: Record<string, readonly string[]> = {
  office: [
    `/workbench/problems/${problemId}/assign`,
    `/workbench/problems/${problemId}/reject`,
    `/workbench/wishes/${wishId}/cancel`,
    '/workbench/office/directory/units',
    '/workbench/office/campaign/campaigns',
  ],
  secretary: [`/workbench/problems/${problemId}/claim`, '/workbench/raise/problem', '/workbench/raise/wish'],
  member: [`/workbench/wishes/${wishId}/claim`],
  resident: ['/workbench/raise/problem', '/workbench/raise/wish'],
};

const personFor = (role: string) =>
  role === 'secretary'
    ? wb.people.find((p) => p.role === 'secretary' && p.label.includes(' · 中云社区 · '))!
    : role === 'resident'
      ? wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!
      : wb.person(role);

/** Every post form on the page: its action and its fields as the browser would send them. */
const formsOn = (s: WorkbenchSession): { action: string; fields: Record<string, string> }[] =>
  (s.last?.doc.querySelectorAll('form') ?? [])
    .filter((f) => (f.getAttribute('method') ?? '').toLowerCase() === 'post')
    .map((f) => ({
      action: f.getAttribute('action') ?? '',
      fields: Object.fromEntries(
        f
          .querySelectorAll('input, select, textarea')
          .filter((i) => i.getAttribute('name') !== null && i.getAttribute('type') !== 'file')
          .map((i) => [
            i.getAttribute('name')!,
            i.getAttribute('value') ?? i.querySelector('option')?.getAttribute('value') ?? i.text ?? 'x',
          ]),
      ),
    }));

describe.each(Object.keys(pagesOf))('as %s', (role) => {
  it('every form posted without its token, or with another session’s, is refused and stores nothing', async () => {
    const s = wb.session();
    await s.signIn(personFor(role).personId);
    const other = wb.session();
    await other.get('/workbench/sign-in');
    const foreign = other.hiddenFieldsOf('/workbench/sign-in')._csrf!;
    const seen = new Set<string>();
    for (const path of pagesOf[role]!) {
      const page = await s.get(path);
      expect(page.status, path).toBe(200);
      for (const { action, fields } of formsOn(s)) {
        if (seen.has(action)) continue;
        seen.add(action);
        const before = await wb.embedded.store.logHead();
        const { _csrf, ...rest } = fields;
        expect(_csrf, `${action} on ${path} carries a form token`).toMatch(/.{20,}/);
        const without = await s.post(action, rest, { csrf: false });
        expect(without.status, `${action} without a token`).toBe(403);
        const forged = await s.post(action, rest, { csrf: foreign });
        expect(forged.status, `${action} with another session's token`).toBe(403);
        await s.get(path);
        expect(await wb.embedded.store.logHead(), `${action}: nothing was appended`).toEqual(before);
      }
    }
    // Each kind of person has forms to act with: a page drawing none would pass the loop above vacuously.
    expect([...seen]).toEqual(expect.arrayContaining(['/workbench/sign-out', ...actsOf[role]!]));
  });
});
