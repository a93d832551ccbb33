// Answering a request for stored evidence. Who may see it is decided by the router before this is called;
// this only makes sure the bytes are answered as what they are and never as anything a browser would run.
import type { Response } from 'express';
import { extensionOf, kindOf } from './media.js';
import type { EvidenceStore } from './store.js';

/**
 * The stored file under its hash, or 404 when the hash is absent or malformed. A photo is shown inline, a
 * document downloaded; its name is the hash, so the uploader's file name never travels. The content
 * never changes under its hash: it may be cached for a year, and a matching If-None-Match answers 304.
 */
export const sendEvidence = async (store: EvidenceStore, sha256: string, res: Response): Promise<void> => {
  const found = await store.open(sha256);
  res.set('X-Content-Type-Options', 'nosniff');
  if (found === null) {
    res.status(404).type('text/plain; charset=utf-8').send('evidence not found');
    return;
  }
  const etag = `"${sha256}"`;
  const fileName = `${sha256}.${extensionOf(found.mediaType)}`;
  const disposition = kindOf(found.mediaType) === 'photo' ? 'inline' : 'attachment';
  res.set({
    'Content-Type': found.mediaType,
    'Content-Disposition': `${disposition}; filename="${fileName}"`,
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: etag,
    // Opened on its own (a new tab), the file is a document with no scripts, forms or plugins.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  });
  // Decided here rather than by express's freshness check, which a request's `Cache-Control: no-cache`
  // overrides: what a hash names cannot have changed, so a client holding it needs nothing more.
  if (matches(res.req.get('If-None-Match'), etag)) {
    res.status(304).end();
    return;
  }
  res.send(found.bytes);
};

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  (ifNoneMatch ?? '').split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate === etag || candidate === `W/${etag}`;
  });
