// The open-claim quota of 领梦 under concurrency, on the in-memory store with latency in front of each
// instance so that reads and appends of racing claims interleave. The PostgreSQL race is in
// store-postgres (wish-claim-quota.int.spec.ts).

import { behindLatency, raceWishClaims, setUpWishClaimWorld } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { commandHandler } from '../handling/command-handler.js';
import { createDirectoryContextLoader } from '../handling/context-loader.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { wishClaimLedgerStreamId, wishCommandHandler } from './claim-quota.js';
import { wishStreamIdOf } from './commands.js';
import { wishDecider } from './decider.js';
import { wishRules } from './errors.js';
import { wishEventRegistry, wishStreamId } from './events.js';

const trials = 20;

describe('the open-claim quota under concurrency (in memory, with latency)', () => {
  it.each([
    { claims: 2, alreadyOpen: 2, limit: 3 },
    { claims: 5, alreadyOpen: 0, limit: 3 },
  ])('racing claims from two instances never exceed the limit: $claims claims with $alreadyOpen open, limit $limit', async ({
    claims,
    alreadyOpen,
    limit,
  }) => {
    const over: string[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const log = getInMemoryEventStore();
      const result = await raceWishClaims({
        instances: [behindLatency(log, trial + 1), behindLatency(log, trial + 101)],
        trial: `t${trial}`,
        claims,
        alreadyOpen,
        limit,
      });
      if (result.openAfter > limit) over.push(`trial ${trial}: ${result.openAfter} open`);
      // Every claim was either stored or refused for the quota: none lost, none reported wrongly.
      expect(result.accepted + result.refused.length).toBe(claims);
      expect(result.refused.every((rule) => rule === wishRules.claimQuotaReached)).toBe(true);
      expect(result.openAfter).toBe(alreadyOpen + result.accepted);
      expect(result.openAfter).toBe(Math.min(limit, alreadyOpen + claims));
    }
    expect(over).toEqual([]);
  });

  it('without the ledger, the same race goes over the limit (what the guard prevents)', async () => {
    let overLimit = 0;
    for (let trial = 0; trial < trials; trial++) {
      const log = getInMemoryEventStore();
      const result = await raceWishClaims({
        instances: [behindLatency(log, trial + 1), behindLatency(log, trial + 101)],
        trial: `t${trial}`,
        claims: 5,
        limit: 3,
        unguarded: true,
      });
      if (result.openAfter > 3) overLimit++;
    }
    expect(overLimit).toBeGreaterThan(0);
  });
});

describe('the claim ledger', () => {
  const ruleOf = (result: E.Either<{ rule: string }, unknown>) => (E.isLeft(result) ? result.left.rule : 'accepted');

  it('a reservation whose claim never landed holds its slot until the wish moves on', async () => {
    const log = getInMemoryEventStore();
    const world = await setUpWishClaimWorld(log, { trial: 'a', wishes: 3, limit: 1 });
    const [w0, w1, w2] = world.wishIds as [string, string, string];
    // An instance reserved w0 and died before appending the claim: the wish append never happens.
    const dying = wishCommandHandler({
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      store: {
        ...log,
        append: (streamId, events, options) =>
          streamId.startsWith('wish-')
            ? Promise.reject(new Error('connection lost'))
            : log.append(streamId, events, options),
      },
      context: createDirectoryContextLoader(log, world.loaderOptions),
    });
    await expect(dying(world.claim(w0))).rejects.toThrow('connection lost');
    expect(await log.readStream(wishClaimLedgerStreamId(world.member.personId))).toHaveLength(1);
    expect(await log.readStream(wishStreamId(w0))).toHaveLength(1);

    // Another wish is refused while the reservation may still land...
    expect(ruleOf(await world.wishes(world.claim(w1)))).toBe(wishRules.claimQuotaReached);
    // ...but the member may retry the claim the reservation was for.
    expect(ruleOf(await world.wishes(world.claim(w0)))).toBe('accepted');
    await world.wishes({ type: 'releaseWish', data: { wishId: w0 }, metadata: world.claim(w0).metadata });
    expect(ruleOf(await world.wishes(world.claim(w2)))).toBe('accepted');
  });

  it('a claim retried with its idempotency key is stored once and reserves once', async () => {
    const log = getInMemoryEventStore();
    const world = await setUpWishClaimWorld(log, { trial: 'b', wishes: 1, limit: 3 });
    const [w0] = world.wishIds as [string];
    const first = await world.wishes(world.claim(w0), { idempotencyKey: 'claim-1' });
    const again = await world.wishes(world.claim(w0), { idempotencyKey: 'claim-1' });
    expect(E.isRight(first) && E.isRight(again) && again.right.replayed).toBe(true);
    expect(await log.readStream(wishClaimLedgerStreamId(world.member.personId))).toHaveLength(1);
    expect((await log.readStream(wishStreamId(w0))).filter((e) => e.type === 'WishClaimed')).toHaveLength(1);
  });

  it('claims stored without the ledger (before it existed) still count towards the limit', async () => {
    const log = getInMemoryEventStore();
    const world = await setUpWishClaimWorld(log, { trial: 'c', wishes: 3, limit: 2 });
    const [w0, w1, w2] = world.wishIds as [string, string, string];
    const unguarded = commandHandler({
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      store: log,
      decider: wishDecider,
      registry: wishEventRegistry,
      streamIdOf: wishStreamIdOf,
      context: createDirectoryContextLoader(log, world.loaderOptions),
    });
    expect(ruleOf(await unguarded(world.claim(w0)))).toBe('accepted');
    expect(ruleOf(await world.wishes(world.claim(w1)))).toBe('accepted');
    expect(ruleOf(await world.wishes(world.claim(w2)))).toBe(wishRules.claimQuotaReached);
  });

  it('a fulfilled claim frees its slot', async () => {
    const log = getInMemoryEventStore();
    const world = await setUpWishClaimWorld(log, { trial: 'd', wishes: 3, limit: 1 });
    const [w0, w1, w2] = world.wishIds as [string, string, string];
    const by = world.claim(w0).metadata;
    expect(ruleOf(await world.wishes(world.claim(w0)))).toBe('accepted');
    expect(
      ruleOf(
        await world.wishes({
          type: 'fulfilWish',
          data: { wishId: w0, summary: '已陪同复查', evidence: ['photo.jpg'] },
          metadata: by,
        }),
      ),
    ).toBe('accepted');
    expect(ruleOf(await world.wishes(world.claim(w1)))).toBe('accepted');
    expect(ruleOf(await world.wishes(world.claim(w2)))).toBe(wishRules.claimQuotaReached);
  });
});
