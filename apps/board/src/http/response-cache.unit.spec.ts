// The response cache shares a 200 for its period, per language, and never keeps an error or an
// operational route; a revalidation of a cached answer is still a 304.
import { request } from 'node:http';
import { closeServer, listen } from '@banshishi/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseCache } from './response-cache.js';

let url: string;
let stop: () => Promise<void>;
const calls = new Map<string, number>();
const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1).get(name)!;

beforeAll(async () => {
  const app = express();
  app.use(responseCache({ ttlMs: 300 }));
  app.get('/page', (_req, res) => {
    res.type('html').send(`<p>render ${count('page')}</p>`);
  });
  app.get('/data', (_req, res) => {
    res.json({ n: count('data') });
  });
  app.get('/broken', (_req, res) => {
    res.status(400).send(`bad ${count('broken')}`);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ n: count('healthz') });
  });
  const served = await listen(app, 0, '127.0.0.1');
  url = served.url.replace(/\/$/, '');
  stop = () => closeServer(served.server);
});
afterAll(async () => {
  await stop?.();
});

const text = async (path: string, headers: Record<string, string> = {}) =>
  (await fetch(`${url}${path}`, { headers })).text();

describe('the response cache', () => {
  it('answers a repeated request from memory within its period, and renders again after it', async () => {
    const first = await text('/page?x=1');
    expect(await text('/page?x=1')).toBe(first);
    expect(await text('/page?x=2')).not.toBe(first);
    await new Promise((r) => setTimeout(r, 350));
    expect(await text('/page?x=1')).not.toBe(first);
  });

  it('keeps each language apart', async () => {
    const zh = await text('/data');
    const en = await text('/data', { 'Accept-Language': 'en' });
    expect(en).not.toBe(zh);
    expect(await text('/data', { 'Accept-Language': 'en' })).toBe(en);
  });

  it('never keeps an error or an operational route', async () => {
    expect(await text('/broken')).not.toBe(await text('/broken'));
    expect(await text('/healthz')).not.toBe(await text('/healthz'));
  });

  it('still answers a revalidation of a cached answer with 304', async () => {
    const first = await fetch(`${url}/page?y=1`);
    const etag = first.headers.get('etag')!;
    const status = await new Promise<number>((resolve, reject) =>
      request(`${url}/page?y=1`, { headers: { 'If-None-Match': etag } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(304);
  });
});

describe('the response cache when an answer expires', () => {
  it('renders it once for many readers asking at the same moment', async () => {
    let renders = 0;
    const app = express();
    app.use(responseCache({ ttlMs: 200 }));
    app.get('/slow', async (_req, res) => {
      renders += 1;
      await new Promise((r) => setTimeout(r, 100));
      res.type('html').send(`<p>render ${renders}</p>`);
    });
    const served = await listen(app, 0, '127.0.0.1');
    const base = served.url.replace(/\/$/, '');
    try {
      await fetch(`${base}/slow`);
      await new Promise((r) => setTimeout(r, 250));
      const bodies = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/slow`).then((r) => r.text())));
      expect(renders).toBe(2);
      expect(new Set(bodies).size).toBeLessThanOrEqual(2);
    } finally {
      await closeServer(served.server);
    }
  });
});

describe('a cached answer on the wire', () => {
  it('is sent compressed to a reader that accepts gzip and plain to one that does not, with the same content', async () => {
    const app = express();
    app.use(responseCache({ ttlMs: 5_000 }));
    app.get('/big', (_req, res) => {
      res.type('html').send(`<p>${'办实事 '.repeat(2_000)}</p>`);
    });
    const served = await listen(app, 0, '127.0.0.1');
    const base = served.url.replace(/\/$/, '');
    try {
      const first = await (await fetch(`${base}/big`)).text();
      const gz = await fetch(`${base}/big`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('vary')).toMatch(/Accept-Encoding/);
      expect(await gz.text()).toBe(first);
      const plain = await fetch(`${base}/big`, { headers: { 'Accept-Encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(first);
    } finally {
      await closeServer(served.server);
    }
  });
});

describe('a cached answer revalidated', () => {
  it('keeps the ETag of the first answer, gzipped or not, so a reader holding it gets a 304', async () => {
    const app = express();
    app.use(responseCache({ ttlMs: 5_000 }));
    app.get('/big', (_req, res) => {
      res.type('text/csv').send('办实事,'.repeat(2_000));
    });
    const served = await listen(app, 0, '127.0.0.1');
    const base = served.url.replace(/\/$/, '');
    try {
      const first = await fetch(`${base}/big`, { headers: { 'Accept-Encoding': 'identity' } });
      const etag = first.headers.get('etag');
      const cached = await fetch(`${base}/big`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(cached.headers.get('content-encoding')).toBe('gzip');
      expect(cached.headers.get('etag')).toBe(etag);
      const again = await fetch(`${base}/big`, {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' },
      });
      expect(again.status).toBe(304);
    } finally {
      await closeServer(served.server);
    }
  });
});
