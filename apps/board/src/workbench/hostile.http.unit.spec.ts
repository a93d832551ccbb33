// Requests no form sends, made to the workbench by someone signed in and by someone who is not: none
// may answer 5xx, none may store anything, and each says what was wrong (a page, never a stack trace).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWorkbenchFixture,
  type WorkbenchFixture,
  type WorkbenchSession,
} from '../test-support/workbench-fixture.js';

let wb: WorkbenchFixture;
let office: WorkbenchSession;
let resident: WorkbenchSession;
const problemId = 'P-HOSTILE-1';

beforeAll(async () => {
  wb = await startWorkbenchFixture();
  const r = wb.people.find((p) => p.role === 'resident' && p.label.includes('中云社区第一网格'))!;
  const raised = await wb.api(r.personId, 'POST', '/problems', {
    problemId,
    unitId: r.unitId,
    source: 'resident',
    grade: 'small',
    title: '路面塌陷',
    raiser: { kind: 'resident', personId: r.personId },
  });
  expect(raised.status).toBe(201);
  office = wb.session();
  await office.signIn(wb.person('office').personId);
  resident = wb.session();
  await resident.signIn(r.personId);
  await wb.settled();
});

afterAll(async () => {
  await wb?.close();
});

/** A post with this session's own form token, so that what is judged is the rest of it. */
const postRaw = async (s: WorkbenchSession, path: string, body: string | FormData, type?: string) => {
  await s.get('/workbench');
  const csrf = s.last?.doc.querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  const cookie = [...s.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const withToken =
    typeof body === 'string' ? `${body}${body === '' ? '' : '&'}_csrf=${encodeURIComponent(csrf)}` : body;
  if (typeof withToken !== 'string') withToken.append('_csrf', csrf);
  return fetch(`${wb.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, ...(type === undefined ? {} : { 'content-type': type }) },
    body: withToken,
  });
};

const item = `/workbench/problems/${problemId}`;

describe('hostile requests to the workbench', () => {
  const gets: readonly [string, string][] = [
    ['a malformed percent-encoding in the path', '/workbench/problems/%E0%A4%A'],
    ['an id of 5,000 characters', `/workbench/problems/${'x'.repeat(5000)}`],
    ['an id with a path traversal', '/workbench/problems/..%2F..%2Fetc%2Fpasswd'],
    ['evidence by a name that is not a hash', '/workbench/evidence/..%2F..%2Fpackage.json'],
    ['evidence by an absent hash', `/workbench/evidence/${'0'.repeat(64)}`],
    ['a query repeated as an array', `${item}?done=1&done=2&done[]=3`],
    ['a back link to another host', '/workbench/sign-in?back=%2F%2Fevil.example%2F'],
    ['an unknown area', '/workbench/admin'],
  ];
  it.each(gets)('GET with %s answers a 4xx or a page, never a 5xx', async (_name, path) => {
    for (const s of [office, resident, wb.session()]) {
      const answer = await s.get(path);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.text).not.toMatch(/at .+\.(ts|js):\d+/);
    }
  });

  const posts: readonly [string, string, string | (() => FormData), string | undefined][] = [
    [
      'a field given twice',
      `${item}/assign`,
      'toUnitId=a&toUnitId=b&formKey=k-123456789',
      'application/x-www-form-urlencoded',
    ],
    [
      'a revision that is not a number',
      `${item}/assign`,
      'toUnitId=a&revision=-1e309',
      'application/x-www-form-urlencoded',
    ],
    [
      'a form key of 10,000 characters',
      `${item}/assign`,
      `toUnitId=a&formKey=${'k'.repeat(10_000)}`,
      'application/x-www-form-urlencoded',
    ],
    ['a form over 64 kB', `${item}/assign`, `note=${'长'.repeat(30_000)}`, 'application/x-www-form-urlencoded'],
    ['JSON instead of a form', `${item}/assign`, '{"toUnitId":"x"}', 'application/json'],
    ['an unknown action', `${item}/delete`, 'x=1', 'application/x-www-form-urlencoded'],
    [
      'a multipart body cut short',
      `${item}/solve`,
      '--b\r\nContent-Disposition: form-data; name="summary"\r\n\r\nx',
      'multipart/form-data; boundary=b',
    ],
    [
      'six files where five are allowed',
      `${item}/solve`,
      () => {
        const f = new FormData();
        f.append('summary', '已解决');
        for (let i = 0; i < 6; i++)
          f.append('evidence', new Blob([Buffer.from('not a photo')], { type: 'image/jpeg' }), `${i}.jpg`);
        return f;
      },
      undefined,
    ],
    [
      'a file under another field name',
      `${item}/solve`,
      () => {
        const f = new FormData();
        f.append('summary', '已解决');
        f.append('photo', new Blob([Buffer.from('x')], { type: 'image/jpeg' }), 'x.jpg');
        return f;
      },
      undefined,
    ],
    [
      'a role switch to a role not held',
      '/workbench/acting',
      'acting=office%40nowhere&back=%2Fworkbench',
      'application/x-www-form-urlencoded',
    ],
    [
      'a directory post by a resident',
      '/workbench/office/directory/units',
      'unitId=u-x&name=x&kind=grid',
      'application/x-www-form-urlencoded',
    ],
    [
      'a contact read with an unknown purpose',
      `${item}/contact`,
      'purpose=curiosity&statement=x',
      'application/x-www-form-urlencoded',
    ],
  ];
  it.each(posts)('POST with %s answers a 4xx or a page, and stores nothing', async (_name, path, body, type) => {
    for (const s of [office, resident]) {
      const before = await wb.embedded.store.logHead();
      const answer = await postRaw(s, path, typeof body === 'function' ? body() : body, type);
      expect(answer.status, `${path}`).toBeLessThan(500);
      expect(await answer.text()).not.toMatch(/at .+\.(ts|js):\d+/);
      expect(await wb.embedded.store.logHead(), path).toEqual(before);
    }
  });
});
