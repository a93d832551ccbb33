// A board started before the projector has built the read models (server mode, first start) says so: 503
// with Retry-After in each route family's format, and /healthz is not ready — never a 500.

import { closeServer, listen } from '@banshishi/api';
import { openPglite, openReadModels } from '@banshishi/read-models';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoardApp } from './app.js';

let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const pglite = await openPglite('memory://');
  const readModels = await openReadModels({ kind: 'pglite', pglite });
  const app = createBoardApp({
    readModels,
    clock: () => new Date('2022-01-10T12:00:00+08:00'),
    freshness: async () => ({ dataAsOf: null, lagEvents: null, lagSeconds: null }),
    logger: pino({ level: 'silent' }),
    serve: { rateLimitPerMinute: 1000, trustProxy: false },
  });
  const served = await listen(app, 0, '127.0.0.1');
  url = served.url.replace(/\/$/, '');
  stop = async () => {
    await closeServer(served.server);
    await readModels.close();
    await pglite.close();
  };
});
afterAll(async () => {
  await stop?.();
});

describe('a board whose read models are not built yet', () => {
  it('is not ready on /healthz', async () => {
    const r = await fetch(`${url}/healthz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'starting' });
  });

  it.each([
    ['/', /text\/html/],
    ['/disclosure', /text\/html/],
    ['/disclosure.json', /application\/problem\+json/],
    ['/open311/v2/requests.json', /application\/json/],
    ['/open311/v2/services.xml', /text\/xml/],
  ])('answers %s with 503 and Retry-After in its own format', async (path, type) => {
    const r = await fetch(`${url}${path}`);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.headers.get('content-type')).toMatch(type);
  });
});
