// docs/domain.md's enterprise-service rules (企业服务专员) exercised through the HTTP API: every command's allowed
// path answered with its status and events, the refusals answered with their status and rule, and a need raised
// as a problem (征题 with an enterprise_service origin) linked back to the service. Set up over HTTP only.
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
const freshEnterprise = () => `ent-${++serial}`;

const assign = (enterpriseId: string, officerId = 'sec-c1', as = 'office1', extra: object = {}) =>
  api.request(as, 'POST', '/services', {
    body: { enterpriseId, enterpriseName: '青岛海晨机械有限公司', unitId: 'd1-s1', officerId, ...extra },
  });
const contact = (enterpriseId: string, as = 'sec-c1', extra: object = {}) =>
  api.request(as, 'POST', `/services/${enterpriseId}/contacts`, {
    body: {
      date: dayFromToday(0),
      kind: 'on_site',
      work: [
        { role: 'policy', summary: '宣讲技改补贴政策' },
        { role: 'research', summary: '了解订单和用工情况' },
      ],
      needs: [{ needId: 'n-1', description: '厂区门前道路破损，货车进出困难' }],
      contactPerson: { name: '刘经理', phone: '13800000000' },
      ...extra,
    },
  });

describe('assigning, replacing and ending a service over HTTP', () => {
  it('the office assigns an official to an enterprise; the answer points at the service', async () => {
    const id = freshEnterprise();
    const answer = await assign(id);
    expectAccepted(answer, ['ServiceAssigned'], 201);
    expect(answer.headers.get('location')).toBe(`/api/v1/services/${id}`);
  });
  it('a second assignment is a conflict: the officer is replaced instead, and the service can end', async () => {
    const id = freshEnterprise();
    await assign(id);
    expectRefused(await assign(id, 'sec-c2'), {
      status: 409,
      code: 'conflict',
      rule: 'service.assign.already_assigned',
    });
    expectAccepted(
      await api.request('office1', 'POST', `/services/${id}/officer`, {
        body: { officerId: 'sec-c2', reason: '工作调整' },
      }),
      ['ServiceOfficerReplaced'],
    );
    expectAccepted(await api.request('office1', 'POST', `/services/${id}/end`, { body: { reason: '企业迁出' } }), [
      'ServiceEnded',
    ]);
    expectRefused(await contact(id, 'sec-c2'), { status: 422, code: 'invalid_state', rule: 'service.ended' });
  });
  it('only the office of the district assigns, and only an official able to serve', async () => {
    expectRefused(await assign(freshEnterprise(), 'sec-c1', 'office2'), {
      status: 403,
      code: 'forbidden',
      rule: 'service.office.outside_district',
    });
    expectRefused(await assign(freshEnterprise(), 'res1'), {
      status: 403,
      code: 'forbidden',
      rule: 'service.officer.cannot_serve',
    });
    expectRefused(await assign(freshEnterprise(), 'sec-d2'), {
      status: 403,
      code: 'forbidden',
      rule: 'service.officer.cannot_serve',
    });
    expect((await assign(freshEnterprise(), 'sec-c1', 'sec-c1')).status).toBe(403);
  });
  it('bad input is refused with the field it concerns, and nothing is stored', async () => {
    const id = freshEnterprise();
    expectRefused(await assign(id, 'sec-c1', 'office1', { enterpriseName: '  ' }), {
      status: 400,
      code: 'validation',
      rule: 'input.invalid',
      fields: ['body.enterpriseName'],
    });
    expectRefused(await assign(id, 'sec-c1', 'office1', { unitId: 'nowhere' }), {
      status: 400,
      code: 'validation',
      rule: 'service.assign.unknown_unit',
      fields: ['body.unitId'],
    });
    expect(await api.store.readStream(`service-${id}`)).toEqual([]);
  });
});

describe('recording contacts (对接) over HTTP', () => {
  it('the officer records a contact; the contact person and the needs are stored sealed', async () => {
    const id = freshEnterprise();
    await assign(id);
    const answer = await contact(id);
    expectAccepted(answer, ['ServiceContactRecorded']);
    const stored = await api.store.readStream(`service-${id}`);
    expect(JSON.stringify(stored)).not.toContain('刘经理');
    expect(JSON.stringify(stored)).not.toContain('道路破损');
  });
  it('at least one of the four roles, a known kind and a real date', async () => {
    const id = freshEnterprise();
    await assign(id);
    for (const [extra, field] of [
      [{ work: [] }, 'body.work'],
      [{ kind: 'email' }, 'body.kind'],
      [{ date: '2026-02-30' }, 'body.date'],
    ] as const)
      expectRefused(await contact(id, 'sec-c1', extra), {
        status: 400,
        code: 'validation',
        rule: 'input.invalid',
        fields: [field],
      });
  });
  it('not by anyone but the officer, not in the future, not before the assignment', async () => {
    const id = freshEnterprise();
    expectRefused(await contact(id), { status: 404, code: 'not_found', rule: 'service.not_assigned' });
    await assign(id);
    expectRefused(await contact(id, 'sec-c2'), { status: 403, code: 'forbidden', rule: 'service.contact.not_officer' });
    expectRefused(await contact(id, 'sec-c1', { date: dayFromToday(2) }), {
      status: 400,
      code: 'validation',
      rule: 'service.contact.in_future',
      fields: ['body.date'],
    });
    expectRefused(await contact(id, 'sec-c1', { date: dayFromToday(-2) }), {
      status: 400,
      code: 'validation',
      rule: 'service.contact.before_assignment',
      fields: ['body.date'],
    });
  });
});

describe('a need raised as a problem (需求转题) over HTTP', () => {
  // 工作专班: the office takes what the officer cannot settle (a secretary records only suggestion-drive problems).
  it('the office solicits it with the enterprise as raiser and the service as origin; the officer links it', async () => {
    const id = freshEnterprise();
    await assign(id);
    const recorded = expectAccepted(await contact(id, 'sec-c1', { contactId: `c-${id}` }), ['ServiceContactRecorded']);
    expect(recorded.streamId).toBe(`service-${id}`);
    const problemId = `p-${id}`;
    expectAccepted(
      await api.request('office1', 'POST', '/problems', {
        body: {
          problemId,
          unitId: 'd1-s1-c1',
          source: 'enterprise',
          grade: 'medium',
          title: '企业门前道路破损',
          raiser: { kind: 'enterprise', enterpriseName: '青岛海晨机械有限公司', enterpriseId: id },
          origin: { kind: 'enterprise_service', enterpriseId: id, contactId: `c-${id}` },
        },
      }),
      ['ProblemSolicited'],
      201,
    );
    const link = { contactId: `c-${id}`, needId: 'n-1', problemId };
    expectAccepted(await api.request('sec-c1', 'POST', `/services/${id}/raised-problems`, { body: link }), [
      'ServiceNeedRaisedAsProblem',
    ]);
    expectRefused(await api.request('sec-c1', 'POST', `/services/${id}/raised-problems`, { body: link }), {
      status: 409,
      code: 'conflict',
      rule: 'service.raise.already_linked',
    });
    expectRefused(
      await api.request('sec-c1', 'POST', `/services/${id}/raised-problems`, {
        body: { ...link, problemId: 'p-other', needId: 'n-9' },
      }),
      { status: 400, code: 'validation', rule: 'service.raise.unknown_need', fields: ['body.needId'] },
    );
  });
});
