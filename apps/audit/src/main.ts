// The auditor's command line (纪检, 督查, the leading-group office): `banshishi-audit <command>`, or
// `pnpm run audit <command>` from the repository root (docs/auditing.md). Exit status: 0 clean, 1 findings
// (or differences, or a refusal), 2 could not run (bad arguments, no such stream, no database).

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  auditForgetting,
  createCorePersonalDataSealer,
  createDirectoryViewBuilder,
  type DomainError,
  type EventStore,
  isIsoTimestamp,
  type NoteVerifier,
  type PersonalDataSealer,
  type Role,
  readWholeLog,
  recordPersonalDataAccess,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { exportCommand, parseExportArgs } from './export.js';
import { buildHistory, historyLines } from './history.js';
import { resolveStream } from './lifecycles.js';
import { progress } from './progress.js';
import { runVerifyReadModels } from './read-models.js';
import { checkReceipt, type ReceiptReport, receiptLines } from './receipt.js';
import { replayStream } from './replay.js';
import { type AuditConfig, decodeAuditConfig, type Opened, openSource } from './sources.js';
import { readStateAt, type StateQuery, stateLines, withSealedMarked } from './state.js';
import {
  bundleText,
  checkProof,
  latestReceipt,
  parseLocator,
  proofVerdictJson,
  proofVerdictLines,
  proveOne,
  readText,
  readVerifier,
  type Unavailable,
} from './transparency.js';
import { type AuditReport, verifyEventLog } from './verify.js';
import { consistencyOf, consistencyText, countersign, readWitnessKey } from './witness.js';

const usage = `usage: banshishi-audit <command> [options]        (from the repository root: pnpm run audit <command>)
  verify [--json] [--receipt <file> [--key <verifier key | file>] [--origin <origin>] [--witness <key | file> …]]
      every check of the log (hash chains, heads, positions, transaction ids, categories, payloads), every stream
      replayed through its decider, and the key store held to the recorded forgettings; with a receipt, the
      transparency tree rebuilt from today's log must extend the one the receipt signed, and what changed is named
      (the key: --key, else TRANSPARENCY_VERIFIER_KEY, else <PGLITE_DIR>/transparency/verifier.key)
  checkpoint [--output <file>]
      the latest signed checkpoint of the transparency log, exactly as signed: the receipt an auditor keeps
  prove <event id | stream@revision> [--output <file>]
      the event's inclusion proof against the latest checkpoint, as one JSON bundle
  verify-proof <bundle.json> --key <verifier key | file> [--origin <origin>] [--json]
          [--witness <key | file> … [--checkpoint <countersigned note file>]]
      checks a proof bundle offline (no database): the checkpoint's signature (and each witness's, on the bundle's
      checkpoint or the same checkpoint countersigned, given beside it), the leaf, the audit path
  consistency <from-size> [<to-size>] [--output <file>]
      the consistency proof between two signed checkpoints (default: to the latest), both notes with it, as JSON
  witness <consistency.json> --key <log's verifier key | file> --witness-key <signer key file> [--last <note file>]
          [--origin <origin>] [--output <file>]
      offline: a witness checks that the later checkpoint extends the earlier (the one it countersigned last, if
      --last) and countersigns it; prints the note with both signatures
  verify-read-models [--json] [<projection> …]
      rebuilds each projection from the log into a scratch schema and lists every row the live tables differ in
  history <stream | item id> [--from <time>] [--to <time>] [--json]
          [--include-personal-data --purpose "…" --as <personId> [--role auditor|office] [--unit <unitId>]]
      the stream verified, then who did what and when, in which role, and whether they held it then
  state <stream | item id> (--as-of <time> [--by occurred|recorded] | --at-revision <n>) [--json]
      the item as it stood at that moment, folded from its events
  export --from <time> --to <time> --format jsonl|csv [--streams <id|prefix*|category,…>] [--output <file>]
          [--include-ciphertext | --include-personal-data --purpose "…" --as <personId> [--role auditor|office] [--unit <unitId>]]
      events recorded in [from, to) with their envelopes, for an external audit
times are ISO-8601 with an offset (2025-06-30T23:59:59+08:00)
the log: EVENTS_URL (postgres://…, esdb://…, pglite:<folder>), else DATABASE_URL, else PGLITE_DIR
(default .data/banshishi); EVENT_STORE_SCHEMA, KEY_STORE_SCHEMA, READ_MODELS_URL, READ_MODELS_SCHEMA;
the transparency log: in the read-model database, schema TRANSPARENCY_SCHEMA (default transparency)`;

/** A refusal of the arguments, naming the flag: exit 2, nothing read or written. */
class UsageError extends Error {}

const fail = (message: string): never => {
  throw new UsageError(message);
};

const time = (flag: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (!isIsoTimestamp(value)) fail(`--${flag}: expected an ISO-8601 time with an offset, got ${JSON.stringify(value)}`);
  return value;
};

const print = (json: boolean, value: unknown, lines: readonly string[]) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${lines.join('\n')}\n`);

const refusal = (json: boolean, error: DomainError): number => {
  if (json) process.stdout.write(`${JSON.stringify({ refused: error }, null, 2)}\n`);
  else process.stderr.write(`refused (${error.rule}): ${error.message}\n`);
  return error.code === 'validation' ? 2 : 1;
};

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

// ---- verify ------------------------------------------------------------------------------------------------

interface ReceiptOptions {
  readonly text: string;
  readonly key: NoteVerifier;
  readonly origin?: string;
  readonly witnesses: readonly NoteVerifier[];
}

const verify = async (opened: Opened, json: boolean, withReceipt?: ReceiptOptions): Promise<number> => {
  const log = await opened.auditLog();
  let report: AuditReport;
  const total = json || log.count === undefined ? undefined : (await log.count()).events;
  const bar = progress('verified events', total, { quiet: json });
  try {
    report = await verifyEventLog(log, { replay: replayStream, onProgress: (_streams, events) => bar.update(events) });
  } finally {
    bar.stop();
    await log.close();
  }
  const keys = await keyStoreAudit(opened);
  let receipt: ReceiptReport | undefined;
  if (withReceipt !== undefined)
    receipt = await checkReceipt(
      {
        store: opened.store,
        log: await opened.transparency(),
        key: withReceipt.key,
        witnesses: withReceipt.witnesses,
        ...(withReceipt.origin === undefined ? {} : { origin: withReceipt.origin }),
      },
      withReceipt.text,
    );
  const clean = report.findings.length === 0 && (keys === null || keys.clean) && (receipt?.findings.length ?? 0) === 0;
  const altered = new Set(report.findings.map((f) => f.streamId)).size;
  print(json, { clean, ...report, keyStore: keys, ...(receipt === undefined ? {} : { receipt }) }, [
    `verified ${report.streams} streams, ${report.events} events`,
    ...report.findings.map((f) => `ALTERED  ${f.kind}  ${f.message}`),
    report.findings.length === 0
      ? 'every stream verifies, and every step is one a command could make'
      : `${count(report.findings.length, 'finding')} in ${count(altered, 'stream')}: the log is not what was written`,
    ...(keys === null
      ? ['key store: none here (nothing was ever sealed in this database)']
      : [
          ...keys.unrecorded.map(
            (t) =>
              `ALTERED  forgotten_without_record  ${t.subject}: key destroyed at ${t.forgottenAt}, no SubjectForgotten in the log`,
          ),
          ...keys.notCarriedOut.map(
            (r) =>
              `ALTERED  forgetting_not_carried_out  ${r.subject}: recorded at ${r.streamId}@${r.revision}, its key is still held`,
          ),
          keys.clean
            ? `key store: ${keys.recorded} forgettings recorded, each carried out, no key destroyed without a record`
            : 'key store: it does not match the forgettings the log records',
        ]),
    ...(receipt === undefined ? [] : receiptLines(receipt)),
  ]);
  return clean ? 0 : 1;
};

// The key store held to the log (docs/privacy.md): every destroyed key has its SubjectForgotten record, and
// every record its destroyed key.
const keyStoreAudit = async (opened: Opened) => {
  const keys = await opened.keys();
  if (keys === null) return null;
  const audit = await auditForgetting({ store: opened.store, keys });
  return { ...audit, clean: audit.unrecorded.length === 0 && audit.notCarriedOut.length === 0 };
};

// ---- personal data on request --------------------------------------------------------------------------------

/**
 * The sealer for a read of personal data, after checking that `--as` names a person who holds the auditor's or
 * the office's role now; every reveal through it is recorded in the log before a value is opened.
 */
const personalDataReader = async (
  opened: Opened,
  values: Record<string, string | boolean | undefined>,
): Promise<{ sealer: PersonalDataSealer; actor: { personId: string; role: Role; unitId?: string } }> => {
  const purpose = typeof values.purpose === 'string' ? values.purpose.trim() : '';
  if (purpose === '') fail('--purpose: say why personal data is read; it is recorded with the read');
  const personId = typeof values.as === 'string' ? values.as : '';
  if (personId === '') fail('--as: say who reads (a person id of the directory, holding the auditor or office role)');
  const role = (typeof values.role === 'string' ? values.role : 'auditor') as Role;
  if (role !== 'auditor' && role !== 'office') fail(`--role: expected auditor or office, got ${JSON.stringify(role)}`);
  const unitId = typeof values.unit === 'string' ? values.unit : undefined;
  const builder = createDirectoryViewBuilder();
  for await (const events of readWholeLog(opened.store, { categories: ['unit', 'person'] })) builder.apply(events);
  const holding = builder
    .viewAt()
    .rolesOf(personId)
    .find((h) => h.role === role && (unitId === undefined || h.unitId === unitId));
  if (holding === undefined)
    fail(`--as: ${personId} holds no ${role} role${unitId === undefined ? '' : ` in ${unitId}`} in the directory now`);
  const keys = await opened.keys();
  if (keys === null) fail('--include-personal-data: this database holds no key store, so nothing is sealed to open');
  const sealer: PersonalDataSealer = createCorePersonalDataSealer({
    keys: keys!,
    onReveal: recordPersonalDataAccess({ store: opened.store, sealer: () => sealer }),
  });
  return { sealer, actor: { personId, role, unitId: holding!.unitId } };
};

// ---- history and state ---------------------------------------------------------------------------------------

const streamNamed = async (store: EventStore, target: string | undefined): Promise<string> => {
  if (target === undefined || target === '') return fail('give a stream id (problem-…) or an item id');
  const streamId = await resolveStream(store, target);
  if (streamId === undefined) return fail(`no stream holds an event for ${JSON.stringify(target)}`);
  return streamId;
};

const history = async (opened: Opened, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      'include-personal-data': { type: 'boolean', default: false },
      purpose: { type: 'string' },
      as: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
    },
  });
  const from = time('from', values.from);
  const to = time('to', values.to);
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to))
    fail('--from: must not be after --to');
  if (!values['include-personal-data'] && (values.purpose !== undefined || values.as !== undefined))
    fail('--purpose and --as go with --include-personal-data');
  const streamId = await streamNamed(opened.store, positionals[0]);
  let reveal: Parameters<typeof buildHistory>[0]['reveal'];
  if (values['include-personal-data']) {
    const reader = await personalDataReader(opened, values);
    reveal = {
      sealer: reader.sealer,
      purpose: { code: 'audit_review', statement: String(values.purpose).trim(), actor: reader.actor },
    };
  }
  const built = await buildHistory(
    {
      store: opened.store,
      auditStream: (id) => opened.auditStream(id),
      ...(reveal === undefined ? {} : { reveal }),
    },
    streamId,
    { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
  );
  if (E.isLeft(built)) return refusal(values.json, built.left);
  print(values.json, built.right, historyLines(built.right));
  return built.right.verified ? 0 : 1;
};

const state = async (opened: Opened, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
      'at-revision': { type: 'string' },
      by: { type: 'string', default: 'occurred' },
      json: { type: 'boolean', default: false },
    },
  });
  const asOf = time('as-of', values['as-of']);
  const atRevision = values['at-revision'];
  if ((asOf === undefined) === (atRevision === undefined)) fail('give one of --as-of <time> or --at-revision <n>');
  if (values.by !== 'occurred' && values.by !== 'recorded')
    fail(`--by: expected occurred (business time) or recorded (store time), got ${JSON.stringify(values.by)}`);
  let query: StateQuery;
  if (atRevision !== undefined) {
    const n = Number(atRevision);
    if (!/^\d+$/.test(atRevision) || !Number.isSafeInteger(n))
      fail(`--at-revision: expected a revision (0, 1, …), got ${JSON.stringify(atRevision)}`);
    query = { atRevision: n };
  } else query = { asOf: asOf!, by: values.by as 'occurred' | 'recorded' };
  const streamId = await streamNamed(opened.store, positionals[0]);
  const at = await readStateAt(opened.store, streamId, query);
  if (E.isLeft(at)) return refusal(values.json, at.left);
  print(values.json, { ...at.right, state: withSealedMarked(at.right.state) }, stateLines(at.right));
  return 0;
};

// ---- the transparency log -------------------------------------------------------------------------------------

const unavailable = (command: string, why: Unavailable): number => {
  process.stderr.write(`banshishi-audit ${command}: ${why.message} (${why.rule})\n`);
  return 2;
};

/** The text to stdout, or to a file with a line on stderr saying so. */
const emit = async (text: string, output: string | undefined, what: string) => {
  if (output === undefined) process.stdout.write(text);
  else {
    await writeFile(output, text);
    process.stderr.write(`${what} written to ${output}\n`);
  }
};

const checkpoint = async (opened: Opened, schema: string, argv: string[]): Promise<number> => {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string' } } });
  const receipt = await latestReceipt(await opened.transparency(), schema);
  if (E.isLeft(receipt)) return unavailable('checkpoint', receipt.left);
  await emit(receipt.right, values.output, 'the latest checkpoint');
  return 0;
};

const prove = async (opened: Opened, schema: string, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string' } },
  });
  const locator = parseLocator(positionals[0]);
  if (E.isLeft(locator)) return fail(locator.left);
  const bundle = await proveOne(await opened.transparency(), schema, locator.right);
  if (E.isLeft(bundle)) return unavailable('prove', bundle.left);
  await emit(bundleText(bundle.right), values.output, 'the inclusion proof');
  return 0;
};

/** Offline: reads the bundle and the key, opens no database. */
const verifyProof = (argv: string[]): number => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      origin: { type: 'string' },
      witness: { type: 'string', multiple: true },
      checkpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] === undefined) fail('give the proof bundle file (what `prove --output` wrote)');
  if (values.key === undefined) fail("--key: the log's verifier key (<origin>+<id>+<base64>) or a file holding it");
  const key = readVerifier(values.key!);
  if (E.isLeft(key)) return fail(key.left);
  const text = readText(positionals[0]!, 'the bundle');
  if (E.isLeft(text)) return fail(text.left);
  let checkpoint: string | undefined;
  if (values.checkpoint !== undefined) {
    const note = readText(values.checkpoint, '--checkpoint');
    if (E.isLeft(note)) return fail(note.left);
    checkpoint = note.right;
  }
  const verdict = checkProof(text.right, key.right, {
    witnesses: witnessKeys(values.witness),
    ...(values.origin === undefined ? {} : { origin: values.origin }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
  print(values.json, proofVerdictJson(verdict), proofVerdictLines(verdict));
  return verdict.verified ? 0 : 1;
};

const consistency = async (opened: Opened, schema: string, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string' } },
  });
  const size = (text: string | undefined, what: string) =>
    text === undefined
      ? undefined
      : /^(0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text))
        ? Number(text)
        : fail(`${what}: expected a tree size (a whole number), got ${JSON.stringify(text)}`);
  if (positionals.length === 0 || positionals.length > 2)
    fail('give the size of the earlier checkpoint (and of the later one; default the latest)');
  const bundle = await consistencyOf(
    await opened.transparency(),
    schema,
    size(positionals[0], '<from-size>')!,
    size(positionals[1], '<to-size>'),
  );
  if (E.isLeft(bundle)) return unavailable('consistency', bundle.left);
  await emit(consistencyText(bundle.right), values.output, 'the consistency proof');
  return 0;
};

/** Offline: the witness checks a consistency bundle with the log's key and countersigns its later checkpoint. */
const witness = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'witness-key': { type: 'string' },
      last: { type: 'string' },
      origin: { type: 'string' },
      output: { type: 'string' },
    },
  });
  if (positionals[0] === undefined) fail('give the consistency bundle file (what `consistency --output` wrote)');
  if (values.key === undefined) fail("--key: the log's verifier key (<origin>+<id>+<base64>) or a file holding it");
  if (values['witness-key'] === undefined) fail("--witness-key: the file holding the witness's own signer key");
  const key = readVerifier(values.key!);
  if (E.isLeft(key)) return fail(key.left);
  const signer = readWitnessKey(values['witness-key']!);
  if (E.isLeft(signer)) return fail(signer.left);
  const text = readText(positionals[0]!, 'the bundle');
  if (E.isLeft(text)) return fail(text.left);
  let last: string | undefined;
  if (values.last !== undefined) {
    const note = readText(values.last, '--last');
    if (E.isLeft(note)) return fail(note.left);
    last = note.right;
  }
  const done = countersign({
    bundleText: text.right,
    logKey: key.right,
    witness: signer.right,
    ...(last === undefined ? {} : { lastWitnessed: last }),
    ...(values.origin === undefined ? {} : { origin: values.origin }),
  });
  if (E.isLeft(done)) {
    process.stderr.write(`refused (${done.left.rule}): ${done.left.message}\n`);
    return 1;
  }
  const { from, to } = done.right.verified;
  process.stderr.write(
    `the log of ${to.size} events extends the log of ${from.size}: countersigned as ${signer.right.name}\n`,
  );
  await emit(done.right.countersigned, values.output, 'the countersigned checkpoint');
  return 0;
};

const witnessKeys = (given: readonly string[] | undefined): NoteVerifier[] =>
  (given ?? []).map((text) => {
    const key = readVerifier(text, '--witness');
    return E.isLeft(key) ? fail(key.left) : key.right;
  });

/** The receipt and the key `verify --receipt` holds it to, read before anything is opened. */
const receiptOptions = (
  values: { receipt?: string; key?: string; origin?: string; witness?: string[] },
  config: AuditConfig,
): ReceiptOptions | undefined => {
  if (values.receipt === undefined) {
    if (values.key !== undefined || values.origin !== undefined || values.witness !== undefined)
      fail('--key, --origin and --witness go with --receipt');
    return undefined;
  }
  const embedded =
    config.events.kind === 'pglite' ? join(config.events.dataDir, 'transparency', 'verifier.key') : undefined;
  const [flag, keyText] =
    values.key !== undefined
      ? ['--key', values.key]
      : process.env.TRANSPARENCY_VERIFIER_KEY
        ? ['TRANSPARENCY_VERIFIER_KEY', process.env.TRANSPARENCY_VERIFIER_KEY]
        : embedded !== undefined && existsSync(embedded)
          ? [embedded, embedded]
          : fail("--key: give the log's verifier key (or its file), or set TRANSPARENCY_VERIFIER_KEY");
  const key = readVerifier(keyText!, flag);
  if (E.isLeft(key)) return fail(key.left);
  const text = readText(values.receipt, '--receipt');
  if (E.isLeft(text)) return fail(text.left);
  return {
    text: text.right,
    key: key.right,
    witnesses: witnessKeys(values.witness),
    ...(values.origin === undefined ? {} : { origin: values.origin }),
  };
};

// ---- dispatch ------------------------------------------------------------------------------------------------

const commands = [
  'verify',
  'verify-read-models',
  'history',
  'state',
  'export',
  'checkpoint',
  'prove',
  'verify-proof',
  'consistency',
  'witness',
] as const;

const usageFailure = (command: string, error: unknown): number => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`banshishi-audit ${command}: ${(error as Error).message}\n`);
    return 2;
  }
  throw error;
};

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return command === undefined ? 2 : 0;
  }
  if (!commands.includes(command as never)) {
    process.stderr.write(`banshishi-audit: no command ${JSON.stringify(command)}\n${usage}\n`);
    return 2;
  }
  if (command === 'verify-proof') {
    try {
      return verifyProof(rest);
    } catch (error) {
      return usageFailure(command, error);
    }
  }
  if (command === 'witness') {
    try {
      return await witness(rest);
    } catch (error) {
      return usageFailure(command, error);
    }
  }
  const config = decodeAuditConfig(process.env);
  if (E.isLeft(config)) {
    for (const problem of config.left) process.stderr.write(`banshishi-audit: ${problem}\n`);
    return 2;
  }
  // verify's receipt and key are read before the log is opened: a bad argument costs no database.
  let verifyArgs: { json: boolean; receipt?: ReceiptOptions } | undefined;
  if (command === 'verify')
    try {
      const { values } = parseArgs({
        args: rest,
        options: {
          json: { type: 'boolean', default: false },
          receipt: { type: 'string' },
          key: { type: 'string' },
          origin: { type: 'string' },
          witness: { type: 'string', multiple: true },
        },
      });
      const receipt = receiptOptions(values, config.right);
      verifyArgs = { json: values.json, ...(receipt === undefined ? {} : { receipt }) };
    } catch (error) {
      return usageFailure(command, error);
    }
  let opened: Opened;
  try {
    opened = await openSource(config.right);
  } catch (error) {
    process.stderr.write(
      `banshishi-audit: could not open the log: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  try {
    switch (command) {
      case 'verify':
        return await verify(opened, verifyArgs!.json, verifyArgs!.receipt);
      case 'checkpoint':
        return await checkpoint(opened, config.right.transparencySchema, rest);
      case 'prove':
        return await prove(opened, config.right.transparencySchema, rest);
      case 'consistency':
        return await consistency(opened, config.right.transparencySchema, rest);
      case 'verify-read-models':
        return await runVerifyReadModels(opened, rest);
      case 'history':
        return await history(opened, rest);
      case 'state':
        return await state(opened, rest);
      case 'export': {
        const options = parseExportArgs(rest);
        if (E.isLeft(options)) return fail(options.left.message);
        const keys = await opened.keys();
        // The bar only when the export goes to a file: on stdout it would share the terminal with the rows.
        const bar = progress('exported events', undefined, { quiet: options.right.output === undefined });
        try {
          return await exportCommand(
            { store: opened.store, ...(keys === null ? {} : { keys }), onProgress: (n) => bar.update(n) },
            options.right,
            { stdout: process.stdout, stderr: process.stderr },
          );
        } finally {
          bar.stop();
        }
      }
      default:
        return fail(`${command}: no such command`);
    }
  } catch (error) {
    return usageFailure(command, error);
  } finally {
    await opened.close();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`banshishi-audit: could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
