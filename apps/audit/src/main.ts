// The auditor's command line (纪检, 督查, the leading-group office): `banshishi-audit <command>`, or
// `pnpm run audit <command>` from the repository root (docs/auditing.md). Exit status: 0 clean, 1 findings
// (or differences, or a refusal), 2 could not run (bad arguments, no such stream, no database).
import { parseArgs } from 'node:util';
import {
  auditForgetting,
  createCorePersonalDataSealer,
  createDirectoryViewBuilder,
  type DomainError,
  type EventStore,
  isIsoTimestamp,
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
import { replayStream } from './replay.js';
import { decodeAuditConfig, type Opened, openSource } from './sources.js';
import { readStateAt, type StateQuery, stateLines, withSealedMarked } from './state.js';
import { type AuditReport, verifyEventLog } from './verify.js';

const usage = `usage: banshishi-audit <command> [options]        (from the repository root: pnpm run audit <command>)
  verify [--json]
      every check of the log (hash chains, heads, positions, transaction ids, categories, payloads), every stream
      replayed through its decider, and the key store held to the recorded forgettings
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
(default .data/banshishi); EVENT_STORE_SCHEMA, KEY_STORE_SCHEMA, READ_MODELS_URL, READ_MODELS_SCHEMA`;

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

const verify = async (opened: Opened, json: boolean): Promise<number> => {
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
  const clean = report.findings.length === 0 && (keys === null || keys.clean);
  const altered = new Set(report.findings.map((f) => f.streamId)).size;
  print(json, { clean, ...report, keyStore: keys }, [
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

// ---- dispatch ------------------------------------------------------------------------------------------------

const commands = ['verify', 'verify-read-models', 'history', 'state', 'export'] as const;

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
  const config = decodeAuditConfig(process.env);
  if (E.isLeft(config)) {
    for (const problem of config.left) process.stderr.write(`banshishi-audit: ${problem}\n`);
    return 2;
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
      case 'verify': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
        return await verify(opened, values.json);
      }
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
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`banshishi-audit ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
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
