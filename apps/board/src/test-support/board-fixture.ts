// A board over a seeded in-memory PGlite, served on a free loopback port, for specs that talk to it over
// HTTP as a browser or an Open311 client would. The clock is fixed so figures and overdue marks repeat.

import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, listen } from '@banshishi/api';
import { readWholeLog } from '@banshishi/core';
import { embeddedSigner, openTransparencyLog } from '@banshishi/transparency';
import { pino } from 'pino';
import { defaultTransparencyOrigin, type EmbeddedConfig } from '../config.js';
import {
  catchUpProjections,
  type Embedded,
  type EmbeddedTransparency,
  ensureDemo,
  openEmbedded,
  startEmbeddedTransparency,
} from '../embedded.js';
import { createBoardApp } from '../http/app.js';
import type { BoardDeps } from '../http/deps.js';
import { freshnessReader } from '../http/freshness.js';

export interface BoardFixture {
  readonly url: string;
  readonly embedded: Embedded;
  readonly deps: BoardDeps;
  /** The transparency log the board publishes, signed up to the seeded events; null when not published. */
  readonly transparency: EmbeddedTransparency | null;
  close(): Promise<void>;
}

/** The moment the fixture's figures are taken at: ten days after the demo campaign (2021-03-01 … 2021-12-31). */
export const fixtureNow = new Date('2022-01-10T12:00:00+08:00');

/** A key folder, and the tree built `every` events at a time with a checkpoint signed after each step. */
const signedHistory = async (embedded: Embedded, origin: string, every: number | undefined): Promise<string> => {
  const keyDir = await mkdtemp(join(tmpdir(), 'banshishi-transparency-'));
  if (every === undefined) return keyDir;
  const signer = await embeddedSigner(keyDir, origin);
  const log = await openTransparencyLog({ db: embedded.readModels.db });
  for await (const events of readWholeLog(embedded.store, { batchSize: every })) {
    await log.append(events);
    await log.sign(signer, origin);
  }
  return keyDir;
};

export const startBoardFixture = async (
  options: {
    readonly demoScale?: number;
    readonly demoSeed?: number;
    readonly overrides?: Partial<BoardDeps>;
    /** Runs on the seeded store before the projections catch up, to add events of the spec's own. */
    readonly prepare?: (embedded: Embedded) => Promise<void>;
    /** Whether the board publishes the transparency log, as the main job does (default: yes). */
    readonly transparency?: boolean;
    /** Signs a checkpoint after every this many events as the tree is first built: a history to page through. */
    readonly checkpointEvery?: number;
  } = {},
): Promise<BoardFixture> => {
  const config: EmbeddedConfig = {
    dataDir: 'memory://',
    demoSeed: options.demoSeed ?? 2021,
    demoScale: options.demoScale ?? 1200,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    rateLimitPerMinute: 100_000,
    transparencyOrigin: defaultTransparencyOrigin,
    checkpointIntervalSeconds: 60,
  };
  const embedded = await openEmbedded(config);
  await ensureDemo(embedded, config);
  await options.prepare?.(embedded);
  await catchUpProjections(embedded);
  const transparency =
    options.transparency === false
      ? null
      : await startEmbeddedTransparency(embedded, config, {
          keyDir: await signedHistory(embedded, config.transparencyOrigin, options.checkpointEvery),
        });
  await transparency?.checkpointer.caughtUp;
  const deps: BoardDeps = {
    readModels: embedded.readModels,
    clock: () => fixtureNow,
    freshness: freshnessReader(embedded.readModels, () => embedded.store.logHead()),
    logger: pino({ level: 'silent' }),
    serve: config,
    transparency: transparency?.publication ?? null,
    ...options.overrides,
  };
  const { server, url } = await listen(createBoardApp(deps), 0, '127.0.0.1');
  return {
    url: url.replace(/\/$/, ''),
    embedded,
    deps,
    transparency,
    close: async () => {
      await closeServer(server as Server);
      await transparency?.checkpointer.stop();
      await embedded.close();
    },
  };
};
