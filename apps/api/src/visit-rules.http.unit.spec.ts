// docs/domain.md's visit rules (入户走访, 五问五解决, 处长网格员) and 现场解决 exercised through the HTTP API:
// each command's allowed path answered with its status and events, and refusals answered with their status
// and problem type, the stream left as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';
import { dayFromToday, expectAccepted, expectRefused } from './test-support/items.js';

let api: ApiFixture;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
});

afterAll(async () => {
  await api?.close();
});

let serial = 0;
const freshId = (label: string) => `V-${label}-${++serial}`;
const visitBody = (visitId: string, more: Record<string, unknown> = {}) => ({
  visitId,
  unitId: 'd1-s1-c1-g1',
  date: dayFromToday(0),
  kind: 'door_to_door',
  household: { address: '扬州路 8 号 2 单元 301', name: '李大娘' },
  ...more,
});
const streamLength = async (streamId: string) => (await api.store.readStream(streamId)).length;

describe('走访 through the API', () => {
  it('a grid worker records a five-questions visit with a check-in; the answer carries no household detail', async () => {
    const id = freshId('five');
    const answer = await api.request('grid1', 'POST', '/visits', {
      body: visitBody(id, {
        kind: 'grid_five_questions',
        topics: ['living', 'environment'],
        checkIn: { position: '36.285100,120.007200' },
        notes: '老人独居，电话 13900000000',
      }),
    });
    expectAccepted(answer, ['VisitRecorded'], 201);
    for (const secret of ['扬州路 8 号', '李大娘', '13900000000', '36.285100'])
      expect(answer.text).not.toContain(secret);
    const [stored] = await api.store.readStream(`visit-${id}`);
    expect(stored?.data).toMatchObject({ topics: ['environment', 'living'], checkIn: { result: 'unchecked' } });
  });

  it('refuses a future date, naming the field', async () => {
    const id = freshId('future');
    expectRefused(await api.request('grid1', 'POST', '/visits', { body: visitBody(id, { date: dayFromToday(2) }) }), {
      status: 400,
      code: 'validation',
      rule: 'visit.record.future_date',
      fields: ['body.date'],
    });
    expect(await streamLength(`visit-${id}`)).toBe(0);
  });

  it('refuses five questions without a topic, and a visitor outside their unit', async () => {
    expectRefused(
      await api.request('grid1', 'POST', '/visits', {
        body: visitBody(freshId('notopic'), { kind: 'grid_five_questions' }),
      }),
      { status: 400, code: 'validation', rule: 'visit.record.topics_required', fields: ['body.topics'] },
    );
    expectRefused(await api.request('sec-c2', 'POST', '/visits', { body: visitBody(freshId('outside')) }), {
      status: 403,
      code: 'forbidden',
      rule: 'visit.record.outside_visitor_unit',
    });
  });

  it('refuses an unknown kind at the boundary with the field named', async () => {
    const answer = await api.request('grid1', 'POST', '/visits', {
      body: visitBody(freshId('kind'), { kind: 'phone_call' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('body.kind');
  });

  it('处长网格员: a department official visits a grid of their district', async () => {
    expectAccepted(
      await api.request('handler', 'POST', '/visits', {
        body: visitBody(freshId('official'), { kind: 'official_grid_day' }),
      }),
      ['VisitRecorded'],
      201,
    );
  });

  it('the visitor cancels a visit; a second cancellation is refused', async () => {
    const id = freshId('cancel');
    expectAccepted(await api.request('grid1', 'POST', '/visits', { body: visitBody(id) }), ['VisitRecorded'], 201);
    expectAccepted(await api.request('grid1', 'POST', `/visits/${id}/cancel`, { body: { reason: '记错了户' } }), [
      'VisitCancelled',
    ]);
    expectRefused(await api.request('grid1', 'POST', `/visits/${id}/cancel`, { body: { reason: '再次' } }), {
      status: 422,
      code: 'invalid_state',
      rule: 'visit.cancelled',
    });
  });
});

describe('现场解决 through the API', () => {
  const onSite = (problemId: string, visitId: string) => ({
    problemId,
    visitId,
    unitId: 'd1-s1-c1-g1',
    grade: 'minor',
    title: '楼道堆物',
    summary: '当场联系物业清理',
    evidence: [{ kind: 'photo', uri: 'sha256:cc33' }],
  });

  it('the community secretary solves it on site: solicited from the visit, claimed, solved', async () => {
    const visitId = freshId('onsite');
    const answer = await api.request('sec-c1', 'POST', '/problems/on-site', { body: onSite(`P-${visitId}`, visitId) });
    expectAccepted(answer, ['ProblemSolicited', 'ProblemClaimed', 'ProblemSolved'], 201);
    const stored = await api.store.readStream(`problem-P-${visitId}`);
    expect(stored[0]?.data).toMatchObject({ source: 'grid_visit', origin: { kind: 'visit', visitId } });
    expect(stored[2]?.data).toMatchObject({ onSite: true });
  });

  it('a grid worker cannot solve it on site (they record it; a secretary claims it), nor a secretary elsewhere', async () => {
    const visitId = freshId('onsite-gw');
    expectRefused(await api.request('grid1', 'POST', '/problems/on-site', { body: onSite(`P-${visitId}`, visitId) }), {
      status: 403,
      code: 'forbidden',
      rule: 'api.no_role_for_command',
    });
    expectRefused(await api.request('sec-c2', 'POST', '/problems/on-site', { body: onSite(`P-${visitId}`, visitId) }), {
      status: 403,
      code: 'forbidden',
      rule: 'problem.resolve_on_site.not_secretary_of_unit',
    });
    expect(await streamLength(`problem-P-${visitId}`)).toBe(0);
  });
});
