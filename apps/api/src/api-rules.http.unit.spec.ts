// The API's own refusals, the ones that happen before a command reaches a decider: the bearer token, the
// acting role, the body (an object, JSON, of bounded size, with no unknown fields), path ids, If-Match,
// Idempotency-Key, the business time an integration may send, unknown paths and methods. Every refusal
// is problem details carrying the request's correlation id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDevToken } from './auth/tokens.js';
import { type ApiFixture, fixtureSecret, startApiFixture } from './test-support/api-fixture.js';
import { expectRefusal, fieldPaths } from './test-support/refusals.js';

let api: ApiFixture;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
  await raise('api-p1');
});

afterAll(async () => {
  await api?.close();
});

const hours = (n: number) => n * 3_600_000;
const promisedBy = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const claim = { plan: '联系物业更换灯泡', promisedBy: promisedBy() };

const problemBody = (problemId: string) => ({
  problemId,
  unitId: 'd1-s1-c1',
  source: 'resident',
  grade: 'small',
  title: '楼道灯不亮',
  raiser: { kind: 'resident', personId: 'res1' },
});

async function raise(problemId: string) {
  const raised = await api.request('res1', 'POST', '/problems', { body: problemBody(problemId) });
  expect(raised.status, raised.text).toBe(201);
  return raised;
}

const withToken = (token: string, method: string, path: string, body?: unknown) =>
  api.request(null, method, path, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });

/** A grid worker's visit, sent by the grid app with the time it was made. */
const gridVisit = (problemId: string, occurredAt: string, clientId: string | null = 'grid-app') =>
  api.request('grid1', 'POST', '/problems', {
    body: { problemId, unitId: 'd1-s1-c1-g1', source: 'grid_visit', grade: 'minor', title: '井盖松动' },
    headers: { 'x-occurred-at': occurredAt },
    ...(clientId === null ? {} : { clientId }),
  });

describe('the bearer token', () => {
  const expectUnauthenticated = (answer: Awaited<ReturnType<ApiFixture['request']>>) => {
    expectRefusal(answer, 401, 'unauthenticated', 'api.unauthenticated');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  };

  it('no token at all is 401 with WWW-Authenticate', async () => {
    expectUnauthenticated(await api.request(null, 'POST', '/problems/api-p1/claim', { body: claim }));
    expectUnauthenticated(await api.request(null, 'GET', '/me'));
  });

  it('no token at all is challenged without an error code, as RFC 6750 3.1 asks of a request with no credentials', async () => {
    const answer = await api.request(null, 'GET', '/me');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).not.toContain('error=');
  });

  it('a malformed Authorization header is 401', async () => {
    expectUnauthenticated(await api.request(null, 'GET', '/me', { headers: { authorization: 'Bearer not-a-jwt' } }));
    expectUnauthenticated(await api.request(null, 'GET', '/me', { headers: { authorization: 'Basic cmVzMTpwdw==' } }));
  });

  it('an expired token is 401', async () => {
    const expired = await issueDevToken(fixtureSecret, {
      personId: 'res1',
      now: new Date(Date.now() - hours(2)),
      ttlSec: 60,
    });
    expectUnauthenticated(await withToken(expired, 'GET', '/me'));
  });

  it('a token signed with another secret is 401', async () => {
    const forged = await issueDevToken(new TextEncoder().encode('another secret of at least thirty-two bytes!!'), {
      personId: 'office1',
    });
    expectUnauthenticated(await withToken(forged, 'POST', '/units/d1-s1/rename', { name: '三里河' }));
  });

  it('a valid token for a person not in the directory may neither act nor read: 403 api.not_in_directory', async () => {
    const refused = await api.request('stranger', 'POST', '/problems', { body: problemBody('api-stranger') });
    expectRefusal(refused, 403, 'forbidden', 'api.not_in_directory');
    expectRefusal(await api.request('stranger', 'GET', '/me'), 403, 'forbidden', 'api.not_in_directory');
    expect(await api.store.readStream('problem-api-stranger')).toEqual([]);
  });

  it('a person in the directory without a role that may do it: 403 api.no_role_for_command', async () => {
    const refused = await api.request('nobody', 'POST', '/problems', { body: problemBody('api-nobody') });
    expectRefusal(refused, 403, 'forbidden', 'api.no_role_for_command');
  });
});

describe('the acting role', () => {
  it('X-Acting-Role naming a role the person does not hold is 403 api.role_not_held', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: claim,
      headers: { 'x-acting-role': 'department_handler' },
    });
    expectRefusal(refused, 403, 'forbidden', 'api.role_not_held');
  });

  it('X-Acting-Unit naming a unit where the role is not held is 403 api.role_not_held', async () => {
    const refused = await api.request('office1', 'POST', '/units/d1-s1/rename', {
      body: { name: '三里河' },
      headers: { 'x-acting-role': 'office', 'x-acting-unit': 'd2' },
    });
    expectRefusal(refused, 403, 'forbidden', 'api.role_not_held');
  });

  it('X-Acting-Role that is no role at all is 400 api.invalid_acting_role naming the header', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: claim,
      headers: { 'x-acting-role': 'mayor' },
    });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.invalid_acting_role'))).toEqual([
      'header.x-acting-role',
    ]);
  });
});

describe('the body', () => {
  it('an unknown field is 400 api.unknown_fields naming body.<field>, nothing stored', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: { ...claim, priority: 'high' },
    });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.unknown_fields'))).toEqual(['body.priority']);
    expect(await api.store.readStream('problem-api-p1')).toHaveLength(1);
  });

  it('an unknown nested field is named by its full path', async () => {
    const body = { ...problemBody('api-nested'), raiser: { kind: 'resident', personId: 'res1', nickname: '小李' } };
    const refused = await api.request('res1', 'POST', '/problems', { body });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.unknown_fields'))).toEqual([
      'body.raiser.nickname',
    ]);
  });

  it('a body that is an array or a string is 400 api.body_not_object', async () => {
    for (const body of [[claim], '"领题"', 'null', '42']) {
      const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', { body });
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.body_not_object'))).toEqual(['body']);
    }
  });

  it('a body that is not JSON is 400 api.body_not_json', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', { body: '{"plan": "联系物业",' });
    expectRefusal(refused, 400, 'validation', 'api.body_not_json');
  });

  it('a body sent as anything but JSON is 415', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: 'plan=联系物业',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectRefusal(refused, 415, 'unsupported', 'api.unsupported_media_type');
  });

  it('JSON in a charset other than UTF-8 is 415', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: claim,
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expectRefusal(refused, 415, 'unsupported', 'api.unsupported_media_type');
  });

  it('a body larger than the limit is 413', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: { ...claim, plan: '修'.repeat(30_000) },
    });
    expectRefusal(refused, 413, 'validation', 'api.body_too_large');
  });
});

describe('path ids', () => {
  it('a path id with characters no id has is 400 api.invalid_path_parameter naming path.<name>', async () => {
    for (const id of ['bad%20id', '%E9%97%AE%E9%A2%98', 'a%24b']) {
      const refused = await api.request('sec-c1', 'POST', `/problems/${id}/claim`, { body: claim });
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.invalid_path_parameter'))).toEqual([
        'path.problemId',
      ]);
    }
  });

  it('a body id differing from the path is 400 api.path_body_mismatch naming body.<id>', async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: { ...claim, problemId: 'api-other' },
    });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.path_body_mismatch'))).toEqual(['body.problemId']);
  });

  it('a body id equal to the path is accepted', async () => {
    await raise('api-same-id');
    const claimed = await api.request('sec-c1', 'POST', '/problems/api-same-id/claim', {
      body: { ...claim, problemId: 'api-same-id' },
    });
    expect(claimed.status, claimed.text).toBe(200);
  });
});

describe('If-Match', () => {
  it('a malformed or weak If-Match is 400 api.invalid_if_match naming the header', async () => {
    for (const tag of ['3', 'W/"0"', '"0", "1"', '*']) {
      const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
        body: claim,
        headers: { 'if-match': tag },
      });
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.invalid_if_match'))).toEqual([
        'header.if-match',
      ]);
    }
  });

  it('a stale If-Match is 412 with the current revision in the body and as the ETag', async () => {
    await raise('api-stale');
    const refused = await api.request('sec-c1', 'POST', '/problems/api-stale/claim', {
      body: claim,
      headers: { 'if-match': '"4"' },
    });
    const problem = expectRefusal(refused, 412, 'precondition_failed', 'command.stale_expected_revision');
    expect(problem.currentRevision).toBe(0);
    expect(refused.headers.get('etag')).toBe('"0"');
    const claimed = await api.request('sec-c1', 'POST', '/problems/api-stale/claim', {
      body: claim,
      headers: { 'if-match': '"0"' },
    });
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.headers.get('etag')).toBe('"1"');
  });
});

describe('If-Match on a creating request', () => {
  it('If-Match "-1" says the item must not exist yet: creating one that exists is 412 with its revision', async () => {
    await raise('api-exists');
    const refused = await api.request('res1', 'POST', '/problems', {
      body: problemBody('api-exists'),
      headers: { 'if-match': '"-1"' },
    });
    expect(expectRefusal(refused, 412, 'precondition_failed', 'command.stale_expected_revision').currentRevision).toBe(
      0,
    );
    const created = await api.request('res1', 'POST', '/problems', {
      body: problemBody('api-new'),
      headers: { 'if-match': '"none"' },
    });
    expect(created.status, created.text).toBe(201);
  });
});

describe('Idempotency-Key', () => {
  it('a malformed key is 400 api.invalid_idempotency_key naming the header', async () => {
    for (const key of ['two words', 'k'.repeat(256)]) {
      const refused = await api.request('res1', 'POST', '/problems', {
        body: problemBody('api-key-bad'),
        headers: { 'idempotency-key': key },
      });
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.invalid_idempotency_key'))).toEqual([
        'header.idempotency-key',
      ]);
    }
  });

  it('a retry with the same key replays the answer; the same key for another request is 422 api.idempotency_key_reused', async () => {
    const { problemId: _omitted, ...withoutId } = problemBody('unused');
    const headers = { 'idempotency-key': 'intake-2026-0001' };
    const first = await api.request('res1', 'POST', '/problems', { body: withoutId, headers });
    expect(first.status, first.text).toBe(201);
    const again = await api.request('res1', 'POST', '/problems', { body: withoutId, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((again.body as { streamId: string }).streamId).toBe((first.body as { streamId: string }).streamId);
    const other = await api.request('res1', 'POST', '/problems', {
      body: { ...withoutId, title: '另一个问题' },
      headers,
    });
    expect(fieldPaths(expectRefusal(other, 422, 'invalid_state', 'api.idempotency_key_reused'))).toEqual([
      'header.idempotency-key',
    ]);
    expect(await api.store.readStream((first.body as { streamId: string }).streamId)).toHaveLength(1);
  });
});

describe('X-Occurred-At', () => {
  it('without an integration client it is 403 api.occurred_at_not_allowed', async () => {
    const refused = await gridVisit('api-late-1', new Date(Date.now() - hours(2)).toISOString(), null);
    expectRefusal(refused, 403, 'forbidden', 'api.occurred_at_not_allowed');
    expect(await api.store.readStream('problem-api-late-1')).toEqual([]);
  });

  it("the grid app may date an act in the past: the event's occurredAt is that time, recordedAt the store's", async () => {
    // Within the 72 h bound, and after the fixture's directory was set up (a day ago), so the role was held then.
    const occurredAt = new Date(Date.now() - hours(20)).toISOString();
    const before = Date.now();
    const accepted = await gridVisit('api-late-2', occurredAt);
    expect(accepted.status, accepted.text).toBe(201);
    const [event] = await api.store.readStream('problem-api-late-2');
    expect(event?.occurredAt).toBe(occurredAt);
    expect(Date.parse(event!.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(event!.recordedAt)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('more than 72 h in the past, or not a time with an offset, is 400 api.occurred_at_out_of_bounds', async () => {
    for (const at of [new Date(Date.now() - hours(73)).toISOString(), 'yesterday', '2026-12-01T09:30:00']) {
      const refused = await gridVisit('api-late-3', at);
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.occurred_at_out_of_bounds'))).toEqual([
        'header.x-occurred-at',
      ]);
    }
    expect(await api.store.readStream('problem-api-late-3')).toEqual([]);
  });

  it('ahead of the clock by more than 5 minutes is 400 command.now_ahead_of_clock', async () => {
    const refused = await gridVisit('api-late-4', new Date(Date.now() + 10 * 60_000).toISOString());
    expectRefusal(refused, 400, 'validation', 'command.now_ahead_of_clock');
  });
});

describe('paths and methods', () => {
  it('an unknown path under the base is 404 api.not_found', async () => {
    expectRefusal(await api.request('res1', 'GET', '/nowhere'), 404, 'not_found', 'api.not_found');
    expectRefusal(
      await api.request('res1', 'POST', '/problems/api-p1/approve', { body: {} }),
      404,
      'not_found',
      'api.not_found',
    );
  });

  it('a known path asked with another method is 405 naming the allowed ones', async () => {
    const get = await api.request('sec-c1', 'GET', '/problems/api-p1/claim');
    expectRefusal(get, 405, 'unsupported', 'api.method_not_allowed');
    expect(get.headers.get('allow')).toBe('POST');
    const del = await api.request('sec-c1', 'DELETE', '/problems/api-p1');
    expectRefusal(del, 405, 'unsupported', 'api.method_not_allowed');
    expect(del.headers.get('allow')).toBe('GET');
  });
});

describe('correlation ids', () => {
  it("a client's own X-Correlation-Id is echoed in the header and the problem's correlationId", async () => {
    const refused = await api.request('sec-c1', 'POST', '/problems/api-p1/claim', {
      body: { ...claim, priority: 'high' },
      headers: { 'x-correlation-id': 'grid-app:req-000123' },
    });
    expect(refused.headers.get('x-correlation-id')).toBe('grid-app:req-000123');
    expect(expectRefusal(refused, 400, 'validation', 'api.unknown_fields').correlationId).toBe('grid-app:req-000123');
  });

  it('a correlation id that is not one (too short, spaces) is replaced by the API’s own', async () => {
    const refused = await api.request(null, 'GET', '/me', { headers: { 'x-correlation-id': 'a b' } });
    const problem = expectRefusal(refused, 401, 'unauthenticated', 'api.unauthenticated');
    expect(problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a successful command answer carries a correlation id too', async () => {
    const raised = await raise('api-corr');
    expect(raised.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
