// Rendering a page: the reader's context (language, freshness, the moment figures are taken at) and
// a template rendered to a string by preact-render-to-string, which escapes every text and attribute.
import { parse as parseCookie } from 'cookie';
import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { catalogues, langOf } from '../i18n/index.js';
import type { PageContext } from '../views/context.js';
import { type BoardDeps, figuresAsOf } from './deps.js';

export const languageOf = (req: Request) => langOf(req, parseCookie(req.headers.cookie ?? '').lang);

export const pageContext = async (req: Request, deps: BoardDeps): Promise<PageContext> => {
  const lang = languageOf(req);
  return {
    lang,
    m: catalogues[lang],
    url: req.originalUrl,
    freshness: await deps.freshness(),
    asOf: figuresAsOf(deps),
  };
};

/** Public reads may be cached briefly; the ETag lets a reader revalidate for free. */
export const cachedBriefly = (res: Response) => {
  res.set('Cache-Control', 'public, max-age=15, stale-while-revalidate=30');
  res.vary('Accept-Language');
  res.vary('Cookie');
};

export const sendPage = (res: Response, page: VNode, status = 200) => {
  cachedBriefly(res);
  res
    .status(status)
    .type('html')
    .send(`<!doctype html>${renderToString(page)}`);
};
