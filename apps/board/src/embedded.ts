// The embedded default in one process: PGlite in a local folder holds the events and the read models;
// the demo campaign is seeded through the command handlers on first start; every projection is brought
// up to date; then campaign progress and the top of the rankings are printed.
import type { EventStore } from '@banshishi/core';
import { type DemoManifest, seedDemo } from '@banshishi/demo';
import {
  campaignProgress,
  type OpenReadModels,
  openPglite,
  openReadModels,
  type PGlite,
  projectionList,
  rankings,
  runProjection,
} from '@banshishi/read-models';
import { getPGliteEventStore } from '@banshishi/store-postgres';
import { sql } from 'kysely';
import type { EmbeddedConfig } from './config.js';

export interface Embedded {
  readonly pglite: PGlite;
  readonly store: EventStore;
  readonly readModels: OpenReadModels;
  close(): Promise<void>;
}

export const openEmbedded = async (config: EmbeddedConfig): Promise<Embedded> => {
  const pglite = await openPglite(config.dataDir);
  const store = await getPGliteEventStore({ pglite, schema: 'event_store' });
  const readModels = await openReadModels({ kind: 'pglite', pglite });
  return {
    pglite,
    store,
    readModels,
    async close() {
      await readModels.close();
      await store.close();
      await pglite.close();
    },
  };
};

/** Seeds the demo unless the store already holds events; the seeding is idempotent anyway. */
export const ensureDemo = async (
  embedded: Embedded,
  config: EmbeddedConfig,
  onProgress?: (commands: number) => void,
): Promise<{ seeded: boolean; manifest: DemoManifest | null }> => {
  const first = await embedded.store.readAll({ limit: 1 });
  if (first.events.length > 0) return { seeded: false, manifest: null };
  const manifest = await seedDemo(embedded.store, {
    seed: config.demoSeed,
    scale: config.demoScale,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return { seeded: true, manifest };
};

/** Runs every projection until it has applied everything in the store, then stops them. */
export const catchUpProjections = async (embedded: Embedded): Promise<void> => {
  const running = projectionList.map((projection) =>
    runProjection({ store: embedded.store, readModels: embedded.readModels, projection, batchSize: 500 }),
  );
  try {
    await Promise.all(running.map((r) => r.caughtUp));
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
};

export interface Summary {
  readonly campaign: { readonly campaignId: string; readonly name: string; readonly periodTo: string } | null;
  readonly progress: {
    readonly day: string;
    readonly problemsSolved: number;
    readonly wishesFulfilled: number;
    readonly targetProblemsSolved: number;
    readonly targetWishesFulfilled: number;
  } | null;
  readonly ranking: readonly {
    readonly rank: number;
    readonly unitName: string;
    readonly score: number | null;
    readonly counted: number;
  }[];
  readonly rankingMonth: string | null;
}

/** Campaign progress on the last day of the campaign, and the street-level ranking of its busiest month. */
export const summarise = async (embedded: Embedded): Promise<Summary> => {
  const db = embedded.readModels.db.withSchema(embedded.readModels.schema);
  const campaign = await db
    .selectFrom('campaigns')
    .select(['campaign_id', 'name', 'period_to'])
    .orderBy('campaign_id')
    .executeTakeFirst();
  if (campaign === undefined) return { campaign: null, progress: null, ranking: [], rankingMonth: null };
  const asOf = `${campaign.period_to}T23:59:59+08:00`;
  const days = await campaignProgress(embedded.readModels, { campaignId: campaign.campaign_id, asOf });
  const month$ = sql<string>`substr(solicited_date::text, 1, 7)`;
  const busiest = await db
    .selectFrom('public_problems')
    .select([month$.as('month'), sql<number>`count(*)`.as('n')])
    .groupBy(month$)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(month$)
    .executeTakeFirst();
  const month = busiest === undefined ? null : String(busiest.month);
  const ranked = month === null ? [] : await rankings(embedded.readModels, { level: 2, month, asOf });
  const names = new Map(
    (await db.selectFrom('units').select(['unit_id', 'name']).execute()).map((u) => [u.unit_id, u.name] as const),
  );
  return {
    campaign: { campaignId: campaign.campaign_id, name: campaign.name, periodTo: String(campaign.period_to) },
    progress: days[days.length - 1] ?? null,
    ranking: ranked.slice(0, 5).map((r) => ({
      rank: r.rank,
      unitName: names.get(r.unitId) ?? r.unitId,
      score: r.score,
      counted: r.counted,
    })),
    rankingMonth: month,
  };
};
