import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CampaignCommand } from '../campaign/commands.js';
import { campaignStreamIdOf } from '../campaign/commands.js';
import { campaignDecider } from '../campaign/decider.js';
import { campaignEventRegistry } from '../campaign/events.js';
import type { CommandMetadata } from '../decider.js';
import { type PersonCommand, personStreamIdOf, type UnitCommand, unitStreamIdOf } from '../directory/commands.js';
import { personDecider, unitDecider } from '../directory/decider.js';
import { personEventRegistry, unitEventRegistry } from '../directory/events.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { DirectoryRole, UnitKind } from '../directory/view.js';
import type { Actor, NewEvent } from '../envelope.js';
import { isBanshishiError } from '../errors.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import type { ProblemCommand } from '../problem/commands.js';
import { problemStreamIdOf } from '../problem/commands.js';
import { problemDecider } from '../problem/decider.js';
import { problemRules } from '../problem/errors.js';
import { problemEventRegistry } from '../problem/events.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { commandHandler } from './command-handler.js';
import { createDirectoryContextLoader } from './context-loader.js';
import { createDirectoryViewBuilder } from './view-builder.js';

const system: Actor = { personId: 'bootstrap', role: 'system' };
const office: Actor = { personId: 'office-1', role: 'office' };
const at = (actor: Actor, now: string): CommandMetadata => ({ actor, now });

// Business times, in China Standard Time as an intake app would send them.
const t0 = '2026-01-01T08:00:00+08:00';
const t1 = '2026-02-01T09:00:00+08:00';
const t2 = '2026-04-01T09:00:00+08:00';
const between = '2026-03-01T09:00:00+08:00';

const setup = () => {
  const store = getInMemoryEventStore();
  const loader = createDirectoryContextLoader(store);
  const units = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: unitDecider,
    registry: unitEventRegistry,
    streamIdOf: unitStreamIdOf,
    context: loader,
  });
  const people = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: personDecider,
    registry: personEventRegistry,
    streamIdOf: personStreamIdOf,
    context: loader,
  });
  const campaigns = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: campaignDecider,
    registry: campaignEventRegistry,
    streamIdOf: campaignStreamIdOf,
    context: loader,
  });
  const ok = async <T>(result: Promise<E.Either<{ rule: string }, T>>): Promise<T> => {
    const r = await result;
    if (E.isLeft(r)) throw new Error(`refused: ${r.left.rule}`);
    return r.right;
  };
  const registerUnit = (unitId: string, kind: UnitKind, parentId: string | null, metadata: CommandMetadata) =>
    ok(units({ type: 'registerUnit', data: { unitId, name: unitId, kind, parentId }, metadata } satisfies UnitCommand));
  const registerOfficial = (personId: string, metadata: CommandMetadata) =>
    ok(people({ type: 'registerPerson', data: { personId, kind: 'official', name: personId }, metadata }));
  const grant = (personId: string, role: DirectoryRole, unitId: string, metadata: CommandMetadata) =>
    people({ type: 'grantRole', data: { personId, role, unitId }, metadata } satisfies PersonCommand);
  const revoke = (personId: string, role: DirectoryRole, unitId: string, metadata: CommandMetadata) =>
    people({ type: 'revokeRole', data: { personId, role, unitId }, metadata } satisfies PersonCommand);

  /** 黄岛区 › 薛家岛街道 › 安子社区 › 第一网格, and office-1 in the office from t0, all set up by system. */
  const bootstrap = async () => {
    const boot = at(system, t0);
    await registerUnit('huangdao', 'district', null, boot);
    await registerUnit('xuejiadao', 'street', 'huangdao', boot);
    await registerUnit('anzi', 'community', 'xuejiadao', boot);
    await registerUnit('anzi-1', 'grid', 'anzi', boot);
    await registerOfficial('office-1', boot);
    await ok(grant('office-1', 'office', 'huangdao', boot));
  };
  return { store, loader, units, people, campaigns, ok, registerUnit, registerOfficial, grant, revoke, bootstrap };
};

/** A wish event as the wish lifecycle stores it, appended directly: only its claim fields matter here. */
const wishEvent = (type: string, data: Record<string, unknown>, eventId: string): NewEvent => ({
  eventId,
  type,
  schemaVersion: 1,
  data,
  occurredAt: between,
  actor: { personId: 'someone', role: 'member' },
  correlationId: eventId,
  causationId: eventId,
});

describe('directory context loader', () => {
  let world: ReturnType<typeof setup>;
  beforeEach(async () => {
    world = setup();
    await world.bootstrap();
  });

  it('grants a role, the view shows it; revokes it, it is gone', async () => {
    const { loader, registerOfficial, grant, revoke, ok } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    expect((await loader()).directory.rolesOf('sec-1')).toEqual([{ role: 'secretary', unitId: 'anzi', since: t1 }]);

    await ok(revoke('sec-1', 'secretary', 'anzi', at(office, t2)));
    expect((await loader()).directory.rolesOf('sec-1')).toEqual([]);
  });

  it("reads the directory as of the command's time", async () => {
    const { loader, registerOfficial, grant, revoke, ok } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    await ok(revoke('sec-1', 'secretary', 'anzi', at(office, t2)));

    await loader();
    const asOf = async (now: string) => world.loader.builder.viewAt(now).rolesOf('sec-1');
    expect(await asOf(t0)).toEqual([]);
    expect(await asOf(between)).toEqual([{ role: 'secretary', unitId: 'anzi', since: t1 }]);
    expect(await asOf(t2)).toEqual([]);
    expect(world.loader.builder.tenuresOf('sec-1')).toEqual([
      { personId: 'sec-1', role: 'secretary', unitId: 'anzi', since: t1, until: t2 },
    ]);
  });

  it('a command holds only the roles held both at its business time and when it is handled', async () => {
    const { loader, registerOfficial, grant, revoke, ok } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    const secretary: Actor = { personId: 'sec-1', role: 'secretary' };
    const rolesFor = async (now: string) => (await loader({ metadata: at(secretary, now) })).directory.rolesOf('sec-1');
    expect(await rolesFor(between)).toEqual([{ role: 'secretary', unitId: 'anzi', since: t1 }]);

    await ok(revoke('sec-1', 'secretary', 'anzi', at(office, t2)));
    // Dated before the revocation, handled after it: the secretary no longer holds the role.
    expect(await rolesFor(between)).toEqual([]);
    expect(await rolesFor(t0)).toEqual([]);
  });

  it('a secretary whose role was revoked cannot claim a problem by dating the claim before the revocation', async () => {
    const { store, loader, registerOfficial, grant, revoke, ok } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    const problems = commandHandler({
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      store,
      decider: problemDecider,
      registry: problemEventRegistry,
      streamIdOf: problemStreamIdOf,
      context: loader,
    });
    const supervision: ProblemCommand = {
      type: 'solicitProblem',
      data: { problemId: 'p1', unitId: 'anzi', source: 'supervision_case', grade: 'small', title: '楼道灯不亮' },
      metadata: at(office, t1),
    };
    await ok(problems(supervision));
    await ok(revoke('sec-1', 'secretary', 'anzi', at(office, t2)));
    const backdated = await problems({
      type: 'claimProblem',
      data: { problemId: 'p1', plan: '更换灯泡', promisedBy: '2026-03-10' },
      metadata: at({ personId: 'sec-1', role: 'secretary' }, between),
    });
    expect(E.isLeft(backdated) && backdated.left.rule).toBe(problemRules.claimNotSecretaryOfUnit);
    expect(await store.readStream('problem-p1')).toHaveLength(1);
  });

  it('a command dated before an office appointment is refused: the office did not hold the role then', async () => {
    const { registerUnit } = world;
    const early = '2025-12-31T08:00:00+08:00';
    await expect(registerUnit('anzi-2', 'grid', 'anzi', at(office, early))).rejects.toThrow('directory.not_office');
    await registerUnit('anzi-2', 'grid', 'anzi', at(office, t1));
  });

  it("a new unit's parent is checked against the stored directory", async () => {
    const { units } = world;
    const result = await units({
      type: 'registerUnit',
      data: { unitId: 'anzi-2', name: '第二网格', kind: 'grid', parentId: 'xuejiadao' },
      metadata: at(office, t1),
    });
    expect(E.isLeft(result) && result.left.rule).toBe('directory.unit.parent_wrong_kind');
  });

  it('renamed and retired units read as of the time asked', async () => {
    const { units, ok, loader } = world;
    await ok(units({ type: 'renameUnit', data: { unitId: 'anzi', name: '安子社区' }, metadata: at(office, t1) }));
    await ok(units({ type: 'retireUnit', data: { unitId: 'anzi-1' }, metadata: at(office, t2) }));
    const view = async (now: string) => (await loader({ metadata: at(office, now) })).directory;
    expect((await view(t0)).unit('anzi')?.name).toBe('anzi');
    expect((await view(between)).unit('anzi')?.name).toBe('安子社区');
    expect((await view(between)).unit('anzi-1')?.retired).toBeUndefined();
    expect((await view(t2)).unit('anzi-1')).toEqual({
      unitId: 'anzi-1',
      name: 'anzi-1',
      kind: 'grid',
      parentId: 'anzi',
      retired: true,
    });
    expect((await view(t2)).ancestry('anzi-1').map((u) => u.unitId)).toEqual([
      'anzi-1',
      'anzi',
      'xuejiadao',
      'huangdao',
    ]);
  });

  it('a deactivated person holds no roles from then on', async () => {
    const { people, registerOfficial, grant, ok, loader } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    await ok(people({ type: 'deactivatePerson', data: { personId: 'sec-1' }, metadata: at(office, t2) }));
    const latest = (await loader()).directory;
    expect(latest.person('sec-1')).toEqual({ personId: 'sec-1', active: false });
    expect(latest.rolesOf('sec-1')).toEqual([]);
    expect(world.loader.builder.viewAt(between).rolesOf('sec-1')).toHaveLength(1);
    // A command dated before the deactivation but handled after it finds no role to act in.
    expect((await loader({ metadata: at(office, between) })).directory.rolesOf('sec-1')).toEqual([]);
  });

  it('answers the same as directoryViewOf over its own snapshot', async () => {
    const { registerOfficial, grant, ok, loader } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    await loader.catchUp();
    const { builder } = loader;
    for (const when of [t0, between, undefined]) {
      const lazy = builder.viewAt(when);
      const plain = directoryViewOf(builder.snapshotAt(when));
      for (const id of ['huangdao', 'xuejiadao', 'anzi', 'anzi-1', 'nowhere']) {
        expect(lazy.unit(id)).toEqual(plain.unit(id));
        expect(lazy.ancestry(id)).toEqual(plain.ancestry(id));
        expect(lazy.isWithin(id, 'huangdao')).toBe(plain.isWithin(id, 'huangdao'));
      }
      for (const id of ['office-1', 'sec-1', 'nobody']) {
        expect(lazy.person(id)).toEqual(plain.person(id));
        expect(lazy.rolesOf(id)).toEqual(plain.rolesOf(id));
      }
    }
  });

  it('applying the same events twice changes nothing', async () => {
    const { store, registerOfficial, grant, ok } = world;
    await registerOfficial('sec-1', at(office, t1));
    await ok(grant('sec-1', 'secretary', 'anzi', at(office, t1)));
    const builder = createDirectoryViewBuilder();
    const { events } = await store.readAll();
    builder.apply(events);
    const once = builder.snapshotAt();
    builder.apply(events);
    expect(builder.snapshotAt()).toEqual(once);
    expect(builder.tenuresOf('sec-1')).toHaveLength(1);
  });

  it('counts open wish claims per member from the wish events', async () => {
    const { store, loader } = world;
    await store.append(
      'wish-w1',
      [wishEvent('WishClaimed', { wishId: 'w1', memberId: 'm1', homeDistrictId: 'huangdao' }, 'e1')],
      {
        expectedRevision: 'no_stream',
      },
    );
    await store.append(
      'wish-w2',
      [wishEvent('WishClaimed', { wishId: 'w2', memberId: 'm1', homeDistrictId: 'huangdao' }, 'e2')],
      {
        expectedRevision: 'no_stream',
      },
    );
    // Two readers at once share one catch-up: nothing is counted twice.
    const [a, b] = await Promise.all([loader(), loader()]);
    expect(a.wishClaims.openClaimsOf('m1')).toBe(2);
    expect(b.wishClaims.openClaimsOf('m1')).toBe(2);

    await store.append(
      'wish-w2',
      [
        wishEvent('WishFulfilled', { wishId: 'w2', memberId: 'm1', summary: '已送达', evidence: [] }, 'e3'),
        wishEvent('WishReopened', { wishId: 'w2', memberId: 'm1', onBehalfOfWisher: false, comment: null }, 'e4'),
      ],
      { expectedRevision: 0 },
    );
    expect((await loader()).wishClaims.openClaimsOf('m1')).toBe(2);
    await store.append('wish-w1', [wishEvent('WishReleased', { wishId: 'w1', memberId: 'm1', reason: null }, 'e5')], {
      expectedRevision: 0,
    });
    await store.append(
      'wish-w2',
      [
        wishEvent(
          'WishCancelled',
          { wishId: 'w2', grounds: 'withdrawn', reason: null, onBehalfOfWisher: false, releasedClaimantId: 'm1' },
          'e6',
        ),
      ],
      { expectedRevision: 2 },
    );
    expect((await loader()).wishClaims.openClaimsOf('m1')).toBe(0);
  });

  it("takes the open-claim cap from the running campaign of the member's home district, else 3", async () => {
    const { campaigns, people, grant, ok, loader } = world;
    await ok(
      people({
        type: 'registerPerson',
        data: { personId: 'm1', kind: 'resident', name: '王五' },
        metadata: at(office, t1),
      }),
    );
    await ok(grant('m1', 'member', 'huangdao', at(office, t1)));
    const launch: CampaignCommand = {
      type: 'launchCampaign',
      data: {
        campaignId: 'c1',
        name: '万名党员圆万梦',
        districtId: 'huangdao',
        period: { from: '2026-03-01', to: '2026-03-31' },
        targets: { problemsSolved: 1000, wishesFulfilled: 10000 },
        quotas: { maxOpenWishClaimsPerMember: 2 },
      },
      metadata: at(office, t1),
    };
    await ok(campaigns(launch));
    const member: Actor = { personId: 'm1', role: 'member' };
    const limitAt = async (now: string) => (await loader({ metadata: at(member, now) })).wishClaims.limit;

    // 01:00 in Beijing on 1 March is still 28 February in UTC: the campaign's calendar decides.
    expect(await limitAt('2026-03-01T01:00:00+08:00')).toBe(2);
    expect(await limitAt('2026-02-28T23:00:00+08:00')).toBe(3);
    expect(await limitAt('2026-04-01T00:30:00+08:00')).toBe(3);
    expect((await loader({ metadata: at(office, between) })).wishClaims.limit).toBe(3);

    await ok(
      campaigns({
        type: 'adjustCampaignTargets',
        data: { campaignId: 'c1', reason: '放宽', quotas: { maxOpenWishClaimsPerMember: 4 } },
        metadata: at(office, '2026-03-10T09:00:00+08:00'),
      }),
    );
    expect(await limitAt('2026-03-05T09:00:00+08:00')).toBe(2);
    expect(await limitAt('2026-03-15T09:00:00+08:00')).toBe(4);

    await ok(
      campaigns({
        type: 'closeCampaign',
        data: { campaignId: 'c1' },
        metadata: at(office, '2026-03-20T09:00:00+08:00'),
      }),
    );
    expect(await limitAt('2026-03-25T09:00:00+08:00')).toBe(3);
  });

  it('refuses to build on a directory event that does not decode', async () => {
    const { store, loader } = world;
    await store.append(
      'unit-broken',
      [{ ...wishEvent('UnitRegistered', { unitId: 'broken', kind: 'planet' }, 'bad'), actor: system }],
      { expectedRevision: 'no_stream' },
    );
    const failure = await loader().catch((e: unknown) => e);
    expect(isBanshishiError(failure) && failure.rule).toBe('store.undecodable_event');
  });
});
