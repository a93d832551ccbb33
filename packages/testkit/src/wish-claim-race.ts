// A race of 领梦 claims by one member, from several app instances on one event log: the scenario the
// open-claim quota must survive. Each instance has its own store client and its own directory loader, as
// separate processes would; a trial uses fresh ids, so many trials can share one log.
import {
  type Actor,
  type CommandHandler,
  type CommandMetadata,
  commandHandler,
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  type EventStore,
  getInMemorySubjectKeyStore,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
  type WishCommand,
  type WishState,
  wishCommandHandler,
  wishDecider,
  wishEventRegistry,
  wishStreamId,
  wishStreamIdOf,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { createRandom } from './random.js';

/**
 * A client of `store` whose every read and append first waits a few milliseconds, drawn from a seeded
 * generator: a store across a network from this instance, so that racing commands interleave.
 */
export const behindLatency = (store: EventStore, seed: number, maxMs = 4): EventStore => {
  const random = createRandom(seed);
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, random.int(0, maxMs - 1)));
  return {
    ...store,
    append: async (...args) => {
      await pause();
      return store.append(...args);
    },
    readStream: async (...args) => {
      await pause();
      return store.readStream(...args);
    },
    readAll: async (...args) => {
      await pause();
      return store.readAll(...args);
    },
  };
};

export interface WishClaimRaceOptions {
  /** One store client per app instance, all on the same log; claims are dealt out among them in turn. */
  readonly instances: readonly EventStore[];
  /** Distinguishes this trial's units, people and wishes from every other trial's on the same log. */
  readonly trial: string;
  /** Claims fired at once, each on a different wish. */
  readonly claims: number;
  readonly limit: number;
  /** Claims the member already holds before the race. */
  readonly alreadyOpen?: number;
  /** Use command handling without the quota guard: what an app did before the ledger existed. */
  readonly unguarded?: boolean;
}

export interface WishClaimRaceResult {
  readonly accepted: number;
  /** Rules of the refused claims: the quota, or a conflict reported after the retries ran out. */
  readonly refused: readonly string[];
  /** Wishes whose stream shows the member holding a claim after the race. */
  readonly openAfter: number;
}

const at = (actor: Actor, now: string): CommandMetadata => ({ actor, now });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issues a setup command until it is accepted. A directory loader on PostgreSQL reads only what lies below
 * the subscription frontier, which any open transaction on the server holds back for a moment, so a role
 * granted a moment ago may not be visible yet to the next command.
 */
const must = async <T>(issue: () => Promise<E.Either<{ rule: string; message: string }, T>>): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await issue();
    if (E.isRight(r)) return r.right;
    const lagging = /^directory\.|^wish\.(collect\.unknown_unit|claim\.not_a_member)/.test(r.left.rule);
    if (!lagging || Date.now() > deadline) throw new Error(`setup refused: ${r.left.rule}: ${r.left.message}`);
    await sleep(20);
  }
};

export interface WishClaimWorld {
  readonly member: Actor;
  readonly district: string;
  /** Wishes collected in the member's district, nobody's claim yet. */
  readonly wishIds: readonly string[];
  /** A claim of `wishId` by the member. */
  readonly claim: (wishId: string) => WishCommand;
  /** Wish command handling with the quota guard, on the store the world was set up in. */
  readonly wishes: CommandHandler<WishCommand, WishState>;
  readonly loaderOptions: { readonly defaultWishClaimLimit: number };
}

/**
 * One district with an office, one member in it and `wishes` wishes collected there, set up through
 * command handling on `store`; ids carry `trial`, so many worlds can share one log.
 */
export const setUpWishClaimWorld = async (
  store: EventStore,
  options: { readonly trial: string; readonly wishes: number; readonly limit: number },
): Promise<WishClaimWorld> => {
  const { trial, limit } = options;
  const loaderOptions = { defaultWishClaimLimit: limit };
  const setupLoader = createDirectoryContextLoader(store, loaderOptions);
  const units = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: unitDecider,
    registry: unitEventRegistry,
    streamIdOf: unitStreamIdOf,
    context: setupLoader,
  });
  const people = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: personDecider,
    registry: personEventRegistry,
    streamIdOf: personStreamIdOf,
    context: setupLoader,
  });
  const wishes = wishCommandHandler({
    store,
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    context: setupLoader,
  });

  const system: Actor = { personId: `bootstrap-${trial}`, role: 'system' };
  const office: Actor = { personId: `office-${trial}`, role: 'office' };
  const member: Actor = { personId: `member-${trial}`, role: 'member' };
  const resident: Actor = { personId: `resident-${trial}`, role: 'resident' };
  const district = `jz-${trial}`;
  const t0 = '2026-03-01T09:00:00+08:00';
  const t1 = '2026-03-02T09:00:00+08:00';
  const t2 = '2026-03-03T09:00:00+08:00';
  await must(() =>
    units({
      type: 'registerUnit',
      data: { unitId: district, name: '胶州市', kind: 'district', parentId: null },
      metadata: at(system, t0),
    }),
  );
  await must(() =>
    people({
      type: 'registerPerson',
      data: { personId: office.personId, kind: 'official', name: '市委组织部' },
      metadata: at(system, t0),
    }),
  );
  await must(() =>
    people({
      type: 'grantRole',
      data: { personId: office.personId, role: 'office', unitId: district },
      metadata: at(system, t0),
    }),
  );
  await must(() =>
    people({
      type: 'registerPerson',
      data: { personId: member.personId, kind: 'resident', name: '王五' },
      metadata: at(office, t1),
    }),
  );
  await must(() =>
    people({
      type: 'grantRole',
      data: { personId: member.personId, role: 'member', unitId: district },
      metadata: at(office, t1),
    }),
  );

  const wishIds = Array.from({ length: options.wishes }, (_, i) => `${trial}-${i}`);
  for (const wishId of wishIds)
    await must(() =>
      wishes({
        type: 'collectWish',
        data: {
          wishId,
          unitId: district,
          category: 'life',
          description: '希望有人陪老人去医院复查',
          consent: 'anonymous',
          wisher: { name: '李四' },
        },
        metadata: at(resident, t1),
      }),
    );
  const claim = (wishId: string): WishCommand => ({ type: 'claimWish', data: { wishId }, metadata: at(member, t2) });
  return { member, district, wishIds, claim, wishes, loaderOptions };
};

/** Claims fired at once by one member from several instances; `alreadyOpen` of them claimed first. */
export const raceWishClaims = async (options: WishClaimRaceOptions): Promise<WishClaimRaceResult> => {
  const { instances, trial, claims, limit } = options;
  const setupStore = instances[0];
  if (setupStore === undefined) throw new Error('raceWishClaims needs at least one store');
  const alreadyOpen = options.alreadyOpen ?? 0;
  const world = await setUpWishClaimWorld(setupStore, { trial, wishes: alreadyOpen + claims, limit });
  const { member, district, wishIds, claim, loaderOptions } = world;
  for (const wishId of wishIds.slice(0, alreadyOpen)) await must(() => world.wishes(claim(wishId)));

  const contexts = instances.map((store) => createDirectoryContextLoader(store, loaderOptions));
  const handlers: CommandHandler<WishCommand, WishState>[] = instances.map((store, i) =>
    options.unguarded === true
      ? commandHandler({
          personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
          store,
          decider: wishDecider,
          registry: wishEventRegistry,
          streamIdOf: wishStreamIdOf,
          context: contexts[i]!,
        })
      : wishCommandHandler({
          store,
          personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
          context: contexts[i]!,
        }),
  );
  // Every instance has read the directory and the open claims before the race, as long-running ones would.
  for (const context of contexts) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const seen = await context({ metadata: claim(wishIds[0]!).metadata });
      const ready =
        seen.directory.rolesOf(member.personId).some((h) => h.role === 'member') &&
        seen.wishClaims.openClaimsOf(member.personId) === alreadyOpen &&
        seen.directory.unit(district) !== undefined;
      if (ready) break;
      if (Date.now() > deadline) throw new Error('an instance never saw the directory set up for the race');
      await sleep(20);
    }
  }

  const racing = wishIds.slice(alreadyOpen);
  const results = await Promise.all(racing.map((wishId, i) => handlers[i % handlers.length]!(claim(wishId))));

  let openAfter = 0;
  for (const wishId of wishIds) {
    const stored = await setupStore.readStream(wishStreamId(wishId));
    const last = stored.filter((e) => e.type === 'WishClaimed' || e.type === 'WishReleased').pop();
    if (last?.type === 'WishClaimed') openAfter++;
  }
  return {
    accepted: results.filter(E.isRight).length,
    refused: results.flatMap((r) => (E.isLeft(r) ? [r.left.rule] : [])),
    openAfter,
  };
};
