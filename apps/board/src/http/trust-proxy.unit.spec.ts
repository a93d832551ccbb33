// The rate limit counts requests per client address. Behind a reverse proxy every request arrives from
// the proxy: unless the board is told to trust it (BOARD_TRUST_PROXY), X-Forwarded-For is ignored — a
// client cannot pick its own address — and once trusted, each client behind the proxy has a limit of its
// own.
import type { Server } from 'node:http';
import { closeServer, listen } from '@banshishi/api';
import { type OpenReadModels, openPglite, openReadModels, type PGlite } from '@banshishi/read-models';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustProxy } from '../config.js';
import { createBoardApp } from './app.js';

describe('the rate limit behind a proxy', () => {
  let pglite: PGlite;
  let readModels: OpenReadModels;
  const servers: Server[] = [];

  beforeAll(async () => {
    pglite = await openPglite('memory://');
    readModels = await openReadModels({ kind: 'pglite', pglite });
  });
  afterAll(async () => {
    for (const server of servers) await closeServer(server);
    await readModels.close();
    await pglite.close();
  });

  /** A board allowing two requests a minute per client, trusting the proxies given. */
  const boardTrusting = async (trustProxy: TrustProxy) => {
    const app = createBoardApp({
      readModels,
      clock: () => new Date('2021-06-01T12:00:00+08:00'),
      freshness: async () => ({ dataAsOf: null, lagEvents: null, lagSeconds: null }),
      logger: pino({ level: 'silent' }),
      serve: { rateLimitPerMinute: 2, trustProxy },
    });
    const { server, url } = await listen(app, 0, '127.0.0.1');
    servers.push(server);
    // Any route behind the limit will do: an unknown page answers 404 until the limit is reached.
    return async (forwardedFor: string) =>
      (await fetch(`${url}no-such-page`, { headers: { 'X-Forwarded-For': forwardedFor } })).status;
  };

  it('ignores X-Forwarded-For unless told to trust the proxy: a client cannot escape the limit by naming an address', async () => {
    const visit = await boardTrusting(false);
    expect([await visit('203.0.113.1'), await visit('203.0.113.2'), await visit('203.0.113.3')]).toEqual([
      404, 404, 429,
    ]);
  });

  it('trusting one hop, counts each client behind the proxy on its own', async () => {
    const visit = await boardTrusting(1);
    expect([await visit('203.0.113.1'), await visit('203.0.113.1'), await visit('203.0.113.1')]).toEqual([
      404, 404, 429,
    ]);
    expect(await visit('203.0.113.2')).toBe(404);
  });

  it('trusting the loopback proxy by name, takes the address it forwards and nothing a client wrote before it', async () => {
    const visit = await boardTrusting('loopback');
    // The client wrote 198.51.100.7 itself; the proxy appended the address it saw, which is what counts.
    expect([await visit('198.51.100.7, 203.0.113.9'), await visit('198.51.100.8, 203.0.113.9')]).toEqual([404, 404]);
    expect(await visit('198.51.100.9, 203.0.113.9')).toBe(429);
    expect(await visit('203.0.113.10')).toBe(404);
  });
});
