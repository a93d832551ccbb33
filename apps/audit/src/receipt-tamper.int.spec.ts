// `banshishi-audit verify --receipt` against an operator with write access to the real PostgreSQL: the
// attacks the hash chains alone let through (a stream rewritten with its head, a forged event inserted or
// appended, a tail cut, a stream deleted, positions swapped, the tree tables rebuilt too), each on fresh demo
// data with a receipt signed before the attack, through the command line as an auditor runs it. Untouched
// data passes; `prove` and the offline `verify-proof` run on the same log.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createCorePersonalDataSealer,
  encodeSignerKey,
  type NoteSigner,
  parseSignerKey,
  readWholeLogEvents,
  type StoredEvent,
  uuidFromName,
} from '@banshishi/core';
import { hashOf } from '@banshishi/core/store';
import { generateDemoEvents } from '@banshishi/demo';
import { pgKysely } from '@banshishi/read-models';
import { bulkLoadDemo, getPostgresEventStore, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import { connectTestDatabase, databaseUrl, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { openTransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiptFinding } from './receipt.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);

const origin = 'receipts.banshishi.example/log';
const signer: NoteSigner = (() => {
  const parsed = parseSignerKey(encodeSignerKey(origin, new Uint8Array(32).fill(7)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
})();
const verifierKey = signer.verifier.encoded;

let admin: Awaited<ReturnType<typeof connectTestDatabase>>;
let db: Kysely<unknown>;
let folder: string;
const schemas: string[] = [];
let schema: string;
let keySchema: string;
let tlogSchema: string;
let receiptFile: string;
let receiptSize: number;
const events = () => `"${schema}".events`;
const streams = () => `"${schema}".streams`;

const env = () => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  EVENT_STORE_SCHEMA: schema,
  KEY_STORE_SCHEMA: keySchema,
  TRANSPARENCY_SCHEMA: tlogSchema,
});

const audit = async (args: string[], environment: NodeJS.ProcessEnv = env()) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', ...args], {
      cwd: root,
      env: environment,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

interface Verified {
  readonly code: number;
  /** The hash-chain checks' findings: what `verify` alone says. */
  readonly chain: { kind: string; streamId: string; revision: number }[];
  readonly receipt: ReceiptFinding[];
  readonly stdout: string;
}

const verifyReceipt = async (): Promise<Verified> => {
  const { code, stdout, stderr } = await audit(['verify', '--json', '--receipt', receiptFile, '--key', verifierKey]);
  if (code !== 0 && code !== 1) throw new Error(`verify could not run (${code}): ${stderr}`);
  const report = JSON.parse(stdout) as {
    findings: { kind: string; streamId: string; revision: number }[];
    receipt: { findings: ReceiptFinding[] };
  };
  return {
    code,
    chain: report.findings.map(({ kind, streamId, revision }) => ({ kind, streamId, revision })),
    receipt: report.receipt.findings,
    stdout,
  };
};

const kinds = (findings: readonly ReceiptFinding[]) => [...new Set(findings.map((f) => f.kind))].sort();
const named = (findings: readonly ReceiptFinding[], kind: string) =>
  findings.filter((f) => f.kind === kind).map((f) => `${f.streamId}@${f.revision}`);

const one = async <T>(text: string, params: unknown[] = []): Promise<T> =>
  (await admin.query(text, params)).rows[0] as T;

/** A closed problem with a long history, its events as stored. */
const closedProblem = async (): Promise<{ streamId: string; stored: StoredEvent[] }> => {
  const { stream_id } = await one<{ stream_id: string }>(
    `SELECT stream_id FROM ${events()}
      WHERE stream_id IN (SELECT stream_id FROM ${events()} WHERE type = 'ProblemClosed')
      GROUP BY stream_id HAVING count(*) >= 6 ORDER BY stream_id LIMIT 1`,
  );
  const store = await getPostgresEventStore({ connectionString: databaseUrl, schema, migrate: false });
  try {
    return { streamId: stream_id, stored: [...(await store.readStream(stream_id))] };
  } finally {
    await store.close();
  }
};

/**
 * The tree of the whole log as it stands, signed: the auditor's receipt. The log is read as the store's
 * subscriptions read it, which shows no row above a transaction still running anywhere on the server
 * (other spec files share it), so the read is repeated until it holds every row of the table.
 */
const buildTreeAndReceipt = async () => {
  const store = await getPostgresEventStore({ connectionString: databaseUrl, schema, migrate: false });
  try {
    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${events()}`);
    let all = await readWholeLogEvents(store);
    for (let wait = 0; all.length < n && wait < 200; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      all = await readWholeLogEvents(store);
    }
    expect(all).toHaveLength(n);
    const log = await openTransparencyLog({ db, schema: tlogSchema });
    await log.append(all);
    return await log.sign(signer, origin);
  } finally {
    await store.close();
  }
};

/** An event sealed as the store would, onto `prev`: the forger's hash is exactly right. */
const forged = (prev: StoredEvent, recordedAt: string) => {
  const unsealed = {
    eventId: uuidFromName(`forged/${prev.streamId}/${prev.revision + 1}`),
    type: 'ProblemProgressNoted',
    schemaVersion: 1,
    data: { problemId: (prev.data as { problemId: string }).problemId, note: '补记：已按期完成' },
    occurredAt: prev.occurredAt,
    actor: prev.actor,
    correlationId: 'forged',
    causationId: 'forged',
    streamId: prev.streamId,
    revision: prev.revision + 1,
    recordedAt,
    prevHash: prev.hash,
  };
  return { ...unsealed, hash: hashOf(unsealed) };
};

const insertEvent = async (e: ReturnType<typeof forged>, position?: number) => {
  await admin.query(
    `INSERT INTO ${events()} (${position === undefined ? '' : 'global_position, '}stream_id, revision, event_id, type,
       schema_version, data, occurred_at, recorded_at, actor, correlation_id, causation_id, prev_hash, hash, category)
     OVERRIDING SYSTEM VALUE
     VALUES (${position === undefined ? '' : `${position}, `}$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'problem')`,
    [
      e.streamId,
      e.revision,
      e.eventId,
      e.type,
      e.schemaVersion,
      JSON.stringify(e.data),
      e.occurredAt,
      e.recordedAt,
      JSON.stringify(e.actor),
      e.correlationId,
      e.causationId,
      e.prevHash,
      e.hash,
    ],
  );
  await admin.query(`UPDATE ${streams()} SET revision = $2, hash = $3 WHERE stream_id = $1`, [
    e.streamId,
    e.revision,
    e.hash,
  ]);
};

/** Moves positions without tripping the primary key row by row: through the negatives and back. */
const setPositions = async (moves: readonly (readonly [from: number, to: number])[]) => {
  for (const [from, to] of moves)
    await admin.query(`UPDATE ${events()} SET global_position = $2 WHERE global_position = $1`, [from, -to]);
  await admin.query(`UPDATE ${events()} SET global_position = -global_position WHERE global_position < 0`);
};

/** Every event of a stream from `fromRevision` on given a new payload, the chain and head recomputed. */
const rewriteStream = async (stored: readonly StoredEvent[], fromRevision: number) => {
  let prevHash = stored[fromRevision]!.prevHash;
  for (const e of stored.slice(fromRevision)) {
    const data =
      e.revision === fromRevision ? { ...(e.data as Record<string, unknown>), note: '已核实，无异议' } : e.data;
    const { globalPosition: _position, hash: _hash, ...rest } = e;
    const hash = hashOf({ ...rest, data, prevHash });
    await admin.query(`UPDATE ${events()} SET data = $2, prev_hash = $3, hash = $4 WHERE global_position = $1`, [
      e.globalPosition,
      JSON.stringify(data),
      prevHash,
      hash,
    ]);
    prevHash = hash;
  }
  await admin.query(`UPDATE ${streams()} SET hash = $2 WHERE stream_id = $1`, [stored[0]!.streamId, prevHash]);
};

beforeAll(async () => {
  admin = await connectTestDatabase({ max: 2 });
  db = pgKysely<unknown>({ connectionString: databaseUrl, max: 2 });
  folder = await mkdtemp(join(tmpdir(), 'receipts-'));
});
afterAll(async () => {
  for (const s of schemas) await dropSchema(admin, s);
  await db.destroy();
  await admin.end();
  await rm(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  schema = freshSchemaName('receipt');
  keySchema = `${schema}_keys`;
  tlogSchema = `${schema}_tlog`;
  schemas.push(schema, keySchema, tlogSchema);
  const keys = await getPostgresSubjectKeyStore({ connectionString: databaseUrl, schema: keySchema });
  try {
    await bulkLoadDemo(generateDemoEvents({ seed: 11, scale: 600 }), {
      connectionString: databaseUrl,
      schema,
      personalData: createCorePersonalDataSealer({ keys }),
    });
  } finally {
    await keys.close();
  }
  const receipt = await buildTreeAndReceipt();
  receiptSize = receipt.size;
  receiptFile = join(folder, `${schema}.checkpoint`);
  // The receipt is what `audit checkpoint` prints, kept where the operator cannot reach it.
  const printed = await audit(['checkpoint'], env());
  expect(printed).toMatchObject({ code: 0, stdout: receipt.signed });
  await writeFile(receiptFile, printed.stdout);
  // The operator writes the events table directly from here on: positions included.
  await admin.query(`ALTER TABLE ${events()} ALTER COLUMN global_position SET GENERATED BY DEFAULT`);
});

describe('verify --receipt on the real PostgreSQL, each attack on fresh data after the receipt', () => {
  it('passes the untouched log: the receipt holds and the stored tree is today’s log', async () => {
    const verified = await verifyReceipt();
    expect({ code: verified.code, chain: verified.chain, receipt: verified.receipt }).toEqual({
      code: 0,
      chain: [],
      receipt: [],
    });
    expect(receiptSize).toBeGreaterThan(500);
  });

  it('passes a log that grew after the receipt, signed again: the latest checkpoint is proved to extend it', async () => {
    const { stream_id, revision } = await one<{ stream_id: string; revision: number }>(
      `SELECT e.stream_id, e.revision FROM ${events()} e JOIN ${streams()} s USING (stream_id)
        WHERE e.revision = s.revision AND e.type IN ('ProblemClaimed', 'ProblemProgressNoted')
        ORDER BY e.stream_id LIMIT 1`,
    );
    const store = await getPostgresEventStore({ connectionString: databaseUrl, schema, migrate: false });
    try {
      const last = (await store.readStream(stream_id, { fromRevision: revision }))[0]!;
      const {
        streamId: _s,
        revision: _r,
        recordedAt: _t,
        prevHash: _p,
        hash: _h,
        ...note
      } = forged(last, last.recordedAt);
      await store.append(stream_id, [{ ...note, eventId: uuidFromName(`later/${stream_id}`) }], {
        expectedRevision: revision,
      });
    } finally {
      await store.close();
    }
    const later = await buildTreeAndReceipt();
    expect(later.size).toBe(receiptSize + 1);
    const verified = await verifyReceipt();
    expect({ code: verified.code, chain: verified.chain, receipt: verified.receipt }).toEqual({
      code: 0,
      chain: [],
      receipt: [],
    });
    expect(verified.stdout).toContain(`"latestCheckpoint": {\n      "size": ${receiptSize + 1}`);
  });

  it('names every event of a stream rewritten with recomputed hashes and head, which the chains let through', async () => {
    const { streamId, stored } = await closedProblem();
    await rewriteStream(stored, 1);
    const verified = await verifyReceipt();
    expect(verified.chain).toEqual([]);
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['changed', 'receipt_root', 'stored_root']);
    expect(named(verified.receipt, 'changed')).toEqual(stored.slice(1).map((e) => `${streamId}@${e.revision}`));
    expect(verified.receipt.filter((f) => f.kind === 'changed').every((f) => f.fields?.join() === 'hash')).toBe(true);
  });

  it('names a forged event inserted into the receipt’s range, the positions after it shifted and the head updated', async () => {
    const { streamId, stored } = await closedProblem();
    const last = stored[stored.length - 1]!;
    const later = (
      await admin.query<{ p: string }>(
        `SELECT global_position AS p FROM ${events()} WHERE global_position > $1 ORDER BY global_position DESC`,
        [last.globalPosition],
      )
    ).rows.map((r) => Number(r.p));
    expect(later.length).toBeGreaterThan(10);
    await setPositions(later.map((p) => [p, p + 1] as const));
    await insertEvent(forged(last, last.recordedAt), last.globalPosition + 1);
    const verified = await verifyReceipt();
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['extra', 'receipt_root', 'renumbered', 'stored_root']);
    expect(named(verified.receipt, 'extra')).toEqual([`${streamId}@${last.revision + 1}`]);
    expect(verified.receipt.find((f) => f.kind === 'renumbered')?.count).toBe(later.length);
  });

  it('names a forged event appended at the end with the head updated and a recorded time before the receipt', async () => {
    const { streamId, stored } = await closedProblem();
    const last = stored[stored.length - 1]!;
    await insertEvent(forged(last, last.recordedAt));
    const verified = await verifyReceipt();
    expect(verified.code).toBe(1);
    // The first events still hash to the receipt's root: only the recorded time betrays the forgery.
    expect(verified.receipt.map((f) => [f.kind, `${f.streamId}@${f.revision}`, f.index])).toEqual([
      ['backdated', `${streamId}@${last.revision + 1}`, receiptSize],
    ]);
  });

  it('names the events of a tail cut with the head fixed', async () => {
    const { streamId, stored } = await closedProblem();
    const kept = stored[stored.length - 3]!;
    await admin.query(`DELETE FROM ${events()} WHERE stream_id = $1 AND revision > $2`, [streamId, kept.revision]);
    await admin.query(`UPDATE ${streams()} SET revision = $2, hash = $3 WHERE stream_id = $1`, [
      streamId,
      kept.revision,
      kept.hash,
    ]);
    const verified = await verifyReceipt();
    expect(verified.chain).toEqual([]);
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['missing', 'receipt_root', 'stored_root']);
    expect(named(verified.receipt, 'missing')).toEqual(stored.slice(-2).map((e) => `${streamId}@${e.revision}`));
  });

  it('names every event of a stream deleted with its head', async () => {
    const { streamId, stored } = await closedProblem();
    await admin.query(`DELETE FROM ${events()} WHERE stream_id = $1`, [streamId]);
    await admin.query(`DELETE FROM ${streams()} WHERE stream_id = $1`, [streamId]);
    const verified = await verifyReceipt();
    expect(verified.chain).toEqual([]);
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['missing', 'receipt_root', 'stored_root']);
    expect(named(verified.receipt, 'missing')).toEqual(stored.map((e) => `${streamId}@${e.revision}`));
  });

  it('names two events of different streams whose positions were swapped', async () => {
    // The last event of a stream and a later event whose stream had nothing in between: each stream's own
    // order holds, so the chains and the position checks see nothing.
    const pair = await one<{ a: string; b: string; a_stream: string; b_stream: string }>(
      `WITH e AS (
         SELECT global_position, stream_id, revision,
                lag(global_position) OVER (PARTITION BY stream_id ORDER BY global_position) AS before,
                lead(global_position) OVER (PARTITION BY stream_id ORDER BY global_position) AS after
           FROM ${events()})
       SELECT a.global_position AS a, b.global_position AS b, a.stream_id AS a_stream, b.stream_id AS b_stream
         FROM e a JOIN e b ON b.global_position > a.global_position + 20 AND b.stream_id <> a.stream_id
        WHERE a.after IS NULL AND (b.before IS NULL OR b.before < a.global_position)
        ORDER BY a.global_position, b.global_position LIMIT 1`,
    );
    const [a, b] = [Number(pair.a), Number(pair.b)];
    await setPositions([
      [a, b],
      [b, a],
    ]);
    const verified = await verifyReceipt();
    expect(verified.chain).toEqual([]);
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['moved', 'receipt_root', 'stored_root']);
    expect(verified.receipt.filter((f) => f.kind === 'moved').map((f) => [f.streamId, f.position])).toEqual([
      [pair.a_stream, a],
      [pair.b_stream, b],
    ]);
  });

  it('says plainly when the tree tables were rewritten as well: the receipt still proves the change', async () => {
    const { stored } = await closedProblem();
    await rewriteStream(stored, 1);
    // The operator holds the signing key: the tree is rebuilt from the rewritten log and signed again.
    await dropSchema(admin, tlogSchema);
    await buildTreeAndReceipt();
    const verified = await verifyReceipt();
    expect(verified.chain).toEqual([]);
    expect(verified.code).toBe(1);
    expect(kinds(verified.receipt)).toEqual(['consistency', 'receipt_root', 'stored_checkpoint', 'tree_rewritten']);
    expect(verified.receipt.find((f) => f.kind === 'tree_rewritten')?.message).toBe(
      `the tree tables were rewritten as well: the receipt proves the log changed within its first ${receiptSize} events, the stored leaves cannot say which`,
    );
  });

  it('refuses a receipt not signed by the given key, one a required witness did not sign, and one altered after signing', async () => {
    const other = parseSignerKey(encodeSignerKey(origin, new Uint8Array(32).fill(8)));
    if (E.isLeft(other)) throw new Error(other.left.message);
    const wrongKey = await audit(['verify', '--json', '--receipt', receiptFile, '--key', other.right.verifier.encoded]);
    expect(wrongKey.code).toBe(1);
    expect(JSON.parse(wrongKey.stdout).receipt.findings).toMatchObject([
      { kind: 'receipt_refused', message: expect.stringContaining('transparency.checkpoint_signature') },
    ]);
    const witness = parseSignerKey(encodeSignerKey('witness.banshishi.example', new Uint8Array(32).fill(9)));
    if (E.isLeft(witness)) throw new Error(witness.left.message);
    const unwitnessed = await audit([
      'verify',
      '--json',
      '--receipt',
      receiptFile,
      '--key',
      verifierKey,
      '--witness',
      witness.right.verifier.encoded,
    ]);
    expect(JSON.parse(unwitnessed.stdout).receipt.findings).toMatchObject([
      { kind: 'receipt_refused', message: expect.stringContaining('transparency.witness_signature') },
    ]);
    const text = await readFile(receiptFile, 'utf8');
    await writeFile(receiptFile, text.replace(`\n${receiptSize}\n`, `\n${receiptSize - 1}\n`));
    const altered = await verifyReceipt();
    expect(altered.receipt).toMatchObject([
      { kind: 'receipt_refused', message: expect.stringContaining('transparency.note_signature') },
    ]);
  });
});

describe('prove and verify-proof', () => {
  it('proves an event by stream@revision, and the bundle verifies offline, with no database to reach', async () => {
    const { streamId, stored } = await closedProblem();
    const bundleFile = join(folder, `${schema}.proof.json`);
    const proved = await audit(['prove', `${streamId}@2`, '--output', bundleFile]);
    expect(proved).toMatchObject({ code: 0 });
    const offline = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PGLITE_DIR: '/nonexistent' };
    const checked = await audit(['verify-proof', bundleFile, '--key', verifierKey, '--json'], offline);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({
      verified: true,
      origin,
      treeSize: receiptSize,
      leaf: { streamId, revision: 2, eventId: stored[2]!.eventId, globalPosition: stored[2]!.globalPosition },
    });
    const bundle = JSON.parse(await readFile(bundleFile, 'utf8'));
    await writeFile(bundleFile, JSON.stringify({ ...bundle, leaf: { ...bundle.leaf, revision: 3 } }));
    const tampered = await audit(['verify-proof', bundleFile, '--key', verifierKey], offline);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('refused (transparency.proof_inclusion)');
  });

  it('says it could not run (exit 2) for an event the log does not hold', async () => {
    const missing = await audit(['prove', 'problem-nowhere@0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('transparency.unknown_event');
  });
});
