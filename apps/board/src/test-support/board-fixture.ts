// A board over a seeded in-memory PGlite, served on a free loopback port, for specs that talk to it over
// HTTP as a browser or an Open311 client would. The clock is fixed so figures and overdue marks repeat.
import type { Server } from 'node:http';
import { closeServer, listen } from '@banshishi/api';
import { pino } from 'pino';
import type { EmbeddedConfig } from '../config.js';
import { catchUpProjections, type Embedded, ensureDemo, openEmbedded } from '../embedded.js';
import { createBoardApp } from '../http/app.js';
import type { BoardDeps } from '../http/deps.js';
import { freshnessReader } from '../http/freshness.js';

export interface BoardFixture {
  readonly url: string;
  readonly embedded: Embedded;
  readonly deps: BoardDeps;
  close(): Promise<void>;
}

/** The moment the fixture's figures are taken at: ten days after the demo campaign (2021-03-01 … 2021-12-31). */
export const fixtureNow = new Date('2022-01-10T12:00:00+08:00');

export const startBoardFixture = async (
  options: {
    readonly demoScale?: number;
    readonly demoSeed?: number;
    readonly overrides?: Partial<BoardDeps>;
    /** Runs on the seeded store before the projections catch up, to add events of the spec's own. */
    readonly prepare?: (embedded: Embedded) => Promise<void>;
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
  };
  const embedded = await openEmbedded(config);
  await ensureDemo(embedded, config);
  await options.prepare?.(embedded);
  await catchUpProjections(embedded);
  const deps: BoardDeps = {
    readModels: embedded.readModels,
    clock: () => fixtureNow,
    freshness: freshnessReader(embedded.readModels, () => embedded.store.logHead()),
    logger: pino({ level: 'silent' }),
    serve: config,
    ...options.overrides,
  };
  const { server, url } = await listen(createBoardApp(deps), 0, '127.0.0.1');
  return {
    url: url.replace(/\/$/, ''),
    embedded,
    deps,
    close: async () => {
      await closeServer(server as Server);
      await embedded.close();
    },
  };
};
