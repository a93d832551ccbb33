import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvidence } from './serve.js';
import { createEvidenceStore, type EvidenceStore } from './store.js';

let dir: string;
let store: EvidenceStore;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-serve-'));
  store = createEvidenceStore({ dir });
  const app = express();
  app.get('/evidence/:sha256', (req, res) => sendEvidence(store, req.params.sha256, res));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .jpeg()
    .toBuffer();

const pdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([100, 100]);
  return Buffer.from(await doc.save());
};

describe('sending stored evidence', () => {
  it('a photo is answered inline as what it is, cacheable forever under its hash', async () => {
    const evidence = await store.put({ bytes: await photo(30, 20) });
    if (E.isLeft(evidence)) throw new Error(evidence.left.message);
    const { sha256 } = evidence.right;

    const response = await fetch(`${base}/evidence/${sha256}`);

    expect(response.status).toBe(200);
    const expected = {
      'content-type': 'image/jpeg',
      'content-disposition': `inline; filename="${sha256}.jpg"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${sha256}"`,
    };
    for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name), name).toBe(value);
    expect(Buffer.from(await response.arrayBuffer()).equals((await store.open(sha256))!.bytes)).toBe(true);

    const again = await fetch(`${base}/evidence/${sha256}`, { headers: { 'if-none-match': `"${sha256}"` } });
    expect(again.status).toBe(304);
  });

  it('a PDF is answered as a download named by its hash', async () => {
    const evidence = await store.put({ bytes: await pdf(), declaredType: 'application/pdf' });
    if (E.isLeft(evidence)) throw new Error(evidence.left.message);
    const { sha256 } = evidence.right;

    const response = await fetch(`${base}/evidence/${sha256}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${sha256}.pdf"`);
  });

  it.each([
    ['an absent hash', 'a'.repeat(64)],
    ['an uppercase hash', 'A'.repeat(64)],
    ['a short hash', 'abc'],
    ['a path', encodeURIComponent('../../etc/passwd')],
  ])('%s is answered 404', async (_, hash) => {
    const response = await fetch(`${base}/evidence/${hash}`);

    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
