// Server mode as operators run it: the projector and the board, each its own process, against fresh
// schemas on the test PostgreSQL. A problem appended to the log while both run appears on the board within
// seconds; both stop with exit 0 on SIGTERM. The board survives PostgreSQL cutting its connections (they
// carry an application name of this spec's own, and only they are cut), and a board that cannot read
// the log still serves its pages, the lag shown as unknown. Given the transparency log's public key, a
// board publishes the log a checkpointer keeps beside the read models; without it, says it is not published.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { decodeProofBundle, encodeSignerKey, parseSignerKey, readWholeLog, verifyProofBundle } from '@banshishi/core';
import { getPostgresEventStore } from '@banshishi/store-postgres';
import { connectTestDatabase, terminateBackends, urlNamed } from '@banshishi/testkit/postgres';
import { openTransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startProjectorProcess } from '../../projector/src/test-support/projector-process.js';
import { zh } from './i18n/zh.js';
import {
  appendHeldBack,
  boardUrlOf,
  demoWithOneProblemHeldBack,
  dropServerModeSchemas,
  eventually,
  type HeldBackHistory,
  loadBacklog,
  startBoardProcess,
} from './test-support/server-mode.js';

const suffix = randomBytes(4).toString('hex');
const eventSchema = `board_sm_events_${suffix}`;
const readModelSchema = `board_sm_rm_${suffix}`;
const boardApplication = `spec_board_${suffix}`;
const transparencySchema = `board_sm_tl_${suffix}`;

const freshnessNote = /<p class="freshness">([^<]*)/;

const status = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;

describe('the board in server mode, beside the projector, on PostgreSQL', () => {
  let pool: pg.Pool;
  let history: HeldBackHistory;
  const children: ChildProcess[] = [];
  const output: string[] = [];
  let board: ChildProcess;
  let boardUrl: string;

  beforeAll(async () => {
    pool = await connectTestDatabase({ max: 2 });
    history = demoWithOneProblemHeldBack();
    await loadBacklog(pool, eventSchema, history);
    const projector = startProjectorProcess(
      {
        DATABASE_URL: urlNamed(`spec_projector_${suffix}`),
        EVENT_STORE_SCHEMA: eventSchema,
        READ_MODELS_SCHEMA: readModelSchema,
      },
      output,
    );
    children.push(projector);
    board = startBoardProcess(
      {
        DATABASE_URL: urlNamed(boardApplication),
        EVENT_STORE_SCHEMA: eventSchema,
        READ_MODEL_SCHEMA: readModelSchema,
        LOG_LEVEL: 'warn',
      },
      output,
    );
    children.push(board);
    boardUrl = await boardUrlOf(board, output);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await dropServerModeSchemas(pool, eventSchema, readModelSchema, [transparencySchema]);
    await pool.end();
  });

  it('shows a problem appended to the log within seconds', async () => {
    const page = `${boardUrl}/problems/${encodeURIComponent(history.problemId)}`;
    // The backlog reaches the board: its freshness note, which compares the projections with the log's
    // head, says they are up to date; the held-back problem is not there yet.
    const upToDate = async () =>
      freshnessNote.exec(await (await fetch(`${boardUrl}/disclosure`)).text())?.[1]?.includes(zh.freshness.upToDate) ===
      true;
    expect(await eventually(upToDate, 30_000), output.join('')).toBe(true);
    expect(await status(page)).toBe(404);

    await appendHeldBack(pool, eventSchema, history);
    const appended = Date.now();
    expect(await eventually(async () => (await status(page)) === 200, 15_000), output.join('')).toBe(true);
    const html = await (await fetch(page)).text();
    const title = (history.fresh.events[0]!.data as { title: string }).title;
    expect(html).toContain(title);
    expect(Date.now() - appended).toBeLessThan(15_000);

    expect(await eventually(upToDate, 5_000)).toBe(true);

    expect(children.every((c) => c.exitCode === null)).toBe(true);
  });

  it('keeps answering after PostgreSQL terminates every connection it holds', async () => {
    const answers = async () => (await status(`${boardUrl}/healthz`)) === 200 && (await status(`${boardUrl}/`)) === 200;
    expect(await answers()).toBe(true);
    // Cut at rest, then while requests are in flight, then at rest again.
    expect(await terminateBackends(pool, boardApplication)).toBeGreaterThan(0);
    const inFlight = Promise.all(Array.from({ length: 6 }, () => status(`${boardUrl}/disclosure`).catch(() => 0)));
    await terminateBackends(pool, boardApplication);
    await inFlight;
    expect(await eventually(answers, 10_000), output.join('')).toBe(true);
    expect(await terminateBackends(pool, boardApplication)).toBeGreaterThan(0);
    expect(await eventually(answers, 10_000), output.join('')).toBe(true);
    expect(await status(`${boardUrl}/problems/${encodeURIComponent(history.problemId)}`)).toBe(200);

    expect(board.exitCode, output.join('')).toBeNull();
    const log = output.join('');
    expect(log).toContain('lost a connection to PostgreSQL');
    // What is logged of a lost connection is its code and message: no connection parameters, no rows.
    expect(log).not.toMatch(/connectionParameters|"client"|"password"/);
  });

  it('serves its pages with the lag unknown when the event log cannot be read', async () => {
    const ownOutput: string[] = [];
    const blind = startBoardProcess(
      {
        DATABASE_URL: urlNamed(boardApplication),
        // Never created: the log head's query fails on every read.
        EVENT_STORE_SCHEMA: `${eventSchema}_absent`,
        READ_MODEL_SCHEMA: readModelSchema,
        LOG_LEVEL: 'info',
      },
      ownOutput,
    );
    children.push(blind);
    const url = await boardUrlOf(blind, ownOutput);
    for (let visit = 0; visit < 3; visit++) {
      const response = await fetch(`${url}/disclosure`);
      expect(response.status, ownOutput.join('')).toBe(200);
      expect(freshnessNote.exec(await response.text())?.[1]).toContain(zh.freshness.lagUnknown);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    // Said once for the outage, not once per request.
    expect(ownOutput.join('').split('cannot read the event log head').length - 1).toBe(1);
  });

  it('publishes the transparency log a checkpointer keeps beside the read models, given its public key', async () => {
    // This spec is the checkpointer: the tree of the whole log in a schema of its own, one signed checkpoint.
    const origin = 'board-spec.banshishi.example/log';
    const signer = parseSignerKey(encodeSignerKey(origin, new Uint8Array(randomBytes(32))));
    if (E.isLeft(signer)) throw new Error(signer.left.message);
    const treePool = await connectTestDatabase({ max: 2 });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: treePool }) });
    let signed: string;
    try {
      const store = await getPostgresEventStore({ pool: treePool, schema: eventSchema, migrate: false });
      const log = await openTransparencyLog({ db, schema: transparencySchema });
      for await (const events of readWholeLog(store)) await log.append(events);
      signed = (await log.sign(signer.right, origin)).signed;
    } finally {
      await db.destroy();
    }
    const ownOutput: string[] = [];
    const publishing = startBoardProcess(
      {
        DATABASE_URL: urlNamed(boardApplication),
        EVENT_STORE_SCHEMA: eventSchema,
        READ_MODEL_SCHEMA: readModelSchema,
        TRANSPARENCY_SCHEMA: transparencySchema,
        TRANSPARENCY_VERIFIER_KEY: signer.right.verifier.encoded,
        LOG_LEVEL: 'warn',
      },
      ownOutput,
    );
    children.push(publishing);
    const url = await boardUrlOf(publishing, ownOutput);
    expect(await (await fetch(`${url}/transparency/checkpoint`)).text(), ownOutput.join('')).toBe(signed);
    expect((await (await fetch(`${url}/transparency/key`)).text()).trim()).toBe(signer.right.verifier.encoded);
    const proof = await fetch(`${url}/transparency/proof/problem-${encodeURIComponent(history.problemId)}/0`);
    expect(proof.status).toBe(200);
    const bundle = decodeProofBundle(await proof.json());
    if (E.isLeft(bundle)) throw new Error(bundle.left.message);
    expect(E.isRight(verifyProofBundle(bundle.right, signer.right.verifier, origin))).toBe(true);
    expect(await (await fetch(`${url}/problems/${encodeURIComponent(history.problemId)}`)).text()).toContain(
      'data-proof-check',
    );

    // The board started without the key says the log is not published here.
    expect(await (await fetch(`${boardUrl}/transparency`)).text()).toContain(zh.transparency.notPublished);
    expect(await status(`${boardUrl}/transparency/checkpoint`)).toBe(404);
  });

  it('stops every board and the projector cleanly on SIGTERM', async () => {
    for (const child of children) child.kill('SIGTERM');
    const ends = await Promise.all(children.map(exited));
    expect(ends, output.join('')).toEqual(children.map(() => ({ code: 0, signal: null })));
    expect(children).toHaveLength(4);
  });
});
