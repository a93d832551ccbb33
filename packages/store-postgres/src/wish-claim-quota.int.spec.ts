// The open-claim quota of 领梦 on the real PostgreSQL: two app instances (each its own pool and directory
// loader) race claims of one member, with and without network latency in front of one of them. Across
// every trial, no member ever holds more open claims than the limit, and every claim is stored or refused
// for the quota — none lost.
import { type EventStore, wishRules } from '@banshishi/core';
import { behindLatency, raceWishClaims } from '@banshishi/testkit';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresEventStore } from './postgres.js';

const trials = 20;
const limit = 3;

let pools: pg.Pool[];
let schema: string;
let instances: EventStore[];
beforeAll(async () => {
  pools = [await connectTestDatabase({ max: 6 }), await connectTestDatabase({ max: 6 })];
  schema = freshSchemaName('wish_quota');
  instances = [];
  for (const pool of pools) instances.push(await getPostgresEventStore({ pool, schema, pollIntervalMs: 50 }));
});
afterAll(async () => {
  for (const store of instances) await store.close();
  await dropSchema(pools[0]!, schema);
  for (const pool of pools) await pool.end();
});

describe('the open-claim quota under concurrency on PostgreSQL', () => {
  it.each([
    { claims: 2, alreadyOpen: limit - 1, latency: false },
    { claims: 2, alreadyOpen: limit - 1, latency: true },
    { claims: 5, alreadyOpen: 0, latency: false },
    { claims: 5, alreadyOpen: 0, latency: true },
  ])('$claims claims racing from two instances with $alreadyOpen open (latency in front of one: $latency): no trial over the limit', async ({
    claims,
    alreadyOpen,
    latency,
  }) => {
    const overLimit: string[] = [];
    const refusals = new Map<string, number>();
    for (let trial = 0; trial < trials; trial++) {
      const result = await raceWishClaims({
        instances: latency ? [instances[0]!, behindLatency(instances[1]!, trial + 1, 5)] : instances,
        trial: `c${claims}-o${alreadyOpen}-${latency ? 'l' : 'n'}-${trial}`,
        claims,
        alreadyOpen,
        limit,
      });
      if (result.openAfter > limit) overLimit.push(`trial ${trial}: ${result.openAfter} open claims`);
      for (const rule of result.refused) refusals.set(rule, (refusals.get(rule) ?? 0) + 1);
      expect(result.accepted + result.refused.length).toBe(claims);
      expect(result.openAfter).toBe(alreadyOpen + result.accepted);
      // The limit is reached, not undershot: a refusal is for the quota, not a lost race.
      expect(result.openAfter).toBe(Math.min(limit, alreadyOpen + claims));
    }
    expect(overLimit).toEqual([]);
    expect([...refusals.keys()]).toEqual([wishRules.claimQuotaReached]);
  });
});
