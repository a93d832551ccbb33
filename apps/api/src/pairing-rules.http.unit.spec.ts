// docs/domain.md's pairing rules (党员干部结新亲) through the HTTP API: the allowed path answered with its
// status, ETag and events (the household's details never in an answer), and the refusals answered with their
// status and rule while the pairing's revision stays where it was.
import { pairingRules } from '@banshishi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';
import { expectAccepted, expectRefused } from './test-support/items.js';

let api: ApiFixture;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
});

afterAll(async () => {
  await api?.close();
});

const home = '36.270100,120.033300';
const household = { name: '王桂兰', phone: '138-0000-2222', address: '扬州路社区5号', location: home };

let serial = 0;
const pair = async () => {
  const pairingId = `PR-${++serial}`;
  expectAccepted(
    await api.request('office1', 'POST', '/pairings', {
      body: { pairingId, unitId: 'd1-s1-c1', officialId: 'member1', category: 'veteran', household },
    }),
    ['HouseholdPaired'],
    201,
  );
  return pairingId;
};
const post = (as: string, id: string, step: string, body: Record<string, unknown>) =>
  api.request(as, 'POST', `/pairings/${id}/${step}`, { body });
const justNow = () => new Date().toISOString();
const revisionOf = async (id: string) => (await api.store.readStream(`pairing-${id}`)).length - 1;

describe('the allowed path through a pairing', () => {
  it('paired → consent given → a near visit with an excerpt → a far visit → a need linked → reassigned → ended', async () => {
    const id = await pair();
    expectAccepted(await post('member1', id, 'consent', { consent: 'given' }), ['HouseholdConsentRecorded']);
    const near = expectAccepted(
      await post('member1', id, 'visits', {
        visitId: 'V-1',
        visitedAt: justNow(),
        checkIn: { position: '36.270300,120.033300', accuracyMeters: 10 },
        diary: '王大娘说腿脚不好，取暖煤还没到。',
        excerpt: '大娘拉着我的手说，今年冬天不冷了。',
      }),
      ['PairingVisitRecorded'],
    );
    // The rule read the household in the clear; the answer gives the pairing as everyone reads it.
    expect(JSON.stringify(near)).not.toContain('王桂兰');
    expect(JSON.stringify(near)).not.toContain(home);
    const far = expectAccepted(
      await post('member1', id, 'visits', {
        visitedAt: justNow(),
        checkIn: { position: '36.290100,120.033300' },
        diary: '在村委会见到大娘，一起去看了新修的路。',
      }),
      ['PairingVisitRecorded'],
    );
    expect(far.revision).toBe(3);
    const visits = (await api.store.readStream(`pairing-${id}`)).filter((e) => e.type === 'PairingVisitRecorded');
    expect(visits.map((e) => (e.data as { checkIn: { result: string } }).checkIn.result)).toEqual(['near', 'far']);
    expect(JSON.stringify(visits)).not.toMatch(/distance/i);
    expectAccepted(await post('member1', id, 'needs', { kind: 'wish', itemId: 'W-77', visitId: 'V-1' }), [
      'PairingNeedLinked',
    ]);
    expectAccepted(await post('sec-c1', id, 'reassign', { officialId: 'handler', reason: '工作调动' }), [
      'PairingReassigned',
    ]);
    expectAccepted(await post('handler', id, 'visits', { visitedAt: justNow(), diary: '新结对干部第一次上门。' }), [
      'PairingVisitRecorded',
    ]);
    expectAccepted(await post('office1', id, 'end', { reason: '家庭已搬离本区' }), ['PairingEnded']);
  });
});

describe('refusals', () => {
  it('only the office or a secretary over the unit pairs', async () => {
    expectRefused(
      await api.request('sec-c2', 'POST', '/pairings', {
        body: { pairingId: 'PR-x', unitId: 'd1-s1-c1', officialId: 'member1', category: 'dibao', household },
      }),
      { status: 403, code: 'forbidden', rule: pairingRules.notOrganiser },
    );
    expect(await api.store.readStream('pairing-PR-x')).toHaveLength(0);
  });

  it('an unknown official, an unknown category, and a malformed location name their fields', async () => {
    expectRefused(
      await api.request('office1', 'POST', '/pairings', {
        body: { pairingId: 'PR-y', unitId: 'd1-s1-c1', officialId: 'ghost', category: 'veteran', household },
      }),
      { status: 400, code: 'validation', rule: pairingRules.unknownOfficial, fields: ['body.officialId'] },
    );
    const bad = await api.request('office1', 'POST', '/pairings', {
      body: {
        pairingId: 'PR-z',
        unitId: 'd1-s1-c1',
        officialId: 'member1',
        category: 'rich',
        household: { ...household, location: 'north of the well' },
      },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { fields: { path: string }[] }).fields.map((f) => f.path).sort()).toEqual([
      'body.category',
      'body.household.location',
    ]);
  });

  it('a visit by someone not the current official, in the future, or with a revealing excerpt is refused', async () => {
    const id = await pair();
    const before = await revisionOf(id);
    expectRefused(await post('handler', id, 'visits', { visitedAt: justNow(), diary: '路过看看。' }), {
      status: 403,
      code: 'forbidden',
      rule: pairingRules.visitNotCurrentOfficial,
    });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expectRefused(await post('member1', id, 'visits', { visitedAt: tomorrow, diary: '明天去。' }), {
      status: 400,
      code: 'validation',
      rule: pairingRules.visitInFuture,
      fields: ['body.visitedAt'],
    });
    for (const excerpt of ['王桂兰大娘身体好多了', '有事打 138 0000 2222'])
      expectRefused(await post('member1', id, 'visits', { visitedAt: justNow(), diary: '很好。', excerpt }), {
        status: 400,
        code: 'validation',
        rule: pairingRules.visitExcerptRevealsHousehold,
        fields: ['body.excerpt'],
      });
    expect(await revisionOf(id)).toBe(before);
  });

  it('nothing is recorded on an ended pairing, and consent is recorded only when it changes', async () => {
    const id = await pair();
    expectRefused(await post('member1', id, 'consent', { consent: 'withdrawn' }), {
      status: 422,
      code: 'invalid_state',
      rule: pairingRules.consentUnchanged,
    });
    expectAccepted(await post('office1', id, 'end', {}), ['PairingEnded']);
    expectRefused(await post('member1', id, 'visits', { visitedAt: justNow(), diary: '再去看看。' }), {
      status: 422,
      code: 'invalid_state',
      rule: pairingRules.ended,
    });
  });
});
