// A wish worked through the workbench over HTTP, as people without JavaScript do (微心愿: 寻梦 → 领梦 → 圆梦 →
// 亮梦): a resident records their wish (through the API), a member of its district claims it with their
// open claims shown against the limit, fulfils it with a photo, the wisher confirms and the office
// showcases it, anonymously as the wisher chose. And the refusals on the way: a member of another district
// is offered no claim and a forged one is refused; a wish whose wisher did not consent is not offered for
// showcase and a forged one is refused; a form posted after the wish changed shows it as it is now.
import { randomUUID } from 'node:crypto';
import type { DemoPerson } from '@banshishi/api';
import { listUnits, showcase } from '@banshishi/read-models';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
let wisher: DemoPerson;
/** A member whose district holds the wisher's grid, with room under the claim limit. */
let member: DemoPerson;
let anotherMember: DemoPerson;
/** An official granted the member role in another district than the wisher's. */
let outsider: DemoPerson;
let outsideDistrict: string;

const api = async (s: WorkbenchSession, method: 'GET' | 'POST', path: string, acting: DemoPerson, body?: unknown) =>
  fetch(`${wb.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.cookies.get('bs_wb_token')}`,
      'content-type': 'application/json',
      'x-acting-role': acting.role,
      'x-acting-unit': acting.unitId,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A session signed in as the person, acting in the role and unit given (their listed one by default). */
const as = async (person: DemoPerson, acting = `${person.role}@${person.unitId}`): Promise<WorkbenchSession> => {
  const s = wb.session();
  await s.signIn(person.personId);
  await s.get('/workbench');
  await s.post('/workbench/acting', { acting, back: '/workbench' });
  return s;
};

const openClaims = async (s: WorkbenchSession, person: DemoPerson) =>
  ((await (await api(s, 'GET', '/me/claims', person)).json()) as { wishClaims: { open: number; limit: number } })
    .wishClaims;

const wisherName = '欧阳明月';

/** The resident records their own wish through the API, as a mini-program would. */
const collect = async (consent: 'none' | 'anonymous' | 'named', description: string): Promise<string> => {
  const wishId = `W-wb-${randomUUID().slice(0, 8)}`;
  const s = await as(wisher);
  const answer = await api(s, 'POST', '/wishes', wisher, {
    wishId,
    unitId: wisher.unitId,
    category: 'study',
    description,
    consent,
    wisher: { name: wisherName },
  });
  expect(answer.status).toBe(201);
  await wb.settled();
  return wishId;
};

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  const units = await listUnits(wb.embedded.readModels);
  const byId = new Map(units.map((u) => [u.unit_id, u]));
  const above = (unitId: string) => {
    const out: string[] = [];
    for (let u = byId.get(unitId); u !== undefined; u = byId.get(u.parent_id ?? '')) out.push(u.unit_id);
    return out;
  };
  wisher = wb.person('resident');
  const wisherUnits = above(wisher.unitId);
  // Members of the wisher's district with room for two more claims (the demo's members hold some already).
  const roomy: DemoPerson[] = [];
  for (const p of wb.people.filter((x) => x.role === 'member' && wisherUnits.includes(x.unitId))) {
    if (roomy.length === 2) break;
    const counts = await openClaims(await as(p), p);
    if (counts.open + 2 <= counts.limit) roomy.push(p);
  }
  if (roomy.length < 2) throw new Error('the demo has no two members with room for a claim');
  [member, anotherMember] = roomy as [DemoPerson, DemoPerson];
  // The demo has one district: a neighbouring one is registered, as the system registers districts, and
  // an official of the demo is made a member there.
  const official = wb.people.find((p) => p.role === 'secretary');
  if (official === undefined) throw new Error('the demo has no secretary');
  outsideDistrict = `wb-neighbour-${randomUUID().slice(0, 8)}`;
  await wb.asSystem([
    { type: 'registerUnit', data: { unitId: outsideDistrict, name: '邻区', kind: 'district', parentId: null } },
    { type: 'grantRole', data: { personId: official.personId, role: 'member', unitId: outsideDistrict } },
  ]);
  outsider = { ...official, role: 'member', unitId: outsideDistrict };
  await wb.settled();
});

afterAll(async () => {
  await wb?.close();
});

const page = (id: string) => `/workbench/wishes/${id}`;
const action = (id: string, name: string) => `${page(id)}/${name}`;
const statusOf = (a: Answer) => a.doc.querySelector('[data-testid=status]')?.text.trim();
const revisionOf = (a: Answer) => Number(a.doc.querySelector('[data-testid=revision]')?.text);
const formFor = (a: Answer, path: string) =>
  a.doc.querySelectorAll('form').find((f) => f.getAttribute('action') === path);
/** The forms that act on the wish (the office's contact read is not one). */
const actionForms = (a: Answer) =>
  a.doc.querySelectorAll('form.action').filter((f) => !(f.getAttribute('action') ?? '').endsWith('/contact'));
const alertOf = (a: Answer) => a.doc.querySelector('[role=alert]');

/** Posts a form on the page and follows the 303 back to the page, which says it is done. */
const done = async (s: WorkbenchSession, id: string, path: string, fields: Record<string, string>) => {
  const posted = await s.post(path, fields);
  expect(posted.status, alertOf(posted)?.text).toBe(303);
  expect(posted.location).toBe(`${page(id)}?done=1`);
  await wb.settled();
  const shown = await s.get(posted.location!);
  expect(shown.doc.querySelector('output.notice.ok')).not.toBeNull();
  return shown;
};

/** The board's 亮梦 page once it shows the story: the board keeps a page for a second (response cache). */
const boardShowing = async (story: string): Promise<string> => {
  await wb.settled();
  let html = '';
  for (let i = 0; i < 40 && !html.includes(story); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    html = await (await fetch(`${wb.url}/showcase`)).text();
  }
  expect(html).toContain(story);
  return html;
};

const jpeg = () =>
  sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();

/** A wish of the consent given taken as far as 已确认 through the workbench. */
const confirmedWish = async (consent: 'none' | 'anonymous' | 'named') => {
  const id = await collect(consent, '希望有人教孩子下围棋');
  const m = await as(member);
  await m.get(page(id));
  await done(m, id, action(id, 'claim'), {});
  const fulfilled = await m.postMultipart(action(id, 'fulfil'), { summary: '每周教两次围棋' }, [
    ['evidence', await jpeg(), 'IMG_0001.jpg', 'image/jpeg'],
  ]);
  expect(fulfilled.status, alertOf(fulfilled)?.text).toBe(303);
  await wb.settled();
  const w = await as(wisher);
  await w.get(page(id));
  const confirmed = await done(w, id, action(id, 'confirm'), { verdict: 'satisfied' });
  expect(statusOf(confirmed)).toBe('已确认');
  return id;
};

describe('a wish through the workbench', () => {
  it('is claimed by a member of its district, fulfilled with a photo, confirmed and showcased anonymously', async () => {
    const id = await collect('anonymous', '希望有人辅导孩子的数学作业');

    const m = await as(member);
    const before = await openClaims(m, member);
    let shown = await m.get(page(id));
    expect(shown.status).toBe(200);
    expect(statusOf(shown)).toBe('已收集');
    expect(shown.doc.querySelector('[data-testid=consent]')?.text).toContain('匿名');
    expect(shown.doc.querySelector('[data-testid=description]')?.text).toBe('希望有人辅导孩子的数学作业');
    expect(shown.doc.querySelector(`a[href="/wishes/${id}"]`)).not.toBeNull();
    expect(shown.text).not.toContain(wisherName);
    expect(formFor(shown, action(id, 'claim'))).toBeDefined();
    expect(shown.doc.querySelector('[data-testid=claim-count]')?.text).toBe(
      `已认领 ${before.open} / 上限 ${before.limit}`,
    );

    shown = await done(m, id, action(id, 'claim'), {});
    expect(statusOf(shown)).toBe('已认领');
    expect((await openClaims(m, member)).open).toBe(before.open + 1);
    expect(formFor(shown, action(id, 'claim'))).toBeUndefined();
    expect(formFor(shown, action(id, 'fulfil'))?.getAttribute('enctype')).toBe('multipart/form-data');

    // No file: the API's rule that evidence is required comes back against the field.
    const bare = await m.post(action(id, 'fulfil'), { summary: '每周六上午辅导' });
    expect(bare.status).toBe(400);
    expect(bare.doc.querySelector('#fulfil-evidence')?.getAttribute('aria-invalid')).toBe('true');
    expect(statusOf(bare)).toBe('已认领');
    // A refused upload is shown the same way, and nothing is sent.
    const text = await m.postMultipart(action(id, 'fulfil'), { summary: '每周六上午辅导' }, [
      ['evidence', Buffer.from('not a picture'), 'notes.jpg', 'image/jpeg'],
    ]);
    expect(text.status).toBe(422);
    expect(text.doc.querySelector('#fulfil-evidence')?.getAttribute('aria-invalid')).toBe('true');
    expect(revisionOf(text)).toBe(revisionOf(shown));

    const fulfilled = await m.postMultipart(action(id, 'fulfil'), { summary: '每周六上午辅导' }, [
      ['evidence', await jpeg(), 'IMG_0001.jpg', 'image/jpeg'],
    ]);
    expect(fulfilled.status, alertOf(fulfilled)?.text).toBe(303);
    await wb.settled();
    shown = await m.get(page(id));
    expect(statusOf(shown)).toBe('已圆梦待确认');
    expect(shown.doc.querySelector('[data-testid=evidence-link]')?.getAttribute('href')).toMatch(
      /^\/workbench\/evidence\/[0-9a-f]{64}$/,
    );
    expect(shown.text).toContain('每周六上午辅导');
    // The claimant does not vouch for their own fulfilment.
    expect(formFor(shown, action(id, 'confirm'))).toBeUndefined();

    const w = await as(wisher);
    shown = await w.get(page(id));
    expect(formFor(shown, action(id, 'confirm'))).toBeDefined();
    shown = await done(w, id, action(id, 'confirm'), { verdict: 'satisfied', comment: '孩子进步很大' });
    expect(statusOf(shown)).toBe('已确认');

    const office = await as(wb.person('office'));
    shown = await office.get(page(id));
    expect(formFor(shown, action(id, 'showcase'))).toBeDefined();
    const story = `一名党员志愿者每周为孩子辅导数学（${id}）`;
    shown = await done(office, id, action(id, 'showcase'), { story });
    expect(statusOf(shown)).toBe('已亮梦');
    expect(actionForms(shown)).toHaveLength(0);

    const html = await boardShowing(story);
    expect(html).not.toContain(wisherName);
    const entry = html.slice(html.indexOf(story));
    expect(entry.slice(0, entry.indexOf('</li>'))).toContain('匿名心愿人');
  });

  it('offers a member of another district no claim, and refuses a forged one', async () => {
    const id = await collect('named', '希望有人陪老人聊天');
    const o = await as(outsider);
    const shown = await o.get(page(id));
    expect(shown.status).toBe(200);
    expect(formFor(shown, action(id, 'claim'))).toBeUndefined();
    const revision = revisionOf(shown);

    const forged = await o.post(action(id, 'claim'), { revision: String(revision) });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    expect(alertOf(forged)?.querySelector('[data-rule]')?.getAttribute('data-rule')).toBe(
      'wish.claim.outside_home_district',
    );
    expect(alertOf(forged)?.text).toContain('只能认领本区的心愿');
    expect(statusOf(forged)).toBe('已收集');
    expect(revisionOf(forged)).toBe(revision);
  });

  it('does not offer a wish without consent for showcase, and refuses a forged one', async () => {
    const id = await confirmedWish('none');
    const office = await as(wb.person('office'));
    const shown = await office.get(page(id));
    expect(formFor(shown, action(id, 'showcase'))).toBeUndefined();
    expect(shown.doc.querySelector('[data-testid=no-consent]')?.text).toContain('未同意公开');
    expect(shown.doc.querySelector('[data-testid=description]')).toBeNull();
    const revision = revisionOf(shown);

    const forged = await office.post(action(id, 'showcase'), { revision: String(revision), story: '圆梦故事' });
    expect(forged.status).toBe(403);
    expect(alertOf(forged)?.querySelector('[data-rule]')?.getAttribute('data-rule')).toBe('wish.showcase.no_consent');
    expect(alertOf(forged)?.text).toContain('心愿人不同意公开');
    expect(statusOf(forged)).toBe('已确认');
    expect(revisionOf(forged)).toBe(revision);
    await wb.settled();
    expect((await showcase(wb.embedded.readModels, { limit: 100_000 })).map((e) => e.wish_id)).not.toContain(id);
  });

  it('shows a stale form the wish as it is now, with its fresh revision, and acts on nothing', async () => {
    const id = await collect('anonymous', '希望有人帮忙修自行车');
    const first = await as(anotherMember);
    await first.get(page(id));
    await done(first, id, action(id, 'claim'), {});
    const stale = await first.get(page(id));
    const staleRevision = revisionOf(stale);
    expect(formFor(stale, action(id, 'release'))).toBeDefined();

    // The same member, in another window, releases and claims again: the first window's form is stale.
    const second = await as(anotherMember);
    await second.get(page(id));
    await done(second, id, action(id, 'release'), { reason: '临时出差' });
    await second.get(page(id));
    await done(second, id, action(id, 'claim'), {});

    const posted = await first.post(action(id, 'release'), { reason: '不再需要' });
    expect([409, 412]).toContain(posted.status);
    expect(posted.doc.querySelector('.notice.conflict')).not.toBeNull();
    expect(statusOf(posted)).toBe('已认领');
    const fresh = revisionOf(posted);
    expect(fresh).toBe(staleRevision + 2);
    expect(first.hiddenFieldsOf(action(id, 'release')).revision).toBe(String(fresh));
  });

  it('shows a named wisher on the board by surname only, and a story naming them is refused', async () => {
    const id = await confirmedWish('named');
    const office = await as(wb.person('office'));
    let shown = await office.get(page(id));
    expect(formFor(shown, action(id, 'showcase'))?.text).toContain('仅显示姓氏');
    const revealing = await office.post(action(id, 'showcase'), { story: `${wisherName}的孩子学会了下围棋` });
    expect(revealing.status).toBe(400);
    expect(alertOf(revealing)?.querySelector('[data-rule]')?.getAttribute('data-rule')).toBe(
      'wish.showcase.story_reveals_wisher',
    );
    // What the person typed is kept for them to correct.
    expect(revealing.doc.querySelector('#showcase-story')?.text).toContain('的孩子学会了下围棋');
    const story = `党员每周教孩子下围棋（${id}）`;
    shown = await done(office, id, action(id, 'showcase'), { story });
    expect(statusOf(shown)).toBe('已亮梦');
    const html = await boardShowing(story);
    const entry = html.slice(html.indexOf(story));
    expect(entry.slice(0, entry.indexOf('</li>'))).toContain('欧**');
    expect(html).not.toContain(wisherName);
  });

  it('goes back to its member when the wisher is not satisfied', async () => {
    const id = await collect('anonymous', '希望有人帮忙搬家');
    const m = await as(member);
    await m.get(page(id));
    await done(m, id, action(id, 'claim'), {});
    const fulfilled = await m.postMultipart(action(id, 'fulfil'), { summary: '已帮忙搬完' }, [
      ['evidence', await jpeg(), 'IMG_0002.jpg', 'image/jpeg'],
    ]);
    expect(fulfilled.status).toBe(303);
    await wb.settled();
    const w = await as(wisher);
    await w.get(page(id));
    const reopened = await done(w, id, action(id, 'confirm'), { verdict: 'unsatisfied', comment: '还有几件没搬' });
    expect(statusOf(reopened)).toBe('已认领');
    expect(formFor(reopened, action(id, 'confirm'))).toBeUndefined();
    const back = await m.get(page(id));
    expect(formFor(back, action(id, 'fulfil'))).toBeDefined();
  });

  it('is cancelled by the office only with a reason, and then offers nothing', async () => {
    const id = await collect('anonymous', '希望有人帮忙买菜');
    const office = await as(wb.person('office'));
    let shown = await office.get(page(id));
    expect(formFor(shown, action(id, 'cancel'))).toBeDefined();
    expect(formFor(shown, action(id, 'claim'))).toBeUndefined();
    const revision = revisionOf(shown);
    const bare = await office.post(action(id, 'cancel'), {});
    expect(bare.status).toBe(400);
    expect(alertOf(bare)?.querySelector('[data-rule]')?.getAttribute('data-rule')).toBe('wish.cancel.reason_required');
    expect(revisionOf(bare)).toBe(revision);
    shown = await done(office, id, action(id, 'cancel'), { reason: '经核实已由家属解决' });
    expect(statusOf(shown)).toBe('已撤销');
    expect(actionForms(shown)).toHaveLength(0);
    const m = await as(member);
    expect(formFor(await m.get(page(id)), action(id, 'claim'))).toBeUndefined();
  });

  it('speaks English to an English reader, with the same forms', async () => {
    const id = await collect('none', '希望有人教我用智能手机');
    const m = await as(member);
    m.cookies.set('lang', 'en');
    const shown = await m.get(page(id));
    expect(shown.doc.querySelector('h1')?.text).toBe(`Wish ${id}`);
    expect(formFor(shown, action(id, 'claim'))?.querySelector('legend')?.text).toBe('Claim (领梦)');
    expect(shown.doc.querySelector('[data-testid=claim-count]')?.text).toMatch(/^Claimed \d+ \/ limit \d+/);
    expect(shown.doc.querySelector('[data-testid=consent]')?.text).toBe('Not shown (no showcase)');
  });

  it('is withdrawn by its wisher, and is no page at all to another resident', async () => {
    const id = await collect('anonymous', '希望有人帮忙修水管');
    const other = wb.people.find((p) => p.role === 'resident' && p.personId !== wisher.personId)!;
    const stranger = await as(other);
    expect((await stranger.get(page(id))).status).toBe(404);
    expect((await stranger.get(page('W-no-such-wish'))).status).toBe(404);

    const w = await as(wisher);
    const shown = await w.get(page(id));
    expect(formFor(shown, action(id, 'claim'))).toBeUndefined();
    expect(w.hiddenFieldsOf(action(id, 'cancel')).grounds).toBe('withdrawn');
    const withdrawn = await done(w, id, action(id, 'cancel'), {});
    expect(statusOf(withdrawn)).toBe('已撤销');
  });

  it('offers 亮梦 to the member who fulfilled the wish once the wisher is satisfied', async () => {
    const id = await confirmedWish('anonymous');
    const m = await as(member);
    const shown = await m.get(page(id));
    expect(formFor(shown, action(id, 'showcase'))).toBeDefined();
    const showcased = await done(m, id, action(id, 'showcase'), { story: `党员教孩子下围棋，孩子很开心（${id}）` });
    expect(statusOf(showcased)).toBe('已亮梦');
  });
});
