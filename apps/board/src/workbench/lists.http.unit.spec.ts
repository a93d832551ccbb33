// The workbench's lists and raise forms over HTTP, as a browser without JavaScript uses them: a resident
// raises a problem and a wish and finds them under 我的事项; a refused form comes back with the field
// marked and the values kept, storing nothing; the same form posted twice stores one problem; a
// secretary finds a problem routed to their unit under 我可以认领的; a member sees the wishes of their
// district, with their open-claim count.
import { listUnits } from '@banshishi/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
let resident: WorkbenchSession;
let residentUnit: string;

const raisePath = '/workbench/raise';
const problemForm = '/workbench/raise/problem';
const wishForm = '/workbench/raise/wish';

/** The ids of the items linked from a page's table rows. */
const linked = (s: WorkbenchSession, kind: 'problems' | 'wishes') =>
  (s.last?.doc.querySelectorAll(`a[href^="/workbench/${kind}/"]`) ?? []).map((a) =>
    decodeURIComponent(a.getAttribute('href')!.slice(`/workbench/${kind}/`.length)),
  );

const mine = async (s: WorkbenchSession) => {
  await wb.settled();
  const page = await s.get('/workbench/mine');
  expect(page.status).toBe(200);
  return { problems: linked(s, 'problems'), wishes: linked(s, 'wishes'), page };
};

/** The id of the item a raise form went on to (`/workbench/problems/<id>?done=1`). */
const createdId = (location: string | null, kind: 'problems' | 'wishes'): string => {
  const match = new RegExp(`^/workbench/${kind}/([^?]+)\\?done=1$`).exec(location ?? '');
  if (match?.[1] === undefined) throw new Error(`not an item page: ${location}`);
  return decodeURIComponent(match[1]);
};

/** Raises a problem through the form; answers the new problem's id. */
const raiseProblem = async (s: WorkbenchSession, title: string) => {
  await s.get(raisePath);
  const done = await s.post(problemForm, { unitId: residentUnit, title, grade: 'small', description: '3号楼东侧' });
  expect(done.status, done.text).toBe(303);
  return createdId(done.location, 'problems');
};

/** The API as the office calls it, with the token the workbench keeps for a signed-in office holder. */
const asOffice = async (path: string, body: unknown) => {
  const office = wb.session();
  await office.signIn(wb.person('office').personId);
  const token = office.cookies.get('bs_wb_token')!;
  const answer = await fetch(`${wb.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.status, await answer.clone().text()).toBeLessThan(300);
};

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  resident = wb.session();
  await resident.signIn(wb.person('resident').personId);
  const page = await resident.get(raisePath);
  residentUnit = page.doc.querySelector('#problem-unitId option')?.getAttribute('value') ?? '';
});

afterAll(async () => {
  await wb?.close();
});

describe('我要反映 and 我的事项 (a resident)', () => {
  it('offers the resident their own unit, and the source their role sets, in words', async () => {
    const page = await resident.get(raisePath);
    expect(page.status).toBe(200);
    expect(residentUnit).toBe(wb.person('resident').unitId);
    expect(page.doc.querySelector('#raise-problem')?.text).toContain('问题来源：群众反映');
    // Every input of both forms has its label.
    for (const input of page.doc.querySelectorAll(
      'form.action input:not([type=hidden]), form.action select, form.action textarea',
    )) {
      const id = input.getAttribute('id');
      expect(page.doc.querySelector(`label[for="${id}"]`), String(id)).not.toBeNull();
    }
  });

  it('raises a problem through the form: on to its page, and it is listed under 我的事项', async () => {
    const before = await mine(resident);
    const id = await raiseProblem(resident, '小区路灯损坏，夜间出行不便');
    const after = await mine(resident);
    expect(after.problems).toEqual([id, ...before.problems]);
    const row = after.page.doc.querySelector(`tr[data-problem="${id}"]`);
    expect(row?.text).toContain('已征集');
    expect(row?.text).toContain('小区路灯损坏');
  });

  it('refuses a blank title with the field marked, keeps what was typed, and stores nothing', async () => {
    const before = await mine(resident);
    await resident.get(raisePath);
    const refused = await resident.post(problemForm, {
      unitId: residentUnit,
      title: '   ',
      category: '环境卫生',
      grade: 'medium',
      description: '垃圾桶满了没人清',
    });
    expect(refused.status).toBe(400);
    const doc = refused.doc;
    expect(doc.querySelector('[role=alert]')?.getAttribute('data-rule')).toBe('problem.solicit.title_required');
    expect(doc.querySelector('#problem-title')?.getAttribute('aria-invalid')).toBe('true');
    expect(doc.querySelector('#problem-title-error')?.text).toContain('请填写问题标题');
    expect(doc.querySelector('#problem-category')?.getAttribute('aria-invalid')).toBeUndefined();
    expect(doc.querySelector('#problem-category')?.getAttribute('value')).toBe('环境卫生');
    expect(doc.querySelector('#problem-description')?.text).toBe('垃圾桶满了没人清');
    expect(doc.querySelector('#problem-grade option[selected]')?.getAttribute('value')).toBe('medium');
    expect(doc.querySelectorAll('h1')).toHaveLength(1);
    expect((await mine(resident)).problems).toEqual(before.problems);
  });

  it('stores one problem when the same form is posted twice', async () => {
    const before = await mine(resident);
    await resident.get(raisePath);
    const hidden = resident.hiddenFieldsOf(problemForm);
    const fields = { ...hidden, unitId: residentUnit, title: '楼道灯不亮', grade: 'minor' };
    const first = await resident.post(problemForm, fields);
    const second = await resident.post(problemForm, fields);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.location).toBe(first.location);
    const after = await mine(resident);
    expect(after.problems).toHaveLength(before.problems.length + 1);
  });

  it('records a wish with anonymous showing, listed under 我的事项 with the consent in words', async () => {
    await resident.get(raisePath);
    const radios = resident.last!.doc.querySelectorAll('input[name=consent]').map((r) => r.getAttribute('value'));
    expect(radios).toEqual(['none', 'anonymous', 'named']);
    const done = await resident.post(wishForm, {
      unitId: residentUnit,
      category: 'study',
      description: '希望有人辅导孩子的数学作业',
      consent: 'anonymous',
      wisherName: '张女士',
    });
    expect(done.status, done.text).toBe(303);
    const id = createdId(done.location, 'wishes');
    const after = await mine(resident);
    expect(after.wishes).toContain(id);
    const row = after.page.doc.querySelector(`tr[data-wish="${id}"]`);
    expect(row?.text).toContain('匿名展示');
    expect(row?.text).toContain('已收集');
    // The wisher's name is theirs: it is stored sealed, never drawn in a list.
    expect(after.page.text).not.toContain('张女士');
  });

  it('marks a bad phone number on the wish form and keeps the rest', async () => {
    await resident.get(raisePath);
    const refused = await resident.post(wishForm, {
      unitId: residentUnit,
      category: 'life',
      description: '想学用智能手机',
      consent: 'named',
      wisherName: '李大爷',
      wisherPhone: 'not a phone',
    });
    expect(refused.status).toBe(400);
    expect(refused.doc.querySelector('#wish-wisherPhone')?.getAttribute('aria-invalid')).toBe('true');
    expect(refused.doc.querySelector('#wish-wisherName')?.getAttribute('aria-invalid')).toBeUndefined();
    expect(refused.doc.querySelector('#wish-consent-named')?.hasAttribute('checked')).toBe(true);
    expect(refused.doc.querySelector('#wish-description')?.text).toBe('想学用智能手机');
  });
});

describe('我要反映 for others', () => {
  it('lets a grid worker record a wish for a resident, naming the wisher, with the source of a grid visit', async () => {
    const worker = wb.person('grid_worker');
    const s = wb.session();
    await s.signIn(worker.personId);
    const page = await s.get(raisePath);
    expect(page.doc.querySelector('#raise-problem')?.text).toContain('问题来源：网格走访');
    expect(page.doc.querySelector('label[for=wish-wisherName]')?.text).toContain('心愿人姓名');
    const units = page.doc.querySelectorAll('#wish-unitId option').map((o) => o.getAttribute('value'));
    expect(units[0]).toBe(worker.unitId);
    const done = await s.post(wishForm, {
      unitId: worker.unitId,
      category: 'life',
      description: '希望有人帮忙修理轮椅',
      consent: 'none',
      wisherName: '赵奶奶',
      wisherPhone: '13800000000',
    });
    expect(done.status, done.text).toBe(303);
    createdId(done.location, 'wishes');
  });

  it('lets an enterprise raise a problem under its own name and find it under 我的事项', async () => {
    const s = wb.session();
    await s.signIn(wb.person('enterprise').personId);
    const page = await s.get(raisePath);
    expect(page.doc.querySelector('#raise-problem')?.text).toContain('问题来源：企业反映');
    expect(page.doc.querySelector('#raise-wish')).toBeNull();
    const unitId = page.doc.querySelector('#problem-unitId option')?.getAttribute('value') ?? '';
    const done = await s.post(problemForm, { unitId, title: '园区道路积水', grade: 'medium' });
    expect(done.status, done.text).toBe(303);
    const id = createdId(done.location, 'problems');
    expect((await mine(s)).problems).toContain(id);
  });
});

describe('领题与领梦', () => {
  it('shows a secretary a problem under 我可以认领的 once the office routes it to their unit', async () => {
    const units = await listUnits(wb.embedded.readModels);
    const byId = new Map(units.map((u) => [u.unit_id, u]));
    const ancestors = new Set<string>();
    for (let u = byId.get(residentUnit); u !== undefined; u = u.parent_id === null ? undefined : byId.get(u.parent_id))
      ancestors.add(u.unit_id);
    // A secretary of a community the problem was not raised in: it is theirs only once routed to them.
    const secretary = wb.people.find(
      (p) => p.role === 'secretary' && byId.get(p.unitId)?.kind === 'community' && !ancestors.has(p.unitId),
    )!;
    const id = await raiseProblem(resident, '公园健身器材损坏');
    const s = wb.session();
    await s.signIn(secretary.personId);
    await wb.settled();
    await s.get('/workbench/claims');
    expect(linked(s, 'problems')).not.toContain(id);

    await asOffice(`/problems/${encodeURIComponent(id)}/assign`, { toUnitId: secretary.unitId });
    await wb.settled();
    const page = await s.get('/workbench/claims');
    expect(page.status).toBe(200);
    const row = page.doc.querySelector(`#claimable-problems tr[data-problem="${id}"]`);
    expect(row?.text).toContain('公园健身器材损坏');
    expect(row?.querySelector('a')?.getAttribute('href')).toBe(`/workbench/problems/${encodeURIComponent(id)}`);
    // The deadline column says in words whether it is overdue.
    expect(row?.text).toMatch(/未逾期|已逾期/);
    expect(page.doc.querySelector('#mine-heading')?.text).toBe('我认领的');
  });

  it('shows a member the wishes waiting in their district, no problems, and their open-claim count', async () => {
    await resident.get(raisePath);
    const done = await resident.post(wishForm, {
      unitId: residentUnit,
      category: 'work',
      description: '希望找一份附近的工作',
      consent: 'none',
      wisherName: '王先生',
    });
    const id = createdId(done.location, 'wishes');
    const member = wb.person('member');
    const s = wb.session();
    await s.signIn(member.personId);
    await wb.settled();
    const page = await s.get('/workbench/claims');
    expect(page.status).toBe(200);
    expect(page.doc.querySelector(`#claimable-wishes tr[data-wish="${id}"]`)).not.toBeNull();
    expect(linked(s, 'problems')).toEqual([]);
    expect(page.doc.querySelector('[data-testid=claim-quota]')?.text).toMatch(/进行中的心愿认领：\d+ 个/);

    const units = await listUnits(wb.embedded.readModels);
    const byId = new Map(units.map((u) => [u.unit_id, u]));
    const district = (unitId: string) => {
      let u = byId.get(unitId);
      while (u?.parent_id != null) u = byId.get(u.parent_id);
      return u?.unit_id;
    };
    for (const row of page.doc.querySelectorAll('#claimable-wishes tbody tr')) {
      const unitName = row.querySelectorAll('td')[0]?.text;
      const unit = units.find((u) => u.name === unitName);
      expect(unit && district(unit.unit_id)).toBe(member.unitId);
    }
  });

  it('tells a resident there is no claims list in their role', async () => {
    const page = await resident.get('/workbench/claims');
    expect(page.status).toBe(200);
    expect(page.doc.querySelector('main')?.text).toContain('以您当前的身份没有认领清单');
  });
});
