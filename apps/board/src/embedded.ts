// The embedded default in one process: PGlite in a local folder holds the events and the read models;
// the demo campaign is seeded on first start (decided in memory and bulk-loaded, or command by command
// through the handlers when asked); every projection follows the log live, and the board is served from the same process (main.ts). The transparency log is kept in the
// same PGlite, signed with a key of its own beside the data folder (docs/auditing.md).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCorePersonalDataSealer, type PersonalDataSealer, reapplyForgetting } from '@banshishi/core';
import { type DemoManifest, generateDemoEvents, seedDemo } from '@banshishi/demo';
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
import {
  batchedSubjectKeyStore,
  bulkLoadDemo,
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  pgliteExecutor,
  type SqlEventStore,
  type SqlSubjectKeyStore,
  sealedForFirstLoad,
} from '@banshishi/store-postgres';
import {
  type Checkpointer,
  type CheckpointerLogger,
  embeddedSigner,
  openTransparencyLog,
  startCheckpointer,
} from '@banshishi/transparency';
import type { EmbeddedConfig } from './config.js';
import type { TransparencyPublication } from './http/deps.js';

export interface Embedded {
  readonly pglite: PGlite;
  readonly store: SqlEventStore;
  readonly readModels: OpenReadModels;
  /** Seals residents' personal fields with per-person keys kept in the `personal_keys` schema (docs/privacy.md). */
  readonly personalData: PersonalDataSealer;
  /** The per-person keys the sealer uses, for the API's reads of personal data (recorded as they happen). */
  readonly keys: SqlSubjectKeyStore;
  close(): Promise<void>;
}

export const openEmbedded = async (config: EmbeddedConfig): Promise<Embedded> => {
  const pglite = await openPglite(config.dataDir);
  const store = await getPGliteEventStore({ pglite, schema: 'event_store' });
  const readModels = await openReadModels({ kind: 'pglite', pglite });
  const keys = await getPGliteSubjectKeyStore({ pglite });
  // A key store restored from a backup would bring forgotten people back: the log says who is forgotten.
  await reapplyForgetting({ store, keys });
  return {
    pglite,
    store,
    readModels,
    personalData: createCorePersonalDataSealer({ keys }),
    keys,
    async close() {
      await readModels.close();
      await store.close();
      await pglite.close();
    },
  };
};

/**
 * Seeds the demo unless the store already holds events. By default the campaign is decided in memory by
 * the same deciders (`generateDemoEvents`) and bulk-loaded, sealed with the embedded key store: the same
 * events, ids and personal-data keys that command handling would store, some twenty times faster.
 * `demoSeeding: 'deciders'` issues it command by command through the handlers instead (idempotent: a
 * second run stores nothing twice); the bench measures one against the other.
 */
export const ensureDemo = async (
  embedded: Embedded,
  config: EmbeddedConfig,
  onProgress?: (done: number) => void,
): Promise<{ seeded: boolean; manifest: DemoManifest | null }> => {
  const first = await embedded.store.readAll({ limit: 1 });
  if (first.events.length > 0) return { seeded: false, manifest: null };
  if (config.demoSeeding === 'deciders') {
    const manifest = await seedDemo(embedded.store, {
      personalData: embedded.personalData,
      seed: config.demoSeed,
      scale: config.demoScale,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    return { seeded: true, manifest };
  }
  const source = generateDemoEvents({ seed: config.demoSeed, scale: config.demoScale });
  const executor = pgliteExecutor(embedded.pglite);
  // Nothing else runs yet: the keys of a batch's new people are made in memory and stored in one statement
  // before the batch is, instead of a read and an insert per person.
  const keys = await batchedSubjectKeyStore(executor, embedded.keys);
  await bulkLoadDemo(sealedForFirstLoad(source, createCorePersonalDataSealer({ keys }), keys.flush), {
    executor,
    // getPGliteEventStore has migrated the schema already.
    schema: 'event_store',
    migrate: false,
    // Sealed above, as command handling seals.
    personalData: 'in_clear',
    ...(onProgress === undefined ? {} : { onProgress: ({ events }) => onProgress(events) }),
  });
  return { seeded: true, manifest: source.manifest() };
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

/** Runs every projection live: caught up once `caughtUp` resolves, following new events until stopped. */
export const followProjections = (embedded: Embedded) => {
  const running = projectionList.map((projection) =>
    runProjection({ store: embedded.store, readModels: embedded.readModels, projection, batchSize: 500 }),
  );
  return {
    caughtUp: Promise.all(running.map((r) => r.caughtUp)).then(() => undefined),
    /** Rejects when a projection stops on an error it will not retry. */
    done: Promise.all(running.map((r) => r.done)).then(() => undefined),
    stop: async () => {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
};

/** Campaign progress on the last day of the campaign, and the street-level ranking of its busiest month. */
export const summarise = (embedded: Embedded): Promise<BoardSummary> => boardSummary(embedded.readModels);

export interface EmbeddedTransparency {
  readonly publication: TransparencyPublication;
  readonly checkpointer: Checkpointer;
  /** The folder of the key pair: `signer.key` (kept private) and `verifier.key` (published). */
  readonly keyDir: string;
  readonly checkpointDir: string;
}

/**
 * The transparency log in the embedded PGlite, beside the read models: its key pair in
 * `<dataDir>/transparency` (a temporary folder when the data is in memory), its checkpoints written to
 * `<dataDir>/transparency/checkpoints`, signed as the log grows every CHECKPOINT_INTERVAL_SECONDS.
 */
export const startEmbeddedTransparency = async (
  embedded: Embedded,
  config: EmbeddedConfig,
  options: { readonly logger?: CheckpointerLogger; readonly keyDir?: string } = {},
): Promise<EmbeddedTransparency> => {
  const { logger } = options;
  const keyDir =
    options.keyDir ??
    (config.dataDir.startsWith('memory://')
      ? await mkdtemp(join(tmpdir(), 'banshishi-transparency-'))
      : join(config.dataDir, 'transparency'));
  const checkpointDir = join(keyDir, 'checkpoints');
  const signer = await embeddedSigner(keyDir, config.transparencyOrigin);
  const log = await openTransparencyLog({ db: embedded.readModels.db });
  const checkpointer = startCheckpointer({
    store: embedded.store,
    log,
    signer,
    origin: config.transparencyOrigin,
    intervalMs: config.checkpointIntervalSeconds * 1000,
    checkpointDir,
    batchSize: 500,
    ...(logger === undefined ? {} : { logger }),
  });
  return { publication: { log, verifier: signer.verifier }, checkpointer, keyDir, checkpointDir };
};
