// The replay check: histories that follow the rules replay without a finding, and each forged step that no
// command could make — with a hash chain that verifies — is named at its stream and revision.
import {
  type Actor,
  clearVersionOf,
  getInMemoryEventStore,
  pairingEventRegistry,
  personEventRegistry,
  problemEventRegistry,
  type StoredEvent,
  serviceEventRegistry,
  uuidFromName,
  wishEventRegistry,
} from '@banshishi/core';
import { randomHistory } from '@banshishi/testkit';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeStream } from './lifecycles.js';
import { replayStream } from './replay.js';

const secretary: Actor = { personId: 'sec-1', role: 'secretary', unitId: 'g1' };
const office: Actor = { personId: 'office-1', role: 'office', unitId: 'd1' };
const resident: Actor = { personId: 'res-1', role: 'resident', unitId: 'g1' };
const member: Actor = { personId: 'mem-1', role: 'member', unitId: 'd1' };

/** The version an event is written at before its personal fields are sealed (this spec seals nothing). */
const versionOf = (type: string): number => {
  const definition =
    problemEventRegistry.definitions.get(type) ??
    wishEventRegistry.definitions.get(type) ??
    pairingEventRegistry.definitions.get(type) ??
    personEventRegistry.definitions.get(type) ??
    serviceEventRegistry.definitions.get(type);
  return definition === undefined ? 1 : clearVersionOf(definition as never);
};

/** A stream of the given steps, appended to a store (which chains them) and read back. */
const stream = async (
  streamId: string,
  steps: readonly (readonly [string, unknown, Actor])[],
): Promise<StoredEvent[]> => {
  const store = getInMemoryEventStore();
  await store.append(
    streamId,
    steps.map(([type, data, actor], i) => ({
      eventId: uuidFromName(`${streamId}/${i}`),
      type,
      schemaVersion: versionOf(type),
      data,
      occurredAt: new Date(Date.UTC(2025, 2, 1 + i)).toISOString(),
      actor,
      correlationId: 'c',
      causationId: 'c',
    })),
    { expectedRevision: 'no_stream' },
  );
  return [...(await store.readStream(streamId))];
};

const replayed = async (pending: Promise<StoredEvent[]> | StoredEvent[]) => {
  const events = await pending;
  const decoded = decodeStream(events);
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return replayStream(events[0]!.streamId, decoded.right).map(({ kind, revision, message }) => ({
    kind,
    revision,
    message: message.slice(message.indexOf(': ') + 2),
  }));
};

const p = 'p1';
const solicited = [
  'ProblemSolicited',
  {
    problemId: p,
    unitId: 'g1',
    source: 'resident',
    grade: 'small',
    title: '路灯不亮',
    solicitedAt: '2025-03-01T08:00:00+08:00',
  },
  resident,
] as const;
const claimed = [
  'ProblemClaimed',
  {
    problemId: p,
    claimantId: 'sec-1',
    claimantRole: 'secretary',
    claimantUnitId: 'g1',
    plan: '更换灯具',
    promisedBy: '2025-03-20',
  },
  secretary,
] as const;
const solved = [
  'ProblemSolved',
  { problemId: p, summary: '已更换', evidence: [{ kind: 'photo', uri: 'evidence:sha256:00' }] },
  secretary,
] as const;
const evaluated = ['ProblemEvaluated', { problemId: p, kind: 'assessment', verdict: 'satisfied' }, office] as const;
const closed = ['ProblemClosed', { problemId: p, basis: 'assessment', verdict: 'satisfied' }, office] as const;
const noted = ['ProblemProgressNoted', { problemId: p, note: '已联系供电所' }, secretary] as const;

describe('replay', () => {
  it('finds nothing in a problem that went the whole way', async () => {
    expect(await replayed(stream('problem-p1', [solicited, claimed, noted, solved, evaluated, closed]))).toEqual([]);
  });

  it('names a progress note forged after closing, with a chain that verifies', async () => {
    expect(await replayed(stream('problem-p1', [solicited, claimed, solved, evaluated, closed, noted]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 5,
        message: 'ProblemProgressNoted cannot follow a problem that is closed (only claimed)',
      },
    ]);
  });

  it('names a rating before solving', async () => {
    expect(await replayed(stream('problem-p1', [solicited, claimed, evaluated]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 2,
        message: 'ProblemEvaluated cannot follow a problem that is claimed (only solved)',
      },
    ]);
  });

  it('names a solve by someone who does not hold the claim', async () => {
    const byAnother = ['ProblemSolved', solved[1], { ...secretary, personId: 'sec-2' }] as const;
    expect(await replayed(stream('problem-p1', [solicited, claimed, byAnother]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 2,
        message: 'ProblemSolved by sec-2, who does not hold the claim (sec-1 does)',
      },
    ]);
  });

  it('names a closing that no evaluation made', async () => {
    expect(await replayed(stream('problem-p1', [solicited, claimed, solved, closed]))).toEqual([
      { kind: 'impossible_step', revision: 3, message: 'ProblemClosed does not follow a ProblemEvaluated' },
    ]);
  });

  it('names a second claim and a stream that does not begin with its raising', async () => {
    expect((await replayed(stream('problem-p1', [solicited, claimed, claimed])))[0]?.revision).toBe(2);
    expect(await replayed(stream('problem-p1', [claimed]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 0,
        message: 'ProblemClaimed cannot follow a problem that is none (only solicited, assigned)',
      },
    ]);
  });

  it('names a wish fulfilled before anyone claimed it, and one showcased against its wisher’s wish', async () => {
    const wisher = { name: { format: 'x' }, phone: null, address: null, personId: null };
    const collected = (consent: string) =>
      [
        'WishCollected',
        {
          wishId: 'w1',
          unitId: 'g1',
          category: 'study',
          description: '学用手机',
          consent,
          wisher: { ...wisher, name: '王**' },
          collector: null,
        },
        resident,
      ] as const;
    const fulfilled = [
      'WishFulfilled',
      { wishId: 'w1', memberId: 'mem-1', summary: '已教会', evidence: [] },
      member,
    ] as const;
    expect(await replayed(stream('wish-w1', [collected('named'), fulfilled]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 1,
        message: 'WishFulfilled cannot follow a wish that is collected (only claimed)',
      },
    ]);
    const claimedWish = ['WishClaimed', { wishId: 'w1', memberId: 'mem-1', homeDistrictId: 'd1' }, member] as const;
    const confirmed = [
      'WishConfirmed',
      { wishId: 'w1', memberId: 'mem-1', onBehalfOfWisher: false, comment: null },
      resident,
    ] as const;
    const showcased = [
      'WishShowcased',
      { wishId: 'w1', story: '老人学会了视频', display: { shownAs: 'anonymous' } },
      office,
    ] as const;
    expect(
      await replayed(stream('wish-w1', [collected('none'), claimedWish, fulfilled, confirmed, showcased])),
    ).toEqual([
      {
        kind: 'impossible_step',
        revision: 4,
        message: 'WishShowcased for a wish whose wisher consented to no showing',
      },
    ]);
    expect(
      await replayed(stream('wish-w1', [collected('anonymous'), claimedWish, fulfilled, confirmed, showcased])),
    ).toEqual([]);
  });

  it('names a role granted to a person after they were deactivated', async () => {
    const system: Actor = { personId: 'system', role: 'system' };
    const registered = ['PersonRegistered', { personId: 'x', kind: 'official', name: '李明' }, system] as const;
    const granted = [
      'RoleGranted',
      { personId: 'x', role: 'office', unitId: 'd1', since: '2025-03-01T00:00:00+08:00' },
      system,
    ] as const;
    const deactivated = ['PersonDeactivated', { personId: 'x' }, system] as const;
    expect(await replayed(stream('person-x', [registered, granted, deactivated, granted]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 3,
        message: 'RoleGranted cannot follow a person that is deactivated (only active)',
      },
    ]);
  });

  it('names a visit to a household after its pairing ended, and one recorded by someone not its official', async () => {
    const official: Actor = { personId: 'off-1', role: 'member', unitId: 'd1' };
    const paired = [
      'HouseholdPaired',
      {
        pairingId: 'PR-1',
        unitId: 'g1',
        officialId: 'off-1',
        category: 'veteran',
        household: { name: '王桂兰', phone: null, address: null, location: null },
        pairedAt: '2025-03-01T08:00:00+08:00',
      },
      office,
    ] as const;
    const visit = (actor: Actor) =>
      [
        'PairingVisitRecorded',
        {
          pairingId: 'PR-1',
          visitId: `V-${actor.personId}`,
          unitId: 'g1',
          officialId: 'off-1',
          visitedAt: '2025-03-02T08:00:00+08:00',
          checkIn: null,
          diary: '一切都好',
          excerpt: null,
        },
        actor,
      ] as const;
    const ended = ['PairingEnded', { pairingId: 'PR-1', officialId: 'off-1', reason: null }, office] as const;
    expect(await replayed(stream('pairing-PR-1', [paired, visit(official)]))).toEqual([]);
    expect(await replayed(stream('pairing-PR-1', [paired, visit(member)]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 1,
        message: "PairingVisitRecorded by mem-1, who is not the household's official (off-1 is)",
      },
    ]);
    expect(await replayed(stream('pairing-PR-1', [paired, ended, visit(official)]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 2,
        message: 'PairingVisitRecorded cannot follow a pairing that is ended (only active)',
      },
    ]);
  });

  it("names a contact forged by someone other than the enterprise's officer, and one after the service ended", async () => {
    const officer = { personId: 'sec-1', role: 'secretary', unitId: 'g1' } as const;
    const assigned = [
      'ServiceAssigned',
      {
        enterpriseId: 'e1',
        enterpriseName: '青岛某机械有限公司',
        unitId: 'g1',
        officer,
        since: '2025-03-01T08:00:00+08:00',
      },
      office,
    ] as const;
    const contact = (by: Actor) =>
      [
        'ServiceContactRecorded',
        {
          enterpriseId: 'e1',
          contactId: `c-${by.personId}`,
          officerId: by.personId,
          date: '2025-03-02',
          kind: 'phone',
          work: [{ role: 'liaison', summary: '电话回访' }],
          needs: [],
          contactPerson: null,
        },
        by,
      ] as const;
    const ended = [
      'ServiceEnded',
      { enterpriseId: 'e1', officerId: 'sec-1', until: '2025-03-03', reason: '迁出' },
      office,
    ] as const;
    expect(await replayed(stream('service-e1', [assigned, contact(secretary)]))).toEqual([]);
    expect(await replayed(stream('service-e1', [assigned, contact(member)]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 1,
        message: 'ServiceContactRecorded by mem-1, who is not the officer serving (sec-1 is)',
      },
    ]);
    expect(await replayed(stream('service-e1', [assigned, ended, contact(secretary)]))).toEqual([
      {
        kind: 'impossible_step',
        revision: 2,
        message: 'ServiceContactRecorded cannot follow a service that is ended (only active)',
      },
    ]);
  });

  it('finds no impossible step in any stream of a history that follows the rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const history = await randomHistory(seed, 80);
        const byStream = new Map<string, StoredEvent[]>();
        for (const event of history.store.log as unknown as StoredEvent[])
          byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
        for (const events of byStream.values()) expect(await replayed(events)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});
