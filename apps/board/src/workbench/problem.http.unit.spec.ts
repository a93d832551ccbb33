// A problem worked through the workbench over HTTP, as people without JavaScript do: a resident raises it
// (through the API), the office routes it to a community, its secretary claims it, notes progress and
// solves it with a photo, the resident sends it back, the office supervises, it is solved again and
// closed. And the refusals on the way: a claim without a promised date, a form posted after someone else
// acted, a rating by a resident who did not raise it.
import { randomUUID } from 'node:crypto';
import type { DemoPerson } from '@banshishi/api';
import { listPublicProblems, listUnits, type UnitsTable } from '@banshishi/read-models';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';
import { refusalText } from './i18n/refusals.js';

let wb: WorkbenchFixture;
let units: UnitsTable[];
let raiser: DemoPerson;
let otherResident: DemoPerson;
let secretary: DemoPerson;
let community: UnitsTable;

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  units = await listUnits(wb.embedded.readModels);
  const byId = new Map(units.map((u) => [u.unit_id, u]));
  // A resident of a grid whose community's secretary is a demo person.
  const pair = wb.people
    .filter((p) => p.role === 'resident')
    .map((r) => ({ r, parent: byId.get(byId.get(r.unitId)?.parent_id ?? '') }))
    .map(({ r, parent }) => ({
      r,
      parent,
      sec: wb.people.find((p) => p.role === 'secretary' && p.unitId === parent?.unit_id),
    }))
    .find((x) => x.parent !== undefined && x.sec !== undefined);
  if (pair === undefined) throw new Error('the demo has no resident under a community with a demo secretary');
  raiser = pair.r;
  community = pair.parent!;
  secretary = pair.sec!;
  otherResident = wb.people.find((p) => p.role === 'resident' && p.personId !== raiser.personId)!;
});

afterAll(async () => {
  await wb?.close();
});

/** A session signed in as the person, acting in the role they are listed with. */
const as = async (person: DemoPerson): Promise<WorkbenchSession> => {
  const s = wb.session();
  await s.signIn(person.personId);
  await s.get('/workbench');
  await s.post('/workbench/acting', { acting: `${person.role}@${person.unitId}`, back: '/workbench' });
  return s;
};

/** The resident raises a problem through the API with their own token, as a mini-program would. */
const raise = async (resident: WorkbenchSession, title: string): Promise<string> => {
  const problemId = `P-wb-${randomUUID().slice(0, 8)}`;
  const answer = await fetch(`${wb.url}/api/v1/problems`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${resident.cookies.get('bs_wb_token')}`,
      'content-type': 'application/json',
      'x-acting-role': 'resident',
      'x-acting-unit': raiser.unitId,
    },
    body: JSON.stringify({
      problemId,
      unitId: raiser.unitId,
      source: 'resident',
      grade: 'small',
      title,
      category: '基础设施',
      raiser: { kind: 'resident', personId: raiser.personId },
    }),
  });
  expect(answer.status).toBe(201);
  return problemId;
};

const page = (id: string) => `/workbench/problems/${id}`;
const action = (id: string, name: string) => `${page(id)}/${name}`;
const statusOf = (a: Answer) => a.doc.querySelector('[data-testid=status]')?.text.trim();
const revisionOf = (a: Answer) => Number(a.doc.querySelector('[data-testid=revision]')?.text);
const formFor = (a: Answer, path: string) =>
  a.doc.querySelectorAll('form').find((f) => f.getAttribute('action') === path);

/** Posts a form on the page and follows the 303 back to the page, which says it is done. */
const done = async (s: WorkbenchSession, id: string, path: string, fields: Record<string, string>) => {
  const posted = await s.post(path, fields);
  expect(posted.status, posted.doc.querySelector('[role=alert]')?.text).toBe(303);
  expect(posted.location).toBe(`${page(id)}?done=1`);
  await wb.settled();
  const shown = await s.get(posted.location!);
  expect(shown.doc.querySelector('output.notice.ok')).not.toBeNull();
  return shown;
};

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

const jpeg = () =>
  sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Artist: 'Zhang San 13800000000' } })
    .toBuffer();

describe('a problem through the workbench', () => {
  it('is routed, claimed, solved with a photo, sent back, supervised, solved again and closed', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '楼道灯不亮');
    await wb.settled();

    const office = await as(wb.person('office'));
    let shown = await office.get(page(id));
    expect(shown.status).toBe(200);
    expect(shown.doc.querySelector('h1')?.text).toBe('楼道灯不亮');
    expect(statusOf(shown)).toBe('已征集');
    expect(shown.doc.querySelector('a[href="/problems/' + id + '"]')).not.toBeNull();
    // The office may route or reject an open problem; it is not theirs to claim.
    expect(formFor(shown, action(id, 'assign'))).toBeDefined();
    expect(formFor(shown, action(id, 'claim'))).toBeUndefined();
    const option = shown.doc.querySelector(`#assign-toUnitId option[value="${community.unit_id}"]`);
    expect(option?.text).toContain(community.name);
    shown = await done(office, id, action(id, 'assign'), { toUnitId: community.unit_id, note: '请社区处理' });
    expect(statusOf(shown)).toBe('已转办');

    const sec = await as(secretary);
    shown = await sec.get(page(id));
    expect(formFor(shown, action(id, 'claim'))).toBeDefined();
    shown = await done(sec, id, action(id, 'claim'), { plan: '联系物业更换灯具', promisedBy: tomorrow() });
    expect(statusOf(shown)).toBe('已认领');
    expect(shown.doc.querySelector('[data-testid=promised]')?.text).toBe(tomorrow());
    shown = await done(sec, id, action(id, 'progress'), { note: '灯具已订购' });
    expect(shown.text).toContain('灯具已订购');

    const photo = await jpeg();
    expect(photo.includes(Buffer.from('13800000000'))).toBe(true);
    const solved = await sec.postMultipart(action(id, 'solve'), { summary: '已更换灯具' }, [
      ['evidence', photo, 'IMG_0001.jpg', 'image/jpeg'],
    ]);
    expect(solved.status, solved.doc.querySelector('[role=alert]')?.text).toBe(303);
    await wb.settled();
    shown = await sec.get(page(id));
    expect(statusOf(shown)).toBe('已解决待评');
    const link = shown.doc.querySelector('[data-testid=evidence-link]')?.getAttribute('href') ?? '';
    expect(link).toMatch(/^\/workbench\/evidence\/[0-9a-f]{64}$/);
    const served = await fetch(`${wb.url}${link}`, {
      headers: { cookie: `bs_wb_token=${sec.cookies.get('bs_wb_token')}` },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('13800000000'))).toBe(false);
    // Signed out, the file is not served.
    expect((await fetch(`${wb.url}${link}`, { redirect: 'manual' })).status).toBe(303);

    // In English the same page and form, in the English catalogue.
    resident.cookies.set('lang', 'en');
    const english = await resident.get(page(id));
    expect(formFor(english, action(id, 'evaluate'))?.querySelector('legend')?.text).toBe('Rate (评题)');
    expect(english.doc.querySelector('#evidence-heading')?.text).toBe('Evidence');
    resident.cookies.delete('lang');

    shown = await resident.get(page(id));
    expect(formFor(shown, action(id, 'evaluate'))?.querySelector('legend')?.text).toBe('评题');
    shown = await done(resident, id, action(id, 'evaluate'), { verdict: 'unsatisfied', comment: '还是不亮' });
    expect(statusOf(shown)).toBe('已认领');
    expect(shown.doc.querySelector('[data-testid=rework]')?.text).toBe('1 次');

    shown = await office.get(page(id));
    const grounds = shown.doc.querySelectorAll('#supervise-ground option').map((o) => o.getAttribute('value'));
    expect(grounds).toContain('reopened');
    shown = await done(office, id, action(id, 'supervise'), { ground: 'reopened', note: '尽快返工' });
    expect(shown.doc.querySelector('[data-testid=supervision]')?.text).toBe('1 次');

    await sec.get(page(id));
    const again = await sec.postMultipart(action(id, 'solve'), { summary: '更换整条线路' }, [
      ['evidence', photo, 'IMG_0002.jpg', 'image/jpeg'],
    ]);
    expect(again.status).toBe(303);
    await wb.settled();
    await resident.get(page(id));
    shown = await done(resident, id, action(id, 'evaluate'), { verdict: 'satisfied' });
    expect(statusOf(shown)).toBe('已销号');
    expect(shown.doc.querySelectorAll('form.action')).toHaveLength(0);
  });

  it('refuses a claim without a promised date, marks the field and leaves the problem as it was', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '路面有坑');
    const office = await as(wb.person('office'));
    await office.get(page(id));
    await done(office, id, action(id, 'assign'), { toUnitId: community.unit_id });

    const sec = await as(secretary);
    const before = await sec.get(page(id));
    const revision = revisionOf(before);
    const refused = await sec.post(action(id, 'claim'), { plan: '安排修补' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.doc.querySelector('.notice.error')?.text).toContain('承诺');
    expect(refused.doc.querySelector('#claim-promisedBy')?.getAttribute('aria-invalid')).toBe('true');
    expect(refused.doc.querySelector('#claim-plan')?.text).toBe('安排修补');
    expect(revisionOf(refused)).toBe(revision);
    expect(sec.hiddenFieldsOf(action(id, 'claim')).revision).toBe(String(revision));
    expect(statusOf(refused)).toBe('已转办');

    // A file that is not what it says is refused before anything is sent: the evidence field is marked.
    await done(sec, id, action(id, 'claim'), { plan: '安排修补', promisedBy: tomorrow() });
    const claimed = revisionOf(sec.last!);
    const bad = await sec.postMultipart(action(id, 'solve'), { summary: '已修补' }, [
      ['evidence', new TextEncoder().encode('not a photo at all'), 'photo.jpg', 'image/jpeg'],
    ]);
    expect(bad.status).toBe(422);
    expect(bad.doc.querySelector('#solve-evidence')?.getAttribute('aria-invalid')).toBe('true');
    expect(bad.doc.querySelector('#solve-summary')?.text).toBe('已修补');
    expect(statusOf(bad)).toBe('已认领');
    expect(revisionOf(bad)).toBe(claimed);
  });

  it('answers a form posted after someone else acted with the state now and the conflict notice', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '垃圾桶不够');
    const first = await as(wb.person('office'));
    const stale = await first.get(page(id));
    const staleRevision = revisionOf(stale);

    const other = await as(wb.people.filter((p) => p.role === 'office').at(-1)!);
    await other.get(page(id));
    await done(other, id, action(id, 'assign'), { toUnitId: community.unit_id, note: '先到先办' });

    const late = await first.post(action(id, 'assign'), { toUnitId: community.unit_id });
    expect([409, 412]).toContain(late.status);
    expect(late.doc.querySelector('.notice.conflict')?.text).toContain('已被他人先行办理');
    expect(statusOf(late)).toBe('已转办');
    expect(revisionOf(late)).toBeGreaterThan(staleRevision);
    expect(first.hiddenFieldsOf(action(id, 'assign')).revision).toBe(String(revisionOf(late)));
  });

  it('shows no rating form to a resident who did not raise it, and refuses their forged rating', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '健身器材损坏');
    const office = await as(wb.person('office'));
    await office.get(page(id));
    await done(office, id, action(id, 'assign'), { toUnitId: community.unit_id });
    const sec = await as(secretary);
    await sec.get(page(id));
    await done(sec, id, action(id, 'claim'), { plan: '报修', promisedBy: tomorrow() });
    await sec.postMultipart(action(id, 'solve'), { summary: '已修好' }, [
      ['evidence', await jpeg(), 'a.jpg', 'image/jpeg'],
    ]);
    await wb.settled();

    const stranger = await as(otherResident);
    const seen = await stranger.get(page(id));
    expect(formFor(seen, action(id, 'evaluate'))).toBeUndefined();
    const forged = await stranger.post(action(id, 'evaluate'), { verdict: 'unsatisfied' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    // The page is not theirs to see, so the refusal in words is all it shows.
    expect(seen.status).toBe(404);
    expect(forged.doc.querySelector('[role=alert]')?.text).toBe(refusalText('zh', 'problem.evaluate.not_raiser', ''));
    expect(statusOf(await resident.get(page(id)))).toBe('已解决待评');

    // 回访: the office records the raiser's own verdict for them, which closes it as theirs would.
    const seen2 = await office.get(page(id));
    expect(office.hiddenFieldsOf(action(id, 'callback')).kind).toBe('resident');
    expect(formFor(seen2, action(id, 'evaluate'))?.querySelector('legend')?.text).toBe('考核评');
    const closed = await done(office, id, action(id, 'callback'), { verdict: 'basically_satisfied' });
    expect(statusOf(closed)).toBe('已销号');
  });

  it('is passed up by the secretary, routed to a department and claimed by its handler', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '医保报销点太远');
    const office = await as(wb.person('office'));
    await office.get(page(id));
    await done(office, id, action(id, 'assign'), { toUnitId: community.unit_id });
    const sec = await as(secretary);
    await sec.get(page(id));
    await done(sec, id, action(id, 'claim'), { plan: '先了解情况', promisedBy: tomorrow() });
    let shown = await done(sec, id, action(id, 'escalate'), { reason: '需要卫健部门统筹' });
    expect(statusOf(shown)).toBe('已征集');
    const street = units.find((u) => u.unit_id === community.parent_id)!;
    expect(shown.text).toContain(street.name);
    // Released: the secretary no longer holds it, so none of the claimant's forms are left.
    expect(formFor(shown, action(id, 'solve'))).toBeUndefined();

    const handler = wb.person('department_handler');
    await office.get(page(id));
    await done(office, id, action(id, 'assign'), { toUnitId: handler.unitId });
    const dept = await as(handler);
    shown = await dept.get(page(id));
    expect(formFor(shown, action(id, 'claim'))).toBeDefined();
    shown = await done(dept, id, action(id, 'claim'), { plan: '设立社区报销点', promisedBy: tomorrow() });
    expect(statusOf(shown)).toBe('已认领');
    expect(formFor(shown, action(id, 'solve'))).toBeDefined();
  });

  it('is rejected by the secretary of the unit it sits in, after which nothing more can be done', async () => {
    const resident = await as(raiser);
    const id = await raise(resident, '希望小区门口修地铁站');
    const office = await as(wb.person('office'));
    await office.get(page(id));
    await done(office, id, action(id, 'assign'), { toUnitId: community.unit_id });
    const sec = await as(secretary);
    await sec.get(page(id));
    const shown = await done(sec, id, action(id, 'reject'), { ground: 'out_of_scope', reason: '不属于社区办理范围' });
    expect(statusOf(shown)).toBe('未受理');
    expect(shown.doc.querySelectorAll('form.action')).toHaveLength(0);
  });

  it('marks an overdue demo problem and offers the office 督办 on that ground', async () => {
    const [open] = await listPublicProblems(wb.embedded.readModels, {
      status: 'assigned',
      overdueOnly: true,
      asOf: new Date().toISOString(),
      limit: 1,
    });
    expect(open).toBeDefined();
    const office = await as(wb.person('office'));
    const shown = await office.get(page(open!.problem_id));
    expect(shown.doc.querySelector('[data-testid=overdue]')?.text).toBe('已超期');
    const grounds = shown.doc.querySelectorAll('#supervise-ground option').map((o) => o.getAttribute('value'));
    expect(grounds).toEqual(['overdue']);
    const supervised = await done(office, open!.problem_id, action(open!.problem_id, 'supervise'), {
      ground: 'overdue',
    });
    expect(Number(supervised.doc.querySelector('[data-testid=supervision]')?.text.replace(/\D/g, ''))).toBeGreaterThan(
      open!.supervision_count,
    );
  });

  it('answers 404 for an unknown problem and a malformed evidence hash', async () => {
    const office = await as(wb.person('office'));
    expect((await office.get(page('P-no-such-problem'))).status).toBe(404);
    expect((await office.get('/workbench/evidence/not-a-hash')).status).toBe(404);
  });
});
