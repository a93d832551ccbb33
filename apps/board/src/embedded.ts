// The embedded default in one process: PGlite in a local folder holds the events and the read models;
// the demo campaign is seeded through the command handlers on first start; every projection is brought
// up to date; then the read models' summary (campaign progress, the top of the rankings) is printed.
import type { EventStore } from '@banshishi/core';
import { type DemoManifest, seedDemo } from '@banshishi/demo';
import {
  type BoardSummary,
  boardSummary,
  type OpenReadModels,
  openPglite,
  openReadModels,
  type PGlite,
  projectionList,
  runProjection,
} from '@banshishi/read-models';
import { getPGliteEventStore } from '@banshishi/store-postgres';
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

/** Campaign progress on the last day of the campaign, and the street-level ranking of its busiest month. */
export const summarise = (embedded: Embedded): Promise<BoardSummary> => boardSummary(embedded.readModels);
