// Signing in to the workbench and the form token, over HTTP as a browser without JavaScript: a demo
// person signs in and is shown who they act as; a post without this session's token is refused before
// it reaches the API; sign-in never sends anyone outside the workbench; signing out ends the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbenchFixture, type WorkbenchFixture } from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;

beforeAll(async () => {
  wb = await startWorkbenchFixture();
});

afterAll(async () => {
  await wb?.close();
});

describe('signing in', () => {
  it('signs a demo office holder in and names them, their role and unit on every page', async () => {
    const office = wb.person('office');
    const s = wb.session();
    const signedIn = await s.signIn(office.personId);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/workbench');
    const home = await s.get('/workbench');
    expect(home.status).toBe(200);
    const acting = home.doc.querySelector('[data-testid=acting-as]')?.text ?? '';
    // The label of a demo official is "role · unit · name": the strip shows the same three.
    const name = office.label.split(' · ').at(-1)!;
    expect(acting).toContain(name);
    expect(acting).toContain('领导小组办公室');
    expect(home.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a sign-in post without the form token, and signs nobody in', async () => {
    const s = wb.session();
    await s.get('/workbench/sign-in');
    const refused = await s.post('/workbench/sign-in', { personId: wb.person('office').personId }, { csrf: false });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('表单已过期或来源不明');
    expect(s.cookies.has('bs_wb_token')).toBe(false);
    expect((await s.get('/workbench')).status).toBe(303);
  });

  it("refuses a token from another session (a forged cross-site form carries the attacker's own)", async () => {
    const attacker = wb.session();
    await attacker.get('/workbench/sign-in');
    const stolen = attacker.hiddenFieldsOf('/workbench/sign-in')._csrf!;
    const victim = wb.session();
    await victim.signIn(wb.person('resident').personId);
    await victim.get('/workbench');
    const forged = await victim.post('/workbench/sign-out', {}, { csrf: stolen });
    expect(forged.status).toBe(403);
    expect((await victim.get('/workbench')).status).toBe(200);
  });

  it('says so when the person is unknown, and never follows a back link out of the workbench', async () => {
    const s = wb.session();
    await s.get('/workbench/sign-in?back=https://evil.example/');
    expect(s.hiddenFieldsOf('/workbench/sign-in').back).toBe('/workbench');
    const unknown = await s.post('/workbench/sign-in', { personId: 'nobody-at-all' });
    expect(unknown.status).toBe(303);
    expect(unknown.location).toMatch(/^\/workbench\/sign-in\?failed=1/);
    const page = await s.get(unknown.location!);
    expect(page.doc.querySelector('[role=alert]')?.text).toContain('登录未成功');
    const ok = await s.post('/workbench/sign-in', { personId: wb.person('member').personId, back: '//evil.example/x' });
    expect(ok.location).toBe('/workbench');
  });

  it('sends a signed-out visitor to sign in and back to the page they asked for', async () => {
    const s = wb.session();
    const asked = await s.get('/workbench/office?x=1');
    expect(asked.status).toBe(303);
    expect(asked.location).toBe(`/workbench/sign-in?back=${encodeURIComponent('/workbench/office?x=1')}`);
    await s.get(asked.location!);
    const back = await s.post('/workbench/sign-in', { personId: wb.person('office').personId });
    expect(back.location).toBe('/workbench/office?x=1');
  });

  it('ends the session on sign-out: the old token cookie is gone and pages ask to sign in', async () => {
    const s = wb.session();
    await s.signIn(wb.person('secretary').personId);
    await s.get('/workbench');
    const out = await s.post('/workbench/sign-out');
    expect(out.status).toBe(303);
    expect(s.cookies.has('bs_wb_token')).toBe(false);
    expect((await s.get('/workbench')).status).toBe(303);
  });

  it('switches the role a person acts in only to a role they hold', async () => {
    const multi = wb.people.find((p) => wb.people.filter((q) => q.personId === p.personId).length > 1);
    const s = wb.session();
    const person = multi ?? wb.person('office');
    await s.signIn(person.personId);
    await s.get('/workbench');
    const forged = await s.post('/workbench/acting', { acting: 'office@nowhere', back: '/workbench' });
    expect(forged.status).toBe(303);
    expect(s.cookies.has('bs_wb_acting')).toBe(false);
  });
});
