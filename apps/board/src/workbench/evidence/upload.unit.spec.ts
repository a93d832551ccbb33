import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEvidenceStore, type EvidenceStore, evidenceRules } from './store.js';
import { evidenceUpload, storeUploads, uploadRefusalOf } from './upload.js';

const maxBytes = 50_000;
let dir: string;
let store: EvidenceStore;
let server: Server;
let base: string;

/** A route as a workbench form's would be: a refusal re-renders the form (here: 422 with what it would show). */
const solveRoute = async (req: Request, res: Response) => {
  const stored = await storeUploads(store, req);
  if (E.isLeft(stored)) {
    res.status(422).json({ refusal: stored.left, body: req.body ?? null });
    return;
  }
  res.json({ stored: stored.right, body: req.body ?? null });
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-upload-'));
  const app = express();
  app.post('/solve', evidenceUpload({ maxBytes, maxFiles: 2 }), solveRoute);
  app.post('/json', express.json(), evidenceUpload({ maxBytes, maxFiles: 2 }), (req, res) => {
    res.json({ body: req.body, refusal: uploadRefusalOf(req) ?? null, files: req.files ?? null });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: String(error) });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await rm(dir, { recursive: true, force: true });
  store = createEvidenceStore({ dir, maxBytes });
});

const storedFiles = async () => {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  } catch {
    return [];
  }
};

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .jpeg()
    .toBuffer();

const pdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([100, 100]);
  doc.setAuthor('Zhao Lei');
  return Buffer.from(await doc.save());
};

const form = (fields: Record<string, string>, files: readonly [string, Buffer, string, string][]) => {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const [field, bytes, type, name] of files) body.append(field, new Blob([new Uint8Array(bytes)], { type }), name);
  return body;
};

const post = async (path: string, body: FormData | string, headers: Record<string, string> = {}) => {
  const response = await fetch(base + path, { method: 'POST', body, headers });
  return { status: response.status, json: await response.json() };
};

describe('the upload middleware', () => {
  it('two files and a text field are read, and both files stored', async () => {
    const { status, json } = await post(
      '/solve',
      form({ summary: '楼道灯已修好' }, [
        ['evidence', await photo(40, 30), 'image/jpeg', 'before.jpg'],
        ['evidence', await pdf(), 'application/pdf', 'receipt.pdf'],
      ]),
    );

    expect(status).toBe(200);
    expect(json.body).toEqual({ summary: '楼道灯已修好' });
    expect(json.stored.map((one: { kind: string }) => one.kind)).toEqual(['photo', 'document']);
    expect(json.stored[0].uri).toMatch(/^evidence:sha256:[0-9a-f]{64}$/);
    expect(await storedFiles()).toHaveLength(2);
  });

  it('a file over the limit is a refusal the route shows, with the text read before it', async () => {
    const big = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#888' } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(maxBytes);

    const { status, json } = await post(
      '/solve',
      form({ summary: 'done' }, [['evidence', big, 'image/png', 'big.png']]),
    );

    expect(status).toBe(422);
    expect(json.refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.tooLarge });
    expect(json.body).toEqual({ summary: 'done' });
    expect(await storedFiles()).toEqual([]);
  });

  it('more files than allowed is a refusal, and none of them is stored', async () => {
    const one = await photo(20, 20);

    const { status, json } = await post(
      '/solve',
      form({}, [
        ['evidence', one, 'image/jpeg', 'a.jpg'],
        ['evidence', one, 'image/jpeg', 'b.jpg'],
        ['evidence', one, 'image/jpeg', 'c.jpg'],
      ]),
    );

    expect(status).toBe(422);
    expect(json.refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.tooManyFiles });
    expect(await storedFiles()).toEqual([]);
  });

  it('a file under another field is refused as unreadable', async () => {
    const { status, json } = await post('/solve', form({}, [['photo', await photo(20, 20), 'image/jpeg', 'a.jpg']]));

    expect(status).toBe(422);
    expect(json.refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.unreadable });
  });

  it('a malformed multipart body is refused as unreadable, not answered 500', async () => {
    const { status, json } = await post(
      '/solve',
      '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunfinished',
      {
        'content-type': 'multipart/form-data; boundary=xyz',
      },
    );

    expect(status).toBe(422);
    expect(json.refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.unreadable });
  });

  it('a multipart body without a boundary is refused as unreadable', async () => {
    const { status, json } = await post('/solve', 'anything', { 'content-type': 'multipart/form-data' });

    expect(status).toBe(422);
    expect(json.refusal.rule).toBe(evidenceRules.unreadable);
  });

  it('a file whose content is not what it claims is refused by the store, nothing written', async () => {
    const { status, json } = await post(
      '/solve',
      form({}, [
        ['evidence', await photo(20, 20), 'image/jpeg', 'a.jpg'],
        ['evidence', Buffer.from('<script>alert(1)</script>'), 'image/jpeg', 'b.jpg'],
      ]),
    );

    expect(status).toBe(422);
    expect(json.refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.unsupportedType });
    expect(json.refusal.message).toMatch(/^file 2 of 2: /);
    expect(await storedFiles()).toEqual([]);
  });

  it('a form sent with no file chosen stores nothing and is no refusal', async () => {
    const body = [
      '--b0',
      'Content-Disposition: form-data; name="summary"',
      '',
      'no photo this time',
      '--b0',
      'Content-Disposition: form-data; name="evidence"; filename=""',
      'Content-Type: application/octet-stream',
      '',
      '',
      '--b0--',
      '',
    ].join('\r\n');

    const { status, json } = await post('/solve', body, { 'content-type': 'multipart/form-data; boundary=b0' });

    expect(status).toBe(200);
    expect(json).toEqual({ stored: [], body: { summary: 'no photo this time' } });
  });

  it('a request that is not multipart passes through untouched', async () => {
    const { status, json } = await post('/json', JSON.stringify({ summary: 'plain' }), {
      'content-type': 'application/json',
    });

    expect(status).toBe(200);
    expect(json).toEqual({ body: { summary: 'plain' }, refusal: null, files: null });
  });
});
