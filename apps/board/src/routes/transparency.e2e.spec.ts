// The transparency log as the board publishes it, over HTTP as an auditor's script takes it: the page, the
// latest checkpoint and every checkpoint by size as the exact signed note, the public key, the list and
// the Atom feed of checkpoints with their paging, and an inclusion proof for each public event of an item,
// each checked with core's own verification against the published key. Every wrong parameter is a 4xx that
// names it, an unknown checkpoint or event a 404, a proof not yet signed a 422; nothing answers 5xx. A
// board without the key says the log is not published.

import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { closeServer, listen } from '@banshishi/api';
import {
  bytesToBase64,
  decodeConsistencyBundle,
  decodeProofBundle,
  type NoteVerifier,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistencyBundle,
  verifyProofBundle,
} from '@banshishi/core';
import { listPublicProblems, publicTimeline } from '@banshishi/read-models';
import type { TransparencyLog } from '@banshishi/transparency';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoardApp } from '../http/app.js';
import { localMoment, type TransparencyPublication } from '../http/deps.js';
import { type BoardFixture, fixtureNow, startBoardFixture } from '../test-support/board-fixture.js';
import { historyPageSize } from './transparency.js';

let board: BoardFixture;
let publication: TransparencyPublication;
let log: TransparencyLog;
/** A closed problem's stream and its public revisions. */
let stream: string;
let revisions: number[];
const every = 10;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const getFrom = async (base: string, path: string): Promise<Answer> => {
  const response = await fetch(`${base}${path}`, { redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
};
const get = (path: string) => getFrom(board.url, path);

const verifier = (): NoteVerifier => publication.verifier;

/** The parameter a problem-details answer names. */
const parameterOf = (answer: Answer) => (JSON.parse(answer.body) as { parameter?: string }).parameter;

beforeAll(async () => {
  board = await startBoardFixture({ demoScale: 300, checkpointEvery: every });
  publication = board.deps.transparency!;
  log = publication.log;
  const [problem] = await listPublicProblems(board.deps.readModels, {
    asOf: localMoment(fixtureNow),
    statuses: ['closed'],
    limit: 1,
  });
  const timeline = await publicTimeline(board.deps.readModels, 'problem', problem!.problem_id);
  stream = timeline[0]!.stream_id;
  revisions = timeline.map((e) => e.revision);
});

afterAll(async () => {
  await board?.close();
});

describe('the public key and the checkpoints', () => {
  it('serves the public key as text: the key the log signs with, as written beside the signer', async () => {
    const answer = await get('/transparency/key');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; charset=utf-8');
    const key = parseVerifierKey(answer.body.trim());
    expect(E.isRight(key) && key.right.encoded).toBe(verifier().encoded);
    expect(answer.body).toBe(await readFile(join(board.transparency!.keyDir, 'verifier.key'), 'utf8'));
  });

  it('serves the latest checkpoint as the signed note: it verifies with the key and covers every event', async () => {
    const answer = await get('/transparency/checkpoint');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; charset=utf-8');
    const opened = openCheckpoint(answer.body, verifier(), verifier().name);
    expect(E.isRight(opened), JSON.stringify(opened)).toBe(true);
    if (E.isLeft(opened)) return;
    expect(opened.right.size).toBe(await log.size());
    expect(bytesToBase64(opened.right.root)).toBe(bytesToBase64(await log.root()));
  });

  it('serves every checkpoint by its size, each a signed note of that size', async () => {
    const sizes = (await log.checkpoints({ limit: 500 })).map((c) => c.size);
    expect(sizes.length).toBeGreaterThan(historyPageSize);
    for (const size of [sizes[0]!, sizes[sizes.length - 1]!, every]) {
      const answer = await get(`/transparency/checkpoints/${size}`);
      expect(answer.status, answer.body).toBe(200);
      const opened = openCheckpoint(answer.body, verifier());
      expect(E.isRight(opened) && opened.right.size).toBe(size);
    }
  });

  it('answers 404 for a size no checkpoint was signed at, and 400 naming `size` for one that is not a number', async () => {
    const unknown = await get(`/transparency/checkpoints/${every + 1}`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^application\/problem\+json/);
    for (const bad of ['ten', '-1', '1.5', '9'.repeat(12), '%27%20OR%201%3D1']) {
      const answer = await get(`/transparency/checkpoints/${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(parameterOf(answer), bad).toBe('size');
    }
  });

  it('lists the checkpoints as JSON, newest first, paged by `before` until the first', async () => {
    const all = await log.checkpoints({ limit: 500 });
    const seen: number[] = [];
    let next: string | null = '/transparency/checkpoints.json?limit=7';
    while (next !== null) {
      const answer = await get(next);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.type).toBe('application/json; charset=utf-8');
      const page = JSON.parse(answer.body) as {
        origin: string;
        key: string;
        checkpoints: { size: number; root: string; madeAt: string; note: string }[];
        next: string | null;
      };
      expect(page.origin).toBe(verifier().name);
      expect(page.key).toBe(verifier().encoded);
      expect(page.checkpoints.length).toBeLessThanOrEqual(7);
      for (const c of page.checkpoints) {
        expect(c.note).toBe(`/transparency/checkpoints/${c.size}`);
        expect(c.root).toBe(bytesToBase64(all.find((s) => s.size === c.size)!.root));
      }
      seen.push(...page.checkpoints.map((c) => c.size));
      next = page.next;
    }
    expect(seen).toEqual(all.map((c) => c.size));
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('refuses a wrong `before` or `limit` with a 400 naming it', async () => {
    for (const [query, name] of [
      ['before=abc', 'before'],
      ['before=0', 'before'],
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['limit=1&limit=2', 'limit'],
    ] as const) {
      const answer = await get(`/transparency/checkpoints.json?${query}`);
      expect(answer.status, query).toBe(400);
      expect(parameterOf(answer), query).toBe(name);
    }
  });

  it('offers an Atom feed of the checkpoints, newest first, each linking to its signed note', async () => {
    const answer = await get('/transparency/feed.atom');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(answer.body)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' });
    const feed = (
      parser.parse(answer.body) as {
        feed: { id: string; entry: { id: string; updated: string; link: { '@_href': string }[] }[] };
      }
    ).feed;
    const latest = await log.checkpoints({ limit: 50 });
    expect(feed.entry.map((e) => e.id)).toEqual(
      latest.map((c) => `tag:banshishi.example,2021:transparency/${verifier().name}/${c.size}`),
    );
    const first = feed.entry[0]!;
    expect(first.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const href = new URL(first.link[0]!['@_href']);
    expect(href.pathname).toBe(`/transparency/checkpoints/${latest[0]!.size}`);
    expect((await get(href.pathname)).body).toBe(latest[0]!.signed);
  });
});

describe('consistency proofs, for witnesses and old receipts', () => {
  it('proves that the latest checkpoint, or any later one, extends any earlier one it signed', async () => {
    const sizes = (await log.checkpoints({ limit: 500 })).map((c) => c.size).reverse();
    const latest = sizes[sizes.length - 1]!;
    for (const [from, to] of [
      [sizes[0]!, undefined],
      [every, undefined],
      [every, 2 * every],
      [latest, undefined],
      [every, every],
    ] as const) {
      const answer = await get(`/transparency/consistency/${from}${to === undefined ? '' : `/${to}`}`);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.type).toBe('application/json; charset=utf-8');
      const bundle = decodeConsistencyBundle(JSON.parse(answer.body));
      const verified = E.isRight(bundle) ? verifyConsistencyBundle(bundle.right, verifier(), verifier().name) : bundle;
      expect(E.isRight(verified) && [verified.right.from.size, verified.right.to.size]).toEqual([from, to ?? latest]);
    }
  });

  it('answers 404 for a size never signed, 422 for the wrong order, 400 naming a bad size', async () => {
    expect((await get(`/transparency/consistency/${every + 1}`)).status).toBe(404);
    expect((await get(`/transparency/consistency/${every}/${every + 1}`)).status).toBe(404);
    const backwards = await get(`/transparency/consistency/${2 * every}/${every}`);
    expect(backwards.status).toBe(422);
    for (const [path, name] of [
      ['/transparency/consistency/ten', 'from'],
      [`/transparency/consistency/${every}/-1`, 'to'],
    ] as const) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(parameterOf(answer), path).toBe(name);
    }
  });
});

describe('inclusion proofs', () => {
  it("proves each public event of an item: the bundle verifies with the key and is that event's", async () => {
    for (const revision of revisions) {
      const answer = await get(`/transparency/proof/${stream}/${revision}`);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.type).toBe('application/json; charset=utf-8');
      const bundle = decodeProofBundle(JSON.parse(answer.body));
      expect(E.isRight(bundle)).toBe(true);
      if (E.isLeft(bundle)) return;
      const verified = verifyProofBundle(bundle.right, verifier(), verifier().name);
      expect(E.isRight(verified), JSON.stringify(verified)).toBe(true);
      const leaf = await log.leafOfStream(stream, revision);
      expect(bundle.right.leaf).toEqual({
        index: leaf!.index,
        eventId: leaf!.eventId,
        streamId: stream,
        revision,
        globalPosition: leaf!.globalPosition,
        hash: leaf!.eventHash,
      });
    }
  });

  it('says which bundle field an altered proof breaks, so the check is not vacuous', async () => {
    const bundle = JSON.parse((await get(`/transparency/proof/${stream}/${revisions[0]}`)).body);
    const altered = { ...bundle, leaf: { ...bundle.leaf, revision: bundle.leaf.revision + 1 } };
    const verified = verifyProofBundle(altered, verifier(), verifier().name);
    expect(E.isLeft(verified) && verified.left.rule).toBe('transparency.proof_inclusion');
  });

  it('answers 404 for an unknown revision, a stream that is no item on the board, or an unknown item', async () => {
    for (const path of [
      `/transparency/proof/${stream}/${Math.max(...revisions) + 1000}`,
      '/transparency/proof/directory/0',
      '/transparency/proof/person-anyone/0',
      '/transparency/proof/problem-no-such-problem/0',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.type, path).toMatch(/^application\/problem\+json/);
    }
  });

  it('refuses a malformed stream or revision with a 400 naming it', async () => {
    for (const [path, name] of [
      [`/transparency/proof/${stream}/one`, 'revision'],
      [`/transparency/proof/${stream}/-1`, 'revision'],
      [`/transparency/proof/${stream}/${'9'.repeat(20)}`, 'revision'],
      ['/transparency/proof/%3Cscript%3E/0', 'stream'],
      [`/transparency/proof/${'a'.repeat(300)}/0`, 'stream'],
      ['/transparency/proof/..%2F..%2Fetc/0', 'stream'],
    ] as const) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(parameterOf(answer), path).toBe(name);
    }
  });

  it('answers 422 for an event the latest checkpoint does not cover yet, naming the rule', async () => {
    // The same tables, as if the latest checkpoint were the first one: later events are not signed yet.
    const first = (await log.checkpointAt(every))!;
    const lagging: TransparencyLog = { ...log, latestCheckpoint: async () => first };
    const app = createBoardApp({ ...board.deps, transparency: { log: lagging, verifier: verifier() } });
    const { server, url } = await listen(app, 0, '127.0.0.1');
    try {
      const leaf = await log.leafOfStream(stream, revisions[revisions.length - 1]!);
      expect(leaf!.index).toBeGreaterThanOrEqual(every);
      const answer = await getFrom(url.replace(/\/$/, ''), `/transparency/proof/${stream}/${leaf!.revision}`);
      expect(answer.status, answer.body).toBe(422);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 422, rule: 'transparency.not_yet_checkpointed' });
    } finally {
      await closeServer(server as Server);
    }
  });
});

describe('the page', () => {
  it('shows the latest checkpoint, the key, how to keep a receipt and the newest page of the history', async () => {
    const answer = await get('/transparency');
    expect(answer.status).toBe(200);
    const latest = (await log.latestCheckpoint())!;
    expect(answer.body).toContain('<h1>公开账本</h1>');
    expect(answer.body).toContain(bytesToBase64(latest.root));
    expect(answer.body).toContain(verifier().encoded);
    expect(answer.body).toContain('audit verify --receipt');
    const rows = [...answer.body.matchAll(/href="\/transparency\/checkpoints\/(\d+)"/g)].map((m) => Number(m[1]));
    const newest = (await log.checkpoints({ limit: historyPageSize })).map((c) => c.size);
    expect(rows).toEqual(newest);
    expect(answer.body).toContain(`href="/transparency?before=${newest[newest.length - 1]}#history"`);
  });

  it('pages back through the history with `before`, and says a wrong one is wrong', async () => {
    const newest = await log.checkpoints({ limit: historyPageSize });
    const before = newest[newest.length - 1]!.size;
    const older = await get(`/transparency?before=${before}`);
    expect(older.status).toBe(200);
    const rows = [...older.body.matchAll(/href="\/transparency\/checkpoints\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows).toEqual((await log.checkpoints({ before, limit: historyPageSize })).map((c) => c.size));
    expect(older.body).toContain('href="/transparency#history"');
    const bad = await get('/transparency?before=%3Cb%3E');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('参数 before 有误');
    expect(bad.body).not.toContain('<b>');
  });

  it('is linked from every page: the navigation and the footer', async () => {
    const home = await get('/');
    expect(home.body.match(/href="\/transparency"/g)?.length).toBe(2);
  });
});

describe('a board without the public key', () => {
  let url: string;
  let server: Server;
  beforeAll(async () => {
    ({ server, url } = await listen(createBoardApp({ ...board.deps, transparency: null }), 0, '127.0.0.1'));
    url = url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await closeServer(server);
  });

  it('says on the page that the log is not published, and answers 404 on every other route', async () => {
    const page = await getFrom(url, '/transparency');
    expect(page.status).toBe(200);
    expect(page.body).toContain('本站未公开账本');
    expect(page.body).not.toContain(verifier().encoded);
    for (const path of [
      '/transparency/key',
      '/transparency/checkpoint',
      `/transparency/checkpoints/${every}`,
      '/transparency/checkpoints.json',
      '/transparency/feed.atom',
      `/transparency/proof/${stream}/${revisions[0]}`,
      `/transparency/consistency/${every}`,
    ]) {
      const answer = await getFrom(url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.type, path).toMatch(/^application\/problem\+json/);
      expect(answer.body, path).toContain('not published');
    }
  });

  it('lists no proofs on an item page', async () => {
    const page = await getFrom(url, `/problems/${stream.replace(/^problem-/, '')}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('data-proof-check');
    expect(page.body).not.toContain('proof-check.js');
  });
});

describe('the item page', () => {
  it("lists the item's public events with their place in the log and a link to each proof", async () => {
    const page = await get(`/problems/${stream.replace(/^problem-/, '')}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/static/proof-check.js" defer>');
    const proofs = [...page.body.matchAll(/data-proof="([^"]+)"/g)].map((m) => m[1]);
    expect(proofs).toEqual(revisions.map((r) => `/transparency/proof/${stream}/${r}`));
    const leaf = (await log.leafOfStream(stream, revisions[0] ?? 0))!;
    expect(page.body).toContain(`data-hash="${leaf.eventHash}"`);
    expect(page.body).toContain('pnpm run audit verify-proof');
  });

  it('serves the proof check as a script of its own, under the CSP that allows only its own origin', async () => {
    const response = await fetch(`${board.url}/static/proof-check.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1000);
    expect(script).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('odd requests', () => {
  it('never answer 5xx', async () => {
    const paths = [
      '/transparency?before=',
      '/transparency?before[]=1',
      '/transparency/checkpoints/',
      '/transparency/checkpoints/0',
      '/transparency/checkpoints.json?before=1',
      '/transparency/proof/',
      `/transparency/proof/${stream}`,
      `/transparency/proof/${stream}/0/extra`,
      '/transparency/proof/%E0%A4%A/0',
      '/transparency/proof/wish-x/0',
      '/transparency/feed.atom?x=1',
      '/transparency/consistency/',
      '/transparency/consistency/0/0/0',
      '/transparency/consistency/99999999999999999999',
    ];
    for (const path of paths) {
      const answer = await get(path);
      expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
      expect(answer.status, path).toBeGreaterThanOrEqual(200);
    }
  });
});
