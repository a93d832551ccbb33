// The office's area of the workbench over HTTP, as a browser without JavaScript uses it: the dispatch queue
// shows a problem a resident has just raised under 待转办; nobody but the office sees it; the directory and
// campaign forms post through the command API, and a refused form comes back with the rule's words on the
// field it concerns, storing nothing.
import { listCampaigns, listUnits } from '@banshishi/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
let office: WorkbenchSession;

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  office = wb.session();
  await office.signIn(wb.person('office').personId);
});

afterAll(async () => {
  await wb?.close();
});

/** A resident raises a problem through the command API with the token their workbench session holds. */
const raiseAsResident = async (problemId: string, title: string): Promise<void> => {
  const resident = wb.person('resident');
  const s = wb.session();
  await s.signIn(resident.personId);
  const token = s.cookies.get('bs_wb_token');
  expect(token).toBeDefined();
  const answer = await fetch(`${wb.url}/api/v1/problems`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      problemId,
      unitId: resident.unitId,
      source: 'resident',
      grade: 'small',
      title,
      category: '基础设施',
      description: '楼道灯坏了',
      raiser: { kind: 'resident', personId: resident.personId },
    }),
  });
  expect(answer.status, await answer.text()).toBe(201);
};

describe('the dispatch queue (调度台)', () => {
  it('shows the office a problem just raised under 待转办, counted and linked to its page', async () => {
    const problemId = `P-OFFICE-${Date.now()}`;
    const title = '调度台测试：楼道灯不亮';
    await raiseAsResident(problemId, title);
    await wb.settled();
    const page = await office.get('/workbench/office');
    expect(page.status).toBe(200);
    expect(page.doc.querySelectorAll('h1')).toHaveLength(1);
    const heading = page.doc.querySelector('#queue-toRoute')?.text ?? '';
    expect(heading).toContain('待转办');
    const rows = page.doc.querySelectorAll('[data-testid=queue-toRoute] tbody tr');
    expect(heading).toContain(String(rows.length));
    const link = page.doc
      .querySelectorAll('[data-testid=queue-toRoute] a')
      .find((a) => a.getAttribute('href') === `/workbench/problems/${encodeURIComponent(problemId)}`);
    expect(link?.text).toBe(title);
    for (const section of ['超期', '退回重办', '待评价', '待亮梦', '无人认领的心愿'])
      expect(page.doc.querySelectorAll('h2').some((h) => h.text.startsWith(section))).toBe(true);
  });

  it('answers a resident and a secretary with 403 and says the queue is the office’s', async () => {
    for (const role of ['resident', 'secretary']) {
      const s = wb.session();
      await s.signIn(wb.person(role).personId);
      const page = await s.get('/workbench/office');
      expect(page.status, role).toBe(403);
      expect(page.doc.querySelector('[role=alert]')?.text).toContain('只对领导小组办公室开放');
      expect(page.doc.querySelector('[data-testid=queue-toRoute]')).toBeNull();
    }
  });
});

describe('the directory (组织与人员)', () => {
  const aCommunity = async () => {
    const units = await listUnits(wb.embedded.readModels);
    const community = units.find((u) => u.kind === 'community' && !u.retired);
    expect(community).toBeDefined();
    return community!;
  };

  it('registers a unit under its parent and lists it on the directory page', async () => {
    const parent = await aCommunity();
    await office.get('/workbench/office/directory');
    const done = await office.post('/workbench/office/directory/units', {
      unitId: `${parent.unit_id}-gtest`,
      name: '测试新网格',
      kind: 'grid',
      parentId: parent.unit_id,
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/workbench/office/directory?done=1');
    await wb.settled();
    const page = await office.get(done.location!);
    expect(page.doc.querySelector('output.notice')?.text).toBe('已办理。');
    const item = page.doc.querySelector(`li[data-unit="${parent.unit_id}"] li[data-unit="${parent.unit_id}-gtest"]`);
    expect(item?.querySelector('a')?.text).toBe('测试新网格');
  });

  it('draws a blank name refused, on the name field, and stores no unit', async () => {
    const parent = await aCommunity();
    await office.get('/workbench/office/directory');
    const refused = await office.post('/workbench/office/directory/units', {
      unitId: `${parent.unit_id}-gblank`,
      name: '   ',
      kind: 'grid',
      parentId: parent.unit_id,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.doc.querySelector('.notice.error')?.text).toContain('未能办理');
    const name = refused.doc.querySelector('#unit-new-name');
    expect(name?.getAttribute('aria-invalid')).toBe('true');
    expect(refused.doc.querySelector('#unit-new-unitId')?.getAttribute('value')).toBe(`${parent.unit_id}-gblank`);
    await wb.settled();
    expect((await listUnits(wb.embedded.readModels)).some((u) => u.unit_id === `${parent.unit_id}-gblank`)).toBe(false);
  });

  it('refuses a unit id already registered with the rule’s words on the id field, keeping the old unit', async () => {
    const parent = await aCommunity();
    await office.get('/workbench/office/directory');
    const refused = await office.post('/workbench/office/directory/units', {
      unitId: parent.unit_id,
      name: '重名单位',
      kind: 'community',
      parentId: parent.parent_id ?? '',
    });
    expect(refused.status).toBe(409);
    expect(refused.doc.querySelector('[data-rule="directory.unit.already_registered"]')?.text).toContain(
      '这个单位编号已经登记过了',
    );
    expect(refused.doc.querySelector('#unit-new-unitId')?.getAttribute('aria-invalid')).toBe('true');
    expect(refused.doc.querySelector('#unit-new-name')?.getAttribute('aria-invalid')).toBeUndefined();
    await wb.settled();
    const kept = (await listUnits(wb.embedded.readModels)).find((u) => u.unit_id === parent.unit_id);
    expect(kept?.name).toBe(parent.name);
  });

  it('renames a unit, then retires it: the page shows the new name and no forms for a retired unit', async () => {
    const parent = await aCommunity();
    const unitId = `${parent.unit_id}-gold`;
    await office.get('/workbench/office/directory');
    await office.post('/workbench/office/directory/units', {
      unitId,
      name: '旧名网格',
      kind: 'grid',
      parentId: parent.unit_id,
    });
    await wb.settled();
    const chosen = `/workbench/office/directory?unit=${encodeURIComponent(unitId)}`;
    await office.get(chosen);
    const renamed = await office.post(`/workbench/office/directory/units/${encodeURIComponent(unitId)}/rename`, {
      name: '新名网格',
    });
    expect(renamed.location).toBe(`${chosen}&done=1`);
    await wb.settled();
    const page = await office.get(renamed.location!);
    expect(page.doc.querySelector('#unit-manage-heading')?.text).toContain('新名网格');
    const retired = await office.post(`/workbench/office/directory/units/${encodeURIComponent(unitId)}/retire`, {
      reason: '网格合并',
    });
    expect(retired.status).toBe(303);
    await wb.settled();
    const after = await office.get(retired.location!);
    expect(after.doc.querySelector(`li[data-unit="${unitId}"]`)?.text).toContain('已撤销');
    expect(after.doc.querySelector(`form[action$="/units/${encodeURIComponent(unitId)}/rename"]`)).toBeNull();
  });

  it('registers an official, grants them a role in a unit and revokes it', async () => {
    const unit = await aCommunity();
    const personId = `official-spec-${Date.now()}`;
    await office.get('/workbench/office/directory');
    const registered = await office.post('/workbench/office/directory/people', {
      personId,
      kind: 'official',
      name: '测试干部',
      phone: '',
    });
    expect(registered.status).toBe(303);
    await wb.settled();
    const chosen = `/workbench/office/directory?person=${encodeURIComponent(personId)}`;
    const page = await office.get(chosen);
    expect(page.doc.querySelector('#person-manage-heading')?.text).toContain('测试干部');
    const granted = await office.post(`/workbench/office/directory/people/${personId}/roles`, {
      role: 'secretary',
      unitId: unit.unit_id,
    });
    expect(granted.location).toBe(`${chosen}&done=1`);
    await wb.settled();
    const holding = await office.get(granted.location!);
    expect(holding.doc.querySelector('#person-manage p:not(.meta)')?.text).toContain(`书记 · ${unit.name}`);
    const revoked = await office.post(`/workbench/office/directory/people/${personId}/roles/revoke`, {
      holding: `secretary@${unit.unit_id}`,
      reason: '换届',
    });
    expect(revoked.status).toBe(303);
    await wb.settled();
    const none = await office.get(revoked.location!);
    expect(none.doc.querySelector('#person-manage p:not(.meta)')?.text).not.toContain('书记');
    expect(none.doc.querySelector(`form[action$="/people/${personId}/roles/revoke"]`)).toBeNull();
  });

  it('lists officials by public name with their roles, and no resident', async () => {
    const page = await office.get('/workbench/office/directory');
    expect(page.status).toBe(200);
    const rows = page.doc.querySelectorAll('[data-testid=people] tbody tr');
    expect(rows.length).toBeGreaterThan(0);
    const resident = wb.person('resident');
    expect(rows.some((r) => r.text.includes(resident.personId))).toBe(false);
    const opened = await office.get(`/workbench/office/directory?person=${encodeURIComponent(resident.personId)}`);
    expect(opened.doc.querySelector('#person-manage-heading')?.text).toContain(resident.personId);
    expect(opened.doc.querySelector('#person-manage')?.text).toContain('群众');
  });

  it('finds officials by a part of their name or id, and nothing for a name no one has', async () => {
    const secretary = wb.person('secretary');
    const name = secretary.label.split(' · ').at(-1)!;
    const found = await office.get(`/workbench/office/directory?q=${encodeURIComponent(name.slice(1))}`);
    const rows = found.doc.querySelectorAll('[data-testid=people] tbody tr');
    expect(rows.some((r) => r.text.includes(secretary.personId))).toBe(true);
    expect(rows.every((r) => r.text.includes(name.slice(1)) || r.text.includes(name.slice(1).toLowerCase()))).toBe(
      true,
    );
    const byId = await office.get(`/workbench/office/directory?q=${secretary.personId.slice(0, 13)}`);
    expect(
      byId.doc.querySelectorAll('[data-testid=people] tbody tr').some((r) => r.text.includes(secretary.personId)),
    ).toBe(true);
    const none = await office.get(`/workbench/office/directory?q=${encodeURIComponent('无此人名')}`);
    expect(none.status).toBe(200);
    expect(none.doc.querySelectorAll('[data-testid=people] tbody tr')).toHaveLength(0);
  });

  it('is the office’s page only', async () => {
    const s = wb.session();
    await s.signIn(wb.person('secretary').personId);
    expect((await s.get('/workbench/office/directory')).status).toBe(403);
    expect((await s.get('/workbench/office/campaign')).status).toBe(403);
    const parent = await aCommunity();
    const forged = await s.post('/workbench/office/directory/units', {
      unitId: `${parent.unit_id}-gforged`,
      name: '伪造网格',
      kind: 'grid',
      parentId: parent.unit_id,
    });
    expect(forged.status).toBe(403);
    await wb.settled();
    expect((await listUnits(wb.embedded.readModels)).some((u) => u.unit_id === `${parent.unit_id}-gforged`)).toBe(
      false,
    );
  });
});

describe('campaign settings (活动设置)', () => {
  it('launches a campaign and lists it as running', async () => {
    const district = wb.person('office').unitId;
    await office.get('/workbench/office/campaign');
    const done = await office.post('/workbench/office/campaign/campaigns', {
      campaignId: 'office-spec-2027',
      name: '测试活动',
      districtId: district,
      periodFrom: '2027-01-01',
      periodTo: '2027-12-31',
      problemsSolved: '100',
      wishesFulfilled: '200',
      perSecretaryProblems: '',
      perMemberWishes: '',
      maxOpenWishClaimsPerMember: '',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/workbench/office/campaign?done=1');
    await wb.settled();
    const page = await office.get(done.location!);
    const article = page.doc.querySelector('[data-campaign="office-spec-2027"]');
    expect(article?.querySelector('h3')?.text).toBe('测试活动');
    expect(article?.text).toContain('解题 100，圆梦 200');
    expect(article?.text).toContain('进行中');
  });

  it('adjusts a running campaign’s targets, then closes it', async () => {
    const campaignId = `office-spec-${Date.now()}`;
    await office.get('/workbench/office/campaign');
    await office.post('/workbench/office/campaign/campaigns', {
      campaignId,
      name: '调整测试活动',
      districtId: wb.person('office').unitId,
      periodFrom: '2028-01-01',
      periodTo: '2028-06-30',
      problemsSolved: '10',
      wishesFulfilled: '20',
    });
    await wb.settled();
    await office.get('/workbench/office/campaign');
    const base = `/workbench/office/campaign/campaigns/${campaignId}`;
    const blank = await office.post(`${base}/targets`, { reason: '', problemsSolved: '15' });
    expect(blank.status).toBeGreaterThanOrEqual(400);
    expect(blank.doc.querySelector(`#targets-${campaignId}-reason`)?.getAttribute('aria-invalid')).toBe('true');
    expect(blank.doc.querySelector(`[data-campaign="${campaignId}"] details[open]`)).not.toBeNull();
    const adjusted = await office.post(`${base}/targets`, { reason: '年中调整', problemsSolved: '15' });
    expect(adjusted.status).toBe(303);
    await wb.settled();
    const page = await office.get(adjusted.location!);
    expect(page.doc.querySelector(`[data-campaign="${campaignId}"]`)?.text).toContain('解题 15，圆梦 20');
    const closed = await office.post(`${base}/close`, { reason: '活动期满' });
    expect(closed.status).toBe(303);
    await wb.settled();
    const after = await office.get(closed.location!);
    const article = after.doc.querySelector(`[data-campaign="${campaignId}"]`);
    expect(article?.text).toContain('已结束');
    expect(article?.querySelector('form')).toBeNull();
  });

  it('refuses a period that ends before it starts on the end date, and launches nothing', async () => {
    await office.get('/workbench/office/campaign');
    const refused = await office.post('/workbench/office/campaign/campaigns', {
      campaignId: 'office-spec-backwards',
      name: '倒序活动',
      districtId: wb.person('office').unitId,
      periodFrom: '2027-12-31',
      periodTo: '2027-01-01',
      problemsSolved: '1',
      wishesFulfilled: '1',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.doc.querySelector('#campaign-new-periodTo')?.getAttribute('aria-invalid')).toBe('true');
    await wb.settled();
    const campaigns = await listCampaigns(wb.embedded.readModels);
    expect(campaigns.some((c) => c.campaign_id === 'office-spec-backwards')).toBe(false);
  });
});

describe('in English', () => {
  it('reads the queue, the directory and the campaign settings in English', async () => {
    const s = wb.session();
    s.cookies.set('lang', 'en');
    await s.signIn(wb.person('office').personId);
    for (const [path, heading] of [
      ['/workbench/office', 'Dispatch'],
      ['/workbench/office/directory', 'Units and people'],
      ['/workbench/office/campaign', 'Campaign settings'],
    ] as const) {
      const page = await s.get(path);
      expect(page.status, path).toBe(200);
      expect(page.doc.querySelector('html')?.getAttribute('lang')).toBe('en');
      expect(page.doc.querySelector('h1')?.text).toBe(heading);
    }
  });
});
