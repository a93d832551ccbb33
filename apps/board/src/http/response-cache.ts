// A public answer shared for a moment: the same page, export or feed asked for again within `ttlMs` (by
// the same language) is sent from memory instead of being queried and rendered again. The board already
// promises no more (its freshness note and its totals are read once a second, its figures are taken by
// the minute), and a page that fifty readers open at once then costs the database one query, not fifty.
// Only 200s of GET are kept; errors, redirects and the operational routes never are.
import { gzipSync } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { languageOf } from './render.js';

interface Entry {
  readonly at: number;
  readonly body: string | Buffer;
  /** The body compressed once when kept, so a hit costs no compression (most readers accept gzip). */
  readonly gzipped: Buffer | null;
  /** The ETag of the body as first sent: the gzipped copy must revalidate as the same answer. */
  readonly etag: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly route: string | undefined;
}

/** Headers that belong to the answer itself; the rest (dates, rate-limit counts) are the request's own. */
const keptHeaders = [
  'content-type',
  'cache-control',
  'vary',
  'content-disposition',
  'access-control-allow-origin',
  'x-export-capped',
];

const uncached = new Set(['/healthz', '/metrics', '/lang']);

export const responseCache = ({ ttlMs = 1_000, maxEntries = 1_000 }: { ttlMs?: number; maxEntries?: number } = {}) => {
  const entries = new Map<string, Entry>();
  const refreshing = new Set<string>();
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || uncached.has(req.path) || ttlMs <= 0) {
      next();
      return;
    }
    const key = `${languageOf(req)} ${req.originalUrl}`;
    const hit = entries.get(key);
    const age = hit === undefined ? Number.POSITIVE_INFINITY : Date.now() - hit.at;
    // Fresh, or stale while one request is already rendering it anew (at most one period more): a page that
    // fifty readers ask for the moment it expires is rendered once, not fifty times at once.
    if (hit !== undefined && (age <= ttlMs || (refreshing.has(key) && age <= 2 * ttlMs))) {
      res.locals.route = hit.route;
      res.set(hit.headers).status(200);
      // express sets an ETag only where none is set yet: the first answer's, not one of the gzipped bytes.
      if (hit.etag !== undefined) res.set('ETag', hit.etag);
      res.vary('Accept-Encoding');
      if (hit.gzipped !== null && req.acceptsEncodings('gzip', 'identity') === 'gzip') {
        // compression() leaves an answer that already has a Content-Encoding as it is.
        res.set('Content-Encoding', 'gzip').send(hit.gzipped);
      } else {
        res.send(hit.body);
      }
      return;
    }
    refreshing.add(key);
    res.on('close', () => refreshing.delete(key));
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (res.statusCode === 200 && (typeof body === 'string' || Buffer.isBuffer(body))) {
        const headers: Record<string, string> = {};
        for (const name of keptHeaders) {
          const value = res.get(name);
          if (value !== undefined) headers[name] = value;
        }
        const route = (req.route as { path?: string } | undefined)?.path;
        entries.delete(key);
        entries.set(key, {
          at: Date.now(),
          body,
          gzipped: body.length >= 1_024 ? gzipSync(body) : null,
          etag: (req.app.get('etag fn') as ((body: string | Buffer, encoding: string) => string) | undefined)?.(
            body,
            'utf8',
          ),
          headers,
          route: typeof route === 'string' ? `${req.baseUrl}${route}` : undefined,
        });
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return send(body);
    };
    next();
  };
};
