// The reads a client acts on, over HTTP: who am I (from the directory, whatever the token claims), an
// item's state and revision folded from its events (ETag, 304, who may see it, personal fields sealed),
// and the work lists from the read models (what I may claim, what I have claimed, how fresh).
import { request } from 'node:http';
import { personalDataMarkers } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemState, Me, MyWork } from './routes/responses.js';
import { type ApiFixture, fixtureSecret, startApiFixture } from './test-support/api-fixture.js';
import { expectRefusal } from './test-support/refusals.js';

let api: ApiFixture;

const promisedBy = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const raiser = { kind: 'resident', personId: 'res1', name: '李秀英', phone: '13905320000' };

/** A GET with exactly these headers (fetch would add its own to a conditional request). */
const rawGet = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; etag: string | undefined; text: string }>((resolve, reject) => {
    const req = request(`${api.url}${path}`, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, text }));
    });
    req.on('error', reject);
    req.end();
  });

const expectOk = (answer: { status: number; text: string }, status = 200) =>
  expect(answer.status, answer.text).toBe(status);
const conforms = (codec: t.Mixed, body: unknown) =>
  expect(E.isRight(codec.decode(body)), JSON.stringify(body)).toBe(true);

interface Work {
  problems: { problemId: string; promisedBy: string | null; unitName: string }[];
  wishes: { wishId: string; unitName: string }[];
  wishClaims: { open: number; limit: number } | null;
  freshness: { source: string; lagEvents: number | null };
}

const work = async (personId: string, list: 'claims' | 'claimable') => {
  const answer = await api.request(personId, 'GET', `/me/${list}`);
  expectOk(answer);
  conforms(MyWork, answer.body);
  return answer.body as Work;
};

beforeAll(async () => {
  api = await startApiFixture();
  const problem = (problemId: string, personId: string, unitId: string, name: string) =>
    api.request(personId, 'POST', '/problems', {
      body: {
        problemId,
        unitId,
        source: 'resident',
        grade: 'small',
        title: '楼道灯不亮',
        raiser: { ...raiser, personId, name },
      },
    });
  expectOk(await problem('rd-p1', 'res1', 'd1-s1-c1', '李秀英'), 201);
  expectOk(await problem('rd-p2', 'res2', 'd1-s1-c2', '陈桂兰'), 201);
  expectOk(
    await api.request('res1', 'POST', '/wishes', {
      body: {
        wishId: 'rd-w1',
        unitId: 'd1-s1-c1',
        category: 'study',
        description: '希望有人辅导孩子的数学作业',
        consent: 'anonymous',
        wisher: { name: '李秀英', phone: '13905320000', personId: 'res1' },
      },
    }),
    201,
  );
  expectOk(
    await api.request('sec-d2', 'POST', '/wishes', {
      body: {
        wishId: 'rd-w2',
        unitId: 'd2-s1-c1',
        category: 'life',
        description: '希望修好楼下的长椅',
        consent: 'none',
        wisher: { name: '马兰' },
      },
    }),
    201,
  );
});

afterAll(async () => {
  await api?.close();
});

describe('GET /me', () => {
  it('answers the roles the directory holds, with the names of their units', async () => {
    const me = await api.request('sec-c1', 'GET', '/me');
    expectOk(me);
    conforms(Me, me.body);
    expect(me.body).toMatchObject({
      personId: 'sec-c1',
      roles: [{ role: 'secretary', unitId: 'd1-s1-c1', unitName: '扬州路社区' }],
      clientId: null,
      mayBackdate: false,
    });
    expect(me.headers.get('cache-control')).toContain('no-store');
  });

  it('a person with no roles reads an empty list; the grid app reads that it may backdate', async () => {
    expect((await api.request('nobody', 'GET', '/me')).body).toMatchObject({ personId: 'nobody', roles: [] });
    expect((await api.request('grid1', 'GET', '/me', { clientId: 'grid-app' })).body).toMatchObject({
      roles: [{ role: 'grid_worker', unitId: 'd1-s1-c1-g1', unitName: '扬州路社区第一网格' }],
      clientId: 'grid-app',
      mayBackdate: true,
    });
  });

  it('a token naming roles in its claims changes nothing: the directory decides', async () => {
    const now = Math.floor(Date.now() / 1000);
    const boastful = await new SignJWT({ roles: ['office'], role: 'office', unitId: 'd1', scope: 'office' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('res1')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(fixtureSecret);
    const authorization = { authorization: `Bearer ${boastful}` };
    const me = await api.request(null, 'GET', '/me', { headers: authorization });
    expectOk(me);
    expect((me.body as { roles: unknown[] }).roles).toEqual([
      expect.objectContaining({ role: 'resident', unitId: 'd1-s1-c1' }),
    ]);
    const refused = await api.request(null, 'POST', '/units/d1-s1/rename', {
      body: { name: '三里河' },
      headers: authorization,
    });
    expectRefusal(refused, 403, 'forbidden', 'api.no_role_for_command');
  });
});

describe('GET /problems/{id} and /wishes/{id}', () => {
  it("answers the problem's state and revision from its events, with the revision as ETag", async () => {
    const read = await api.request('sec-c1', 'GET', '/problems/rd-p1');
    expectOk(read);
    conforms(ItemState, read.body);
    expect(read.headers.get('etag')).toBe('"0"');
    expect(read.body).toMatchObject({
      streamId: 'problem-rd-p1',
      revision: 0,
      status: 'solicited',
      state: { problemId: 'rd-p1', unitId: 'd1-s1-c1', status: 'solicited' },
      freshness: { source: 'events' },
      links: { self: '/api/v1/problems/rd-p1' },
    });
  });

  it('If-None-Match with the current ETag is 304 with the ETag again, and no body', async () => {
    const token = await api.token('sec-s1');
    const answer = await rawGet('/api/v1/problems/rd-p2', { authorization: `Bearer ${token}`, 'if-none-match': '"0"' });
    expect(answer.status).toBe(304);
    expect(answer.etag).toBe('"0"');
    expect(answer.text).toBe('');
  });

  it("a fetch client's If-None-Match is answered 304 as well, though fetch adds Cache-Control: no-cache to it", async () => {
    // Browsers and Node's fetch send Cache-Control: no-cache with every conditional request they are given;
    // that asks caches to revalidate, it does not ask the origin to ignore the precondition (RFC 9111 5.2.1.4).
    const answer = await api.request('sec-s1', 'GET', '/problems/rd-p2', { headers: { 'if-none-match': '"0"' } });
    expect(answer.status).toBe(304);
  });

  it('after a change, the old ETag gets the new state and ETag', async () => {
    expectOk(await api.request('sec-c2', 'POST', '/problems/rd-p2/claim', { body: { plan: '联系物业', promisedBy } }));
    const token = await api.token('sec-s1');
    const changed = await rawGet('/api/v1/problems/rd-p2', {
      authorization: `Bearer ${token}`,
      'if-none-match': '"0"',
    });
    expect(changed.status).toBe(200);
    expect(changed.etag).toBe('"1"');
    expect(JSON.parse(changed.text)).toMatchObject({
      revision: 1,
      status: 'claimed',
      state: { claim: { claimantId: 'sec-c2', promisedBy } },
    });
  });

  it("a resident reading another resident's item is told it does not exist (404); the raiser and any official read it", async () => {
    expectRefusal(await api.request('res2', 'GET', '/problems/rd-p1'), 404, 'not_found', 'problem.not_found');
    expectRefusal(await api.request('res2', 'GET', '/wishes/rd-w1'), 404, 'not_found', 'wish.not_found');
    expectRefusal(await api.request('ent1', 'GET', '/problems/rd-p1'), 404, 'not_found', 'problem.not_found');
    expectOk(await api.request('res1', 'GET', '/problems/rd-p1'));
    expectOk(await api.request('office2', 'GET', '/problems/rd-p1'));
    expectOk(await api.request('member1', 'GET', '/wishes/rd-w1'));
  });

  it('an item that was never recorded is 404, the same answer a stranger gets', async () => {
    expectRefusal(await api.request('office1', 'GET', '/problems/rd-none'), 404, 'not_found', 'problem.not_found');
    expectRefusal(await api.request('office1', 'GET', '/wishes/rd-none'), 404, 'not_found', 'wish.not_found');
  });

  it('personal fields in the state read as the sealed marker, never in the clear', async () => {
    const wish = await api.request('office1', 'GET', '/wishes/rd-w1');
    expectOk(wish);
    expect(wish.headers.get('etag')).toBe('"0"');
    expect(wish.body).toMatchObject({
      status: 'collected',
      freshness: { source: 'events' },
      state: { wisher: { personId: 'res1', name: personalDataMarkers.sealed, phone: personalDataMarkers.sealed } },
    });
    const problem = await api.request('office1', 'GET', '/problems/rd-p1');
    for (const answer of [wish, problem]) {
      expect(answer.text).not.toContain('李秀英');
      expect(answer.text).not.toContain('13905320000');
    }
  });
});

describe('GET /me/claimable and /me/claims', () => {
  it('a secretary may claim what lies in the units they lead; once claimed it moves to their claims with its promised date', async () => {
    await api.projected();
    const before = await work('sec-c1', 'claimable');
    expect(before.problems.map((p) => p.problemId)).toEqual(['rd-p1']);
    expect(before.problems[0]?.unitName).toBe('扬州路社区');
    expect(before.wishes).toEqual([]);
    expect(before.wishClaims).toBeNull();
    expect(before.freshness).toMatchObject({ source: 'read_models', lagEvents: 0 });
    expect((await work('sec-c1', 'claims')).problems).toEqual([]);

    expectOk(
      await api.request('sec-c1', 'POST', '/problems/rd-p1/claim', { body: { plan: '联系物业和供电所', promisedBy } }),
    );
    await api.projected();
    expect((await work('sec-c1', 'claimable')).problems).toEqual([]);
    const claims = await work('sec-c1', 'claims');
    expect(claims.problems).toEqual([expect.objectContaining({ problemId: 'rd-p1', promisedBy })]);
    expect(claims.freshness).toMatchObject({ source: 'read_models', lagEvents: 0 });
  });

  it("a street's secretary may claim in every community of the street, and not what is claimed already", async () => {
    await api.projected();
    const claimable = await work('sec-s1', 'claimable');
    expect(claimable.problems.map((p) => p.problemId)).not.toContain('rd-p2');
    expect((await work('sec-d2', 'claimable')).problems).toEqual([]);
  });

  it('a member sees the wishes of their district and their open claims against the limit', async () => {
    await api.projected();
    const before = await work('member1', 'claimable');
    expect(before.wishes.map((w) => w.wishId)).toEqual(['rd-w1']);
    expect(before.problems).toEqual([]);
    expect(before.wishClaims).toEqual({ open: 0, limit: 3 });
    expect((await work('member2', 'claimable')).wishes.map((w) => w.wishId)).toEqual(['rd-w2']);

    expectOk(await api.request('member1', 'POST', '/wishes/rd-w1/claim', { body: {} }));
    await api.projected();
    const claims = await work('member1', 'claims');
    expect(claims.wishes.map((w) => w.wishId)).toEqual(['rd-w1']);
    expect(claims.wishClaims).toEqual({ open: 1, limit: 3 });
    expect((await work('member1', 'claimable')).wishes).toEqual([]);
  });

  it('the work lists carry how fresh the read models are', async () => {
    const answer = await work('member2', 'claims');
    expect(answer.freshness.source).toBe('read_models');
    expect(typeof answer.freshness.lagEvents).toBe('number');
  });
});
