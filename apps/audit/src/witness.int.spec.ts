// A witness, through the command line, on the real PostgreSQL: the operator's `consistency` prints the proof
// between two checkpoints it signed; the witness's `witness` — offline, with its own key — countersigns the later
// one only when it extends the one the witness countersigned last; readers then require the witness's signature
// with `verify --receipt --witness`. A rewritten tree signed again is refused, and nothing is countersigned.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  bytesToBase64,
  checkpointText,
  createCorePersonalDataSealer,
  encodeSignerKey,
  type NoteSigner,
  parseSignerKey,
  readWholeLogEvents,
  signNote,
} from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { pgKysely } from '@banshishi/read-models';
import { bulkLoadDemo, getPostgresEventStore, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import { connectTestDatabase, databaseUrl, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { openTransparencyLog, type TransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);

const signerOf = (name: string, fill: number): NoteSigner => {
  const parsed = parseSignerKey(encodeSignerKey(name, new Uint8Array(32).fill(fill)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
};
const origin = 'witnessed.banshishi.example/log';
const operator = signerOf(origin, 3);
const witnessName = 'witness.jiaozhou-jiwei.example';
const witnessSigner = signerOf(witnessName, 5);

let admin: Awaited<ReturnType<typeof connectTestDatabase>>;
let folder: string;
let log: TransparencyLog;
let db: ReturnType<typeof pgKysely>;
const schema = freshSchemaName('witness_events');
const tlogSchema = freshSchemaName('witness_tlog');
const keySchema = freshSchemaName('witness_keys');
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  EVENT_STORE_SCHEMA: schema,
  KEY_STORE_SCHEMA: keySchema,
  TRANSPARENCY_SCHEMA: tlogSchema,
};

const audit = async (args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts', ...args], {
      cwd: root,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};
const file = async (name: string, text: string) => {
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
};

describe('a witness countersigns through the command line', () => {
  let sizes: [number, number, number];

  beforeAll(async () => {
    admin = await connectTestDatabase();
    folder = await mkdtemp(join(tmpdir(), 'witness-'));
    const keys = await getPostgresSubjectKeyStore({ connectionString: databaseUrl, schema: keySchema });
    await bulkLoadDemo(generateDemoEvents({ seed: 5, scale: 500 }), {
      personalData: createCorePersonalDataSealer({ keys }),
      connectionString: databaseUrl,
      schema,
      limit: 600,
    });
    const store = await getPostgresEventStore({ connectionString: databaseUrl, schema, migrate: false });
    const events = await readWholeLogEvents(store);
    await store.close();
    await keys.close();
    db = pgKysely({ connectionString: databaseUrl, max: 2 });
    log = await openTransparencyLog({ db, schema: tlogSchema });
    sizes = [200, 450, events.length];
    let at = 0;
    for (const size of sizes) {
      await log.append(events.slice(at, size));
      await log.sign(operator, origin);
      at = size;
    }
    await writeFile(join(folder, 'witness.key'), `${encodeSignerKey(witnessName, new Uint8Array(32).fill(5))}\n`);
  });

  afterAll(async () => {
    await db.destroy();
    await dropSchema(admin, schema);
    await dropSchema(admin, tlogSchema);
    await dropSchema(admin, keySchema);
    await admin.end();
    await rm(folder, { recursive: true, force: true });
  });

  it('countersigns each proven extension, and readers find the witness on the receipt', async () => {
    // The witness's first checkpoint: a proof from it to itself (nothing before it to check against).
    const first = await audit(['consistency', String(sizes[0]), String(sizes[0])]);
    expect(first.code, first.stderr).toBe(0);
    const bundle0 = await file('c0.json', first.stdout);
    const witnessArgs = ['--key', operator.verifier.encoded, '--witness-key', join(folder, 'witness.key')];
    const signed0 = await audit(['witness', bundle0, ...witnessArgs]);
    expect(signed0.code, signed0.stderr).toBe(0);
    expect(signed0.stderr).toContain(
      `the log of ${sizes[0]} events extends the log of ${sizes[0]}: countersigned as ${witnessName}`,
    );
    const last = await file('witnessed-200.txt', signed0.stdout);

    const next = await audit(['consistency', String(sizes[0])]);
    expect(next.code, next.stderr).toBe(0);
    const bundle1 = await file('c1.json', next.stdout);
    const signed1 = await audit([
      'witness',
      bundle1,
      ...witnessArgs,
      '--last',
      last,
      '--output',
      join(folder, 'w.txt'),
    ]);
    expect(signed1.code, signed1.stderr).toBe(0);
    const countersigned = await readFile(join(folder, 'w.txt'), 'utf8');
    expect(countersigned.split('\n').slice(0, 2)).toEqual([origin, String(sizes[2])]);
    expect(countersigned).toMatch(new RegExp(`\\n— ${origin} .*\\n— ${witnessName.replaceAll('.', '\\.')} `));

    // A reader holding that receipt requires the witness: it holds; the operator's note alone does not.
    const held = await audit([
      'verify',
      '--receipt',
      join(folder, 'w.txt'),
      '--key',
      operator.verifier.encoded,
      '--witness',
      witnessSigner.verifier.encoded,
    ]);
    expect(held.code, held.stdout + held.stderr).toBe(0);
    const bare = await file('bare.txt', (await log.latestCheckpoint())!.signed);
    const unwitnessed = await audit([
      'verify',
      '--receipt',
      bare,
      '--key',
      operator.verifier.encoded,
      '--witness',
      witnessSigner.verifier.encoded,
    ]);
    expect(unwitnessed.code).toBe(1);
    expect(unwitnessed.stdout).toContain('transparency.witness_signature');
  });

  it('refuses a gap after what it countersigned, another history, and bad arguments, countersigning nothing', async () => {
    const witnessArgs = ['--key', operator.verifier.encoded, '--witness-key', join(folder, 'witness.key')];
    const last = await file('last-200.txt', signNote((await log.checkpointAt(sizes[0]))!.signed, [witnessSigner]));
    const gap = await file('gap.json', (await audit(['consistency', String(sizes[1])])).stdout);
    const refusedGap = await audit(['witness', gap, ...witnessArgs, '--last', last]);
    expect([refusedGap.code, refusedGap.stdout]).toEqual([1, '']);
    expect(refusedGap.stderr).toMatch(/^refused \(transparency\.witness_gap\)/);

    // The operator signs a second history of the same size: its root is not the one the proof leads to.
    const honest = JSON.parse((await audit(['consistency', String(sizes[0])])).stdout) as {
      to: string;
      proof: string[];
    };
    const other = signNote(checkpointText({ origin, size: sizes[2] ?? 0, root: new Uint8Array(32).fill(1) }), [
      operator,
    ]);
    const forged = await file(
      'forged.json',
      JSON.stringify({
        ...honest,
        from: (await log.checkpointAt(sizes[0]))!.signed,
        to: other,
        version: 'banshishi/consistency-proof/1',
      }),
    );
    const refusedFork = await audit(['witness', forged, ...witnessArgs, '--last', last]);
    expect([refusedFork.code, refusedFork.stdout]).toEqual([1, '']);
    expect(refusedFork.stderr).toMatch(/^refused \(transparency\.consistency\)/);
    expect(honest.proof.every((p) => p !== bytesToBase64(new Uint8Array(32)))).toBe(true);

    const noKey = await audit(['witness', gap, '--key', operator.verifier.encoded]);
    expect([noKey.code, noKey.stderr]).toEqual([
      2,
      "banshishi-audit witness: --witness-key: the file holding the witness's own signer key\n",
    ]);
    const badSize = await audit(['consistency', 'ten']);
    expect([badSize.code, badSize.stderr]).toEqual([
      2,
      'banshishi-audit consistency: <from-size>: expected a tree size (a whole number), got "ten"\n',
    ]);
    const unsigned = await audit(['consistency', '300']);
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toContain('transparency.unknown_checkpoint');
  });
});
