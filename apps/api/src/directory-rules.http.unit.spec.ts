// The directory's and the campaigns' rules as a client meets them over HTTP: each refusal of docs/domain.md
// answered with its status and rule as problem details, and each command's allowed path answered with the
// item's revision as its ETag. A role granted through the API counts from the next request on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type ApiResponse, startApiFixture } from './test-support/api-fixture.js';
import { expectRefusal, fieldPaths } from './test-support/refusals.js';

let api: ApiFixture;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
});

afterAll(async () => {
  await api?.close();
});

const post = (personId: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  api.request(personId, 'POST', path, { body, headers });

const expectAnswer = (answer: ApiResponse, status: 200 | 201, revision: number) => {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('etag')).toBe(`"${revision}"`);
  expect(answer.body).toMatchObject({ revision });
};

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const campaign = (campaignId: string, overrides: Record<string, unknown> = {}) => ({
  campaignId,
  name: '千名书记解千题、万名党员圆万梦',
  districtId: 'd1',
  period: { from: day(0), to: day(365) },
  targets: { problemsSolved: 1000, wishesFulfilled: 10000 },
  ...overrides,
});

describe('units: the allowed path', () => {
  it('the office registers (201), renames and retires (200) a unit in its district, each answer carrying the revision', async () => {
    const registered = await post('office1', '/units', {
      unitId: 'd1-s1-c3',
      name: '福州路社区',
      kind: 'community',
      parentId: 'd1-s1',
    });
    expectAnswer(registered, 201, 0);
    expect(registered.headers.get('location')).toBe('/api/v1/units/d1-s1-c3');
    expect(registered.body).toMatchObject({
      streamId: 'unit-d1-s1-c3',
      events: [{ type: 'UnitRegistered', revision: 0 }],
    });
    expectAnswer(await post('office1', '/units/d1-s1-c3/rename', { name: '福州路社区（新）' }), 200, 1);
    expectAnswer(await post('office1', '/units/d1-s1-c3/retire', { reason: '社区合并' }), 200, 2);
    const events = await api.store.readStream('unit-d1-s1-c3');
    expect(events.map((e) => e.type)).toEqual(['UnitRegistered', 'UnitRenamed', 'UnitRetired']);
  });

  it('renaming a unit to the name it has records nothing and answers the unchanged revision', async () => {
    const same = await post('office1', '/units/d1-s1-c2/rename', { name: '郑州路社区' });
    expectAnswer(same, 200, 0);
    expect(same.body).toMatchObject({ events: [] });
  });
});

describe('units: refusals', () => {
  it('directory.not_office: someone acting in a role other than office (403)', async () => {
    const refused = await post(
      'sec-s1',
      '/units',
      { unitId: 'd1-s1-c9', name: '新社区', kind: 'community', parentId: 'd1-s1' },
      {
        'x-acting-role': 'secretary',
      },
    );
    expectRefusal(refused, 403, 'forbidden', 'directory.not_office');
    expect(await api.store.readStream('unit-d1-s1-c9')).toEqual([]);
  });

  it('a person holding no office role is refused by the API before the directory sees the command (403)', async () => {
    const refused = await post('sec-s1', '/units/d1-s1/rename', { name: '三里河' });
    expectRefusal(refused, 403, 'forbidden', 'api.no_role_for_command');
  });

  it('directory.outside_office_district: an office reaching into another district, or registering a district (403)', async () => {
    expectRefusal(
      await post('office2', '/units/d1-s1/rename', { name: '三里河' }),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
    expectRefusal(
      await post('office2', '/units/d1-s1-c2/retire', {}),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
    expectRefusal(
      await post('office2', '/units', { unitId: 'd1-s1-c8', name: '新社区', kind: 'community', parentId: 'd1-s1' }),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
    expectRefusal(
      await post('office1', '/units', { unitId: 'd3', name: '即墨区', kind: 'district', parentId: null }),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
  });

  it('directory.unit.already_registered: a unit id registered twice (409)', async () => {
    const refused = await post('office1', '/units', {
      unitId: 'd1-s1',
      name: '三里河街道',
      kind: 'street',
      parentId: 'd1',
    });
    expectRefusal(refused, 409, 'conflict', 'directory.unit.already_registered');
  });

  it('directory.unit.not_found: renaming or retiring a unit never registered (404)', async () => {
    expectRefusal(
      await post('office1', '/units/ghost/rename', { name: '无' }),
      404,
      'not_found',
      'directory.unit.not_found',
    );
    expectRefusal(await post('office1', '/units/ghost/retire', {}), 404, 'not_found', 'directory.unit.not_found');
  });

  it('directory.unit.retired: renaming or retiring a retired unit (422)', async () => {
    expectAnswer(
      await post('office1', '/units', { unitId: 'd1-s1-c4', name: '广州路社区', kind: 'community', parentId: 'd1-s1' }),
      201,
      0,
    );
    expectAnswer(await post('office1', '/units/d1-s1-c4/retire', {}), 200, 1);
    expectRefusal(
      await post('office1', '/units/d1-s1-c4/rename', { name: '广州路' }),
      422,
      'invalid_state',
      'directory.unit.retired',
    );
    expectRefusal(await post('office1', '/units/d1-s1-c4/retire', {}), 422, 'invalid_state', 'directory.unit.retired');
  });

  it('directory.unit.name_required: a blank name at registration or rename (400)', async () => {
    expectRefusal(
      await post('office1', '/units', { unitId: 'd1-s1-c7', name: '   ', kind: 'community', parentId: 'd1-s1' }),
      400,
      'validation',
      'directory.unit.name_required',
    );
    expectRefusal(
      await post('office1', '/units/d1-s1-c1/rename', { name: '' }),
      400,
      'validation',
      'directory.unit.name_required',
    );
  });

  it('directory.unit.district_has_no_parent: a district with a parent (400)', async () => {
    const refused = await post('office1', '/units', { unitId: 'd1-x', name: '新区', kind: 'district', parentId: 'd1' });
    expectRefusal(refused, 400, 'validation', 'directory.unit.district_has_no_parent');
  });

  it('directory.unit.parent_required: a street without a parent (400)', async () => {
    const refused = await post('office1', '/units', {
      unitId: 'd1-s9',
      name: '九龙街道',
      kind: 'street',
      parentId: null,
    });
    expectRefusal(refused, 400, 'validation', 'directory.unit.parent_required');
  });

  it('directory.unit.parent_not_found: a parent never registered (404)', async () => {
    const refused = await post('office1', '/units', {
      unitId: 'd1-s9-c1',
      name: '新社区',
      kind: 'community',
      parentId: 'd1-s9',
    });
    expectRefusal(refused, 404, 'not_found', 'directory.unit.parent_not_found');
  });

  it('directory.unit.parent_retired: a new unit under a retired one (422)', async () => {
    expectAnswer(
      await post('office1', '/units', { unitId: 'd1-s2', name: '阜安街道', kind: 'street', parentId: 'd1' }),
      201,
      0,
    );
    expectAnswer(await post('office1', '/units/d1-s2/retire', { reason: '区划调整' }), 200, 1);
    const refused = await post('office1', '/units', {
      unitId: 'd1-s2-c1',
      name: '新社区',
      kind: 'community',
      parentId: 'd1-s2',
    });
    expectRefusal(refused, 422, 'invalid_state', 'directory.unit.parent_retired');
  });

  it('directory.unit.parent_wrong_kind: a grid directly under a street, a community under a department (400)', async () => {
    expectRefusal(
      await post('office1', '/units', { unitId: 'd1-s1-g9', name: '网格', kind: 'grid', parentId: 'd1-s1' }),
      400,
      'validation',
      'directory.unit.parent_wrong_kind',
    );
    expectRefusal(
      await post('office1', '/units', { unitId: 'd1-dept-c1', name: '社区', kind: 'community', parentId: 'd1-dept' }),
      400,
      'validation',
      'directory.unit.parent_wrong_kind',
    );
  });

  it('a unit kind that does not exist is refused by the codec, naming body.kind (400)', async () => {
    const refused = await post('office1', '/units', {
      unitId: 'd1-v1',
      name: '村',
      kind: 'village',
      parentId: 'd1-s1',
    });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.kind']);
  });
});

describe('people and roles: the allowed path', () => {
  it('the office registers a person (201), grants, revokes (200) and deactivates (200), each answer carrying the revision', async () => {
    const registered = await post('office1', '/people', {
      personId: 'official-0901',
      kind: 'official',
      name: '王晓东',
    });
    expectAnswer(registered, 201, 0);
    expect(registered.headers.get('location')).toBe('/api/v1/people/official-0901');
    expectAnswer(
      await post('office1', '/people/official-0901/roles', { role: 'secretary', unitId: 'd1-s1-c2' }),
      200,
      1,
    );
    expectAnswer(
      await post('office1', '/people/official-0901/roles', { role: 'grid_worker', unitId: 'd1-s1-c1-g1' }),
      200,
      2,
    );
    expectAnswer(
      await post('office1', '/people/official-0901/roles/revoke', {
        role: 'secretary',
        unitId: 'd1-s1-c2',
        reason: '换届',
      }),
      200,
      3,
    );
    const deactivated = await post('office1', '/people/official-0901/deactivate', { reason: '调离本区' });
    // The role still held ends with its own event before the deactivation.
    expectAnswer(deactivated, 200, 5);
    expect((deactivated.body as { events: { type: string }[] }).events.map((e) => e.type)).toEqual([
      'RoleRevoked',
      'PersonDeactivated',
    ]);
  });

  it('a role granted through the API is usable at once: nobody, made secretary, claims a problem of that community', async () => {
    const raised = await post('res1', '/problems', {
      problemId: 'dir-granted-1',
      unitId: 'd1-s1-c1',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      raiser: { kind: 'resident', personId: 'res1' },
    });
    expect(raised.status, raised.text).toBe(201);
    const claim = { plan: '联系物业更换灯泡', promisedBy: day(7) };
    expectRefusal(
      await post('nobody', '/problems/dir-granted-1/claim', claim),
      403,
      'forbidden',
      'api.no_role_for_command',
    );
    expectAnswer(await post('office1', '/people/nobody/roles', { role: 'secretary', unitId: 'd1-s1-c1' }), 200, 1);
    const claimed = await post('nobody', '/problems/dir-granted-1/claim', claim);
    expectAnswer(claimed, 200, 1);
    expect(claimed.body).toMatchObject({ events: [{ type: 'ProblemClaimed' }] });
    const me = await api.request('nobody', 'GET', '/me');
    expect(me.body).toMatchObject({ roles: [{ role: 'secretary', unitId: 'd1-s1-c1' }] });
  });
});

describe('people and roles: refusals', () => {
  it('directory.not_office: a secretary acting as secretary registers a person (403)', async () => {
    const refused = await post(
      'sec-c1',
      '/people',
      { personId: 'p-x', kind: 'official', name: '某人' },
      { 'x-acting-role': 'secretary' },
    );
    expectRefusal(refused, 403, 'forbidden', 'directory.not_office');
  });

  it('directory.outside_office_district: granting, revoking or deactivating in another district (403)', async () => {
    expectRefusal(
      await post('office1', '/people/nobody/roles', { role: 'secretary', unitId: 'd2-s1-c1' }),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
    expectRefusal(
      await post('office2', '/people/sec-c2/roles/revoke', { role: 'secretary', unitId: 'd1-s1-c2' }),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
    expectRefusal(
      await post('office2', '/people/sec-c2/deactivate', {}),
      403,
      'forbidden',
      'directory.outside_office_district',
    );
  });

  it('directory.person.already_registered: a person id registered twice (409)', async () => {
    const refused = await post('office1', '/people', { personId: 'sec-c1', kind: 'official', name: '张丽' });
    expectRefusal(refused, 409, 'conflict', 'directory.person.already_registered');
  });

  it('directory.person.not_found: granting, revoking or deactivating for someone never registered (404)', async () => {
    expectRefusal(
      await post('office1', '/people/ghost/roles', { role: 'secretary', unitId: 'd1-s1-c1' }),
      404,
      'not_found',
      'directory.person.not_found',
    );
    expectRefusal(
      await post('office1', '/people/ghost/roles/revoke', { role: 'secretary', unitId: 'd1-s1-c1' }),
      404,
      'not_found',
      'directory.person.not_found',
    );
    expectRefusal(
      await post('office1', '/people/ghost/deactivate', {}),
      404,
      'not_found',
      'directory.person.not_found',
    );
  });

  it('directory.person.deactivated: any change to a deactivated person (422)', async () => {
    expectAnswer(
      await post('office1', '/people', { personId: 'official-0902', kind: 'official', name: '刘芳' }),
      201,
      0,
    );
    expectAnswer(await post('office1', '/people/official-0902/deactivate', {}), 200, 1);
    expectRefusal(
      await post('office1', '/people/official-0902/roles', { role: 'secretary', unitId: 'd1-s1-c1' }),
      422,
      'invalid_state',
      'directory.person.deactivated',
    );
    expectRefusal(
      await post('office1', '/people/official-0902/deactivate', {}),
      422,
      'invalid_state',
      'directory.person.deactivated',
    );
  });

  it('directory.person.name_required: a blank name (400)', async () => {
    const refused = await post('office1', '/people', { personId: 'official-0903', kind: 'official', name: ' ' });
    expectRefusal(refused, 400, 'validation', 'directory.person.name_required');
  });

  it('directory.role.unit_not_found: a role in a unit never registered (404)', async () => {
    const refused = await post('office1', '/people/nobody/roles', { role: 'grid_worker', unitId: 'd1-s1-c1-g9' });
    expectRefusal(refused, 404, 'not_found', 'directory.role.unit_not_found');
  });

  it('directory.role.unit_retired: a role in a retired unit (422)', async () => {
    expectAnswer(
      await post('office1', '/units', { unitId: 'd1-s1-c5', name: '杭州路社区', kind: 'community', parentId: 'd1-s1' }),
      201,
      0,
    );
    expectAnswer(await post('office1', '/units/d1-s1-c5/retire', {}), 200, 1);
    const refused = await post('office1', '/people/nobody/roles', { role: 'secretary', unitId: 'd1-s1-c5' });
    expectRefusal(refused, 422, 'invalid_state', 'directory.role.unit_retired');
  });

  it('directory.role.wrong_unit_kind: a handler outside a department, the office outside a district (400)', async () => {
    expectRefusal(
      await post('office1', '/people/nobody/roles', { role: 'department_handler', unitId: 'd1-s1-c1' }),
      400,
      'validation',
      'directory.role.wrong_unit_kind',
    );
    expectRefusal(
      await post('office1', '/people/nobody/roles', { role: 'office', unitId: 'd1-s1' }),
      400,
      'validation',
      'directory.role.wrong_unit_kind',
    );
    expectRefusal(
      await post('office1', '/people/nobody/roles', { role: 'grid_worker', unitId: 'd1-s1-c1' }),
      400,
      'validation',
      'directory.role.wrong_unit_kind',
    );
  });

  it('directory.role.wrong_person_kind: a resident as secretary, an enterprise as member (400)', async () => {
    expectRefusal(
      await post('office1', '/people/res1/roles', { role: 'secretary', unitId: 'd1-s1-c1' }),
      400,
      'validation',
      'directory.role.wrong_person_kind',
    );
    expectRefusal(
      await post('office1', '/people/ent1/roles', { role: 'member', unitId: 'd1' }),
      400,
      'validation',
      'directory.role.wrong_person_kind',
    );
  });

  it('directory.role.already_held: the same role in the same unit again (409)', async () => {
    const refused = await post('office1', '/people/sec-c1/roles', { role: 'secretary', unitId: 'd1-s1-c1' });
    expectRefusal(refused, 409, 'conflict', 'directory.role.already_held');
  });

  it('directory.role.held_elsewhere: a resident of one community made resident of another (409)', async () => {
    const refused = await post('office1', '/people/res1/roles', { role: 'resident', unitId: 'd1-s1-c2' });
    expectRefusal(refused, 409, 'conflict', 'directory.role.held_elsewhere');
  });

  it('directory.role.not_held: revoking a role the person does not hold there (404)', async () => {
    const refused = await post('office1', '/people/sec-c1/roles/revoke', { role: 'secretary', unitId: 'd1-s1-c2' });
    expectRefusal(refused, 404, 'not_found', 'directory.role.not_held');
  });

  it('a role that does not exist is refused by the codec, naming body.role (400)', async () => {
    const refused = await post('office1', '/people/nobody/roles', { role: 'mayor', unitId: 'd1' });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.role']);
  });
});

describe('campaigns: the allowed path', () => {
  it('the office launches (201), adjusts and closes (200) a campaign of its district, each answer carrying the revision', async () => {
    const launched = await post('office1', '/campaigns', campaign('cmp-d1'));
    expectAnswer(launched, 201, 0);
    expect(launched.headers.get('location')).toBe('/api/v1/campaigns/cmp-d1');
    expect(launched.body).toMatchObject({
      state: {
        status: 'running',
        quotas: { perSecretaryProblems: 1, perMemberWishes: 1, maxOpenWishClaimsPerMember: 3 },
      },
    });
    const adjusted = await post('office1', '/campaigns/cmp-d1/targets', {
      reason: '年中调整',
      targets: { problemsSolved: 1200 },
    });
    expectAnswer(adjusted, 200, 1);
    expect(adjusted.body).toMatchObject({ state: { targets: { problemsSolved: 1200, wishesFulfilled: 10000 } } });
    const unchanged = await post('office1', '/campaigns/cmp-d1/targets', {
      reason: '复核',
      targets: { problemsSolved: 1200 },
    });
    expectAnswer(unchanged, 200, 1);
    expect(unchanged.body).toMatchObject({ events: [] });
    expectAnswer(await post('office1', '/campaigns/cmp-d1/close', { reason: '活动期满' }), 200, 2);
  });
});

describe('campaigns: refusals', () => {
  it('campaign.not_office: a secretary acting as secretary launches a campaign (403)', async () => {
    const refused = await post('sec-c1', '/campaigns', campaign('cmp-x'), { 'x-acting-role': 'secretary' });
    expectRefusal(refused, 403, 'forbidden', 'campaign.not_office');
  });

  it('campaign.outside_office_district: launching, adjusting or closing in another district (403)', async () => {
    expectRefusal(
      await post('office2', '/campaigns', campaign('cmp-y')),
      403,
      'forbidden',
      'campaign.outside_office_district',
    );
    expectAnswer(await post('office2', '/campaigns', campaign('cmp-d2', { districtId: 'd2' })), 201, 0);
    expectRefusal(
      await post('office1', '/campaigns/cmp-d2/targets', { reason: '调整', targets: { problemsSolved: 5 } }),
      403,
      'forbidden',
      'campaign.outside_office_district',
    );
    expectRefusal(
      await post('office1', '/campaigns/cmp-d2/close', {}),
      403,
      'forbidden',
      'campaign.outside_office_district',
    );
  });

  it('campaign.already_launched: a campaign id launched twice (409)', async () => {
    expectAnswer(await post('office1', '/campaigns', campaign('cmp-twice')), 201, 0);
    expectRefusal(
      await post('office1', '/campaigns', campaign('cmp-twice')),
      409,
      'conflict',
      'campaign.already_launched',
    );
  });

  it('campaign.not_found: adjusting or closing a campaign never launched (404)', async () => {
    expectRefusal(
      await post('office1', '/campaigns/ghost/targets', { reason: '调整' }),
      404,
      'not_found',
      'campaign.not_found',
    );
    expectRefusal(await post('office1', '/campaigns/ghost/close', {}), 404, 'not_found', 'campaign.not_found');
  });

  it('campaign.closed: adjusting or closing a closed campaign (422)', async () => {
    expectAnswer(await post('office1', '/campaigns', campaign('cmp-closed')), 201, 0);
    expectAnswer(await post('office1', '/campaigns/cmp-closed/close', {}), 200, 1);
    expectRefusal(
      await post('office1', '/campaigns/cmp-closed/targets', { reason: '调整', targets: { problemsSolved: 5 } }),
      422,
      'invalid_state',
      'campaign.closed',
    );
    expectRefusal(await post('office1', '/campaigns/cmp-closed/close', {}), 422, 'invalid_state', 'campaign.closed');
  });

  it('campaign.name_required: a blank name (400)', async () => {
    expectRefusal(
      await post('office1', '/campaigns', campaign('cmp-blank', { name: '  ' })),
      400,
      'validation',
      'campaign.name_required',
    );
  });

  it('campaign.district_not_found: a street, or a unit never registered, named as the district (404)', async () => {
    expectRefusal(
      await post('office1', '/campaigns', campaign('cmp-street', { districtId: 'd1-s1' })),
      404,
      'not_found',
      'campaign.district_not_found',
    );
    expectRefusal(
      await post('office1', '/campaigns', campaign('cmp-ghost', { districtId: 'd9' })),
      404,
      'not_found',
      'campaign.district_not_found',
    );
  });

  it('a period date that is not a calendar date is refused at the boundary, naming body.period.from (400)', async () => {
    // The body's codec checks YYYY-MM-DD before the decider's campaign.invalid_date could.
    const refused = await post(
      'office1',
      '/campaigns',
      campaign('cmp-date', { period: { from: '2026-02-30', to: day(30) } }),
    );
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.period.from']);
  });

  it('campaign.period_end_not_after_start: a period ending on its first day (400)', async () => {
    const refused = await post(
      'office1',
      '/campaigns',
      campaign('cmp-period', { period: { from: day(10), to: day(10) } }),
    );
    expectRefusal(refused, 400, 'validation', 'campaign.period_end_not_after_start');
  });

  it('campaign.target_not_positive: a target of zero or a fraction, at launch or adjustment (400)', async () => {
    expectRefusal(
      await post(
        'office1',
        '/campaigns',
        campaign('cmp-zero', { targets: { problemsSolved: 0, wishesFulfilled: 10 } }),
      ),
      400,
      'validation',
      'campaign.target_not_positive',
    );
    expectAnswer(await post('office1', '/campaigns', campaign('cmp-adjust')), 201, 0);
    expectRefusal(
      await post('office1', '/campaigns/cmp-adjust/targets', { reason: '调整', targets: { wishesFulfilled: 1.5 } }),
      400,
      'validation',
      'campaign.target_not_positive',
    );
  });

  it('campaign.quota_not_positive: a negative quota (400)', async () => {
    const refused = await post(
      'office1',
      '/campaigns',
      campaign('cmp-quota', { quotas: { maxOpenWishClaimsPerMember: -1 } }),
    );
    expectRefusal(refused, 400, 'validation', 'campaign.quota_not_positive');
  });

  it('campaign.reason_required: an adjustment with a blank reason (400)', async () => {
    expectAnswer(await post('office1', '/campaigns', campaign('cmp-reason')), 201, 0);
    const refused = await post('office1', '/campaigns/cmp-reason/targets', {
      reason: '  ',
      targets: { problemsSolved: 7 },
    });
    expectRefusal(refused, 400, 'validation', 'campaign.reason_required');
  });

  it('an adjustment without a reason at all is refused by the codec, naming body.reason (400)', async () => {
    const refused = await post('office1', '/campaigns/cmp-reason/targets', { targets: { problemsSolved: 7 } });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.reason']);
  });
});
