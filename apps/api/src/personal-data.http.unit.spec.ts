// 查看联系方式 over HTTP: a raiser's or wisher's name and phone go in the clear only to the current claimant
// and the office of the item's district, each read recorded first as PersonalDataRevealed in the subject's
// access stream (who, why; the reader's statement sealed). Everyone else is refused and nothing is
// recorded; a claimant who let the item go, or whose item closed, is refused from then on.
import { isSealedValue, type StoredEvent } from '@banshishi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type ApiResponse, startApiFixture } from './test-support/api-fixture.js';
import { expectRefusal, fieldPaths } from './test-support/refusals.js';

let api: ApiFixture;

/** res1 is in the directory, so their problems and wishes share one data subject and one access stream. */
const accessStream = 'access-person:res1';
const promisedBy = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const raiser = { kind: 'resident', personId: 'res1', name: '李秀英', phone: '13905320000' };
const purpose = { purpose: 'contact_resident', statement: '电话联系居民，约定上门查看路灯' };

const expectOk = (answer: ApiResponse, status = 200) => expect(answer.status, answer.text).toBe(status);

const solicit = async (problemId: string) =>
  expectOk(
    await api.request('res1', 'POST', '/problems', {
      body: { problemId, unitId: 'd1-s1-c1', source: 'resident', grade: 'small', title: '路灯损坏', raiser },
    }),
    201,
  );

const claimProblem = async (problemId: string) =>
  expectOk(
    await api.request('sec-c1', 'POST', `/problems/${problemId}/claim`, {
      body: { plan: '联系供电所更换灯具', promisedBy },
    }),
  );

const raiserContact = (personId: string, problemId: string, body: unknown = purpose) =>
  api.request(personId, 'POST', `/problems/${problemId}/raiser-contact`, { body });

const wisherContact = (personId: string, wishId: string, body: unknown = purpose) =>
  api.request(personId, 'POST', `/wishes/${wishId}/wisher-contact`, { body });

const recorded = () => api.store.readStream(accessStream);

/** The read is refused (403, or 404 for someone who may not even see the item) and leaves no record. */
const expectRefusedUnrecorded = async (read: () => Promise<ApiResponse>, status: 403 | 404, rule: string) => {
  const before = (await recorded()).length;
  const refused = await read();
  expectRefusal(refused, status, status === 403 ? 'forbidden' : 'not_found', rule);
  expect(refused.text).not.toContain('13905320000');
  expect(await recorded()).toHaveLength(before);
};

/** The read answered in the clear, and the one access record it names. */
const expectRevealed = async (answer: ApiResponse, fieldPrefix: string) => {
  expectOk(answer);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  const { fields, recordedAs } = answer.body as {
    fields: Record<string, unknown>;
    recordedAs: { streamId: string; eventId: string }[];
  };
  expect(fields).toMatchObject({ [`${fieldPrefix}.name`]: '李秀英', [`${fieldPrefix}.phone`]: '13905320000' });
  expect(recordedAs).toEqual([{ streamId: accessStream, eventId: expect.any(String) }]);
  const record = (await api.store.readStream(recordedAs[0]!.streamId)).find(
    (e) => e.eventId === recordedAs[0]!.eventId,
  );
  expect(record?.type).toBe('PersonalDataRevealed');
  return record as StoredEvent;
};

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
});

afterAll(async () => {
  await api?.close();
});

describe("a problem's raiser contact", () => {
  it('the office of the district reads it in the clear, recorded first with who and why, the statement sealed', async () => {
    await solicit('pd-p1');
    const record = await expectRevealed(await raiserContact('office1', 'pd-p1'), 'ProblemSolicited@0.raiser');
    expect(record.actor).toMatchObject({ personId: 'office1', role: 'office' });
    const data = record.data as { subject: string; purpose: string; events: unknown[]; statement: unknown };
    expect(data).toMatchObject({
      subject: 'person:res1',
      purpose: 'contact_resident',
      events: [{ streamId: 'problem-pd-p1', revision: 0 }],
    });
    expect(isSealedValue(data.statement)).toBe(true);
    expect(JSON.stringify(record)).not.toContain('约定上门');
  });

  it('nobody but the office may read it while it is unclaimed: the unit secretary is refused, nothing recorded', async () => {
    await expectRefusedUnrecorded(() => raiserContact('sec-c1', 'pd-p1'), 403, 'api.personal_data_not_allowed');
  });

  it('the current claimant reads it in the clear, recorded as the secretary who claimed it', async () => {
    await claimProblem('pd-p1');
    const record = await expectRevealed(await raiserContact('sec-c1', 'pd-p1'), 'ProblemSolicited@0.raiser');
    expect(record.actor).toMatchObject({ personId: 'sec-c1', role: 'secretary' });
    expect(record.data).toMatchObject({ purpose: 'contact_resident' });
  });

  it("a secretary who is not the claimant, the other district's office and the raiser's neighbour are refused, nothing recorded", async () => {
    await expectRefusedUnrecorded(() => raiserContact('sec-s1', 'pd-p1'), 403, 'api.personal_data_not_allowed');
    await expectRefusedUnrecorded(() => raiserContact('sec-c2', 'pd-p1'), 403, 'api.personal_data_not_allowed');
    await expectRefusedUnrecorded(() => raiserContact('office2', 'pd-p1'), 403, 'api.personal_data_not_allowed');
    await expectRefusedUnrecorded(() => raiserContact('res2', 'pd-p1'), 404, 'problem.not_found');
  });

  it('a purpose that is not one of the purposes, or none, is 400 naming body.purpose, nothing recorded', async () => {
    for (const body of [{ purpose: 'curiosity' }, { statement: '看看' }, {}]) {
      const before = (await recorded()).length;
      const refused = await raiserContact('sec-c1', 'pd-p1', body);
      expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.purpose']);
      expect(await recorded()).toHaveLength(before);
    }
  });

  it('an undeclared body field is refused as for every command (400 api.unknown_fields), nothing recorded', async () => {
    const before = (await recorded()).length;
    const refused = await raiserContact('sec-c1', 'pd-p1', { ...purpose, reason: '想知道' });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'api.unknown_fields'))).toEqual(['body.reason']);
    expect(await recorded()).toHaveLength(before);
  });

  it('once the claimant escalates the problem, the former claimant is refused', async () => {
    await solicit('pd-p2');
    await claimProblem('pd-p2');
    await expectRevealed(await raiserContact('sec-c1', 'pd-p2'), 'ProblemSolicited@0.raiser');
    expectOk(await api.request('sec-c1', 'POST', '/problems/pd-p2/escalate', { body: { reason: '涉及街道统筹' } }));
    await expectRefusedUnrecorded(() => raiserContact('sec-c1', 'pd-p2'), 403, 'api.personal_data_not_allowed');
  });

  it('once the problem is closed, the former claimant is refused and the office still reads it', async () => {
    await solicit('pd-p3');
    await claimProblem('pd-p3');
    expectOk(
      await api.request('sec-c1', 'POST', '/problems/pd-p3/solve', {
        body: {
          summary: '更换路灯两盏',
          evidence: [{ kind: 'photo', uri: 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0' }],
        },
      }),
    );
    // The solved problem is still the claimant's: the verdict may send it back to them.
    await expectRevealed(await raiserContact('sec-c1', 'pd-p3'), 'ProblemSolicited@0.raiser');
    expectOk(
      await api.request('res1', 'POST', '/problems/pd-p3/evaluate', {
        body: { kind: 'resident', verdict: 'satisfied' },
      }),
    );
    await expectRefusedUnrecorded(() => raiserContact('sec-c1', 'pd-p3'), 403, 'api.personal_data_not_allowed');
    await expectRevealed(await raiserContact('office1', 'pd-p3'), 'ProblemSolicited@0.raiser');
  });
});

describe("a wish's wisher contact", () => {
  beforeAll(async () => {
    expectOk(
      await api.request('res1', 'POST', '/wishes', {
        body: {
          wishId: 'pd-w1',
          unitId: 'd1-s1-c1',
          category: 'study',
          description: '希望有人辅导孩子的数学作业',
          consent: 'anonymous',
          wisher: { personId: 'res1', name: '李秀英', phone: '13905320000' },
        },
      }),
      201,
    );
  });

  it('the office of the district reads it; before a claim, a member of the district is refused', async () => {
    const record = await expectRevealed(await wisherContact('office1', 'pd-w1'), 'WishCollected@0.wisher');
    expect(record.actor).toMatchObject({ personId: 'office1', role: 'office' });
    await expectRefusedUnrecorded(() => wisherContact('member1', 'pd-w1'), 403, 'api.personal_data_not_allowed');
  });

  it('the claiming member reads it, recorded as the member; the other district and a neighbour are refused', async () => {
    expectOk(await api.request('member1', 'POST', '/wishes/pd-w1/claim', { body: {} }));
    const record = await expectRevealed(await wisherContact('member1', 'pd-w1'), 'WishCollected@0.wisher');
    expect(record.actor).toMatchObject({ personId: 'member1', role: 'member' });
    await expectRefusedUnrecorded(() => wisherContact('member2', 'pd-w1'), 403, 'api.personal_data_not_allowed');
    await expectRefusedUnrecorded(() => wisherContact('office2', 'pd-w1'), 403, 'api.personal_data_not_allowed');
    await expectRefusedUnrecorded(() => wisherContact('res2', 'pd-w1'), 404, 'wish.not_found');
  });

  it('a bad purpose is 400 naming body.purpose', async () => {
    const refused = await wisherContact('member1', 'pd-w1', { purpose: 'marketing' });
    expect(fieldPaths(expectRefusal(refused, 400, 'validation', 'input.invalid'))).toEqual(['body.purpose']);
  });

  it('once the member releases the wish, they are refused', async () => {
    expectOk(await api.request('member1', 'POST', '/wishes/pd-w1/release', { body: { reason: '工作调动' } }));
    await expectRefusedUnrecorded(() => wisherContact('member1', 'pd-w1'), 403, 'api.personal_data_not_allowed');
  });
});
