// `audit export`: the events of a time range with their envelopes, for an external audit, as JSON lines or
// CSV. Personal fields are withheld unless the exporter asks for them with a purpose; that access is recorded
// in the log (PersonalDataRevealed, `access-<subject>`) before a byte is written (docs/auditing.md, "Export").
// The log is read page by page, so a log of millions of events is never held in memory.
// The range is store time (recordedAt), not business time: the store sets it, so nobody can date an act into
// or out of an audited period, and an export of a closed range says the same tomorrow (an offline act recorded
// late has an old occurredAt, and would change an export by business time after it was handed over).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  type Actor,
  canonicalEncode,
  categoryOf,
  createCorePersonalDataSealer,
  createDirectoryViewBuilder,
  type DomainError,
  type EventStore,
  forbidden,
  integrityError,
  invalidState,
  isForgottenPlaceholder,
  isIsoTimestamp,
  isSealedValue,
  type PersonalDataAccess,
  type PersonalDataSealer,
  type PositionedEvent,
  personalDataMarkers,
  privacyRules,
  type RevealPurpose,
  readWholeLog,
  recordPersonalDataAccess,
  type SubjectKeyStore,
  validationError,
} from '@banshishi/core';
import { stringify } from 'csv-stringify/sync';
import * as E from 'fp-ts/lib/Either.js';
import { withholdClearFields } from './withheld.js';

export type ExportFormat = 'jsonl' | 'csv';

/** `problem-42` one stream, `problem-4*` streams whose id starts so, `problem` (no dash) a whole category. */
export type StreamSelector =
  | { readonly kind: 'stream'; readonly streamId: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'category'; readonly category: string };

export type ExporterRole = 'auditor' | 'office';

/**
 * What happens to sealed personal values:
 * - `withheld`: each shows the `sealed` marker (or `forgotten` where the subject's key is destroyed);
 * - `ciphertext`: each is written as stored, so an outside verifier can recompute every hash; the cipher
 *   text opens with nothing the export holds;
 * - `revealed`: in the clear, after the access is recorded for each subject, by an auditor or the office.
 */
export type PersonalDataMode =
  | { readonly mode: 'withheld' }
  | { readonly mode: 'ciphertext' }
  | {
      readonly mode: 'revealed';
      readonly purpose: string;
      readonly exporter: { readonly personId: string; readonly role?: ExporterRole; readonly unitId?: string };
    };

export interface ExportOptions {
  /** Store time (`recordedAt`), inclusive. */
  readonly from: string;
  /** Store time (`recordedAt`), exclusive: consecutive exports `a..b`, `b..c` hold every event once. */
  readonly to: string;
  /** Absent: every stream. */
  readonly streams?: readonly StreamSelector[];
  readonly format: ExportFormat;
  readonly personalData: PersonalDataMode;
  /** For `exportCommand`: write here (through a temporary name) instead of stdout. */
  readonly output?: string;
}

export interface ExportDeps {
  readonly store: EventStore;
  /** Needed to reveal; without it, withheld values all show the `sealed` marker. */
  readonly keys?: SubjectKeyStore;
  /** Now, for the exporter's roles and the time of the access records (default the system clock). */
  readonly clock?: () => Date;
  /** Events per read of the log (default 2000). */
  readonly pageSize?: number;
  /** Told of the events written so far, after each page (the command line's progress bar). */
  readonly onProgress?: (written: number) => void;
}

export interface ExportSummary {
  readonly events: number;
  /** Data subjects whose personal data was revealed (each has its PersonalDataRevealed). */
  readonly subjectsRevealed: number;
  /** The exporter as recorded, when personal data was revealed. */
  readonly exporter?: Actor;
}

export const exportRules = {
  invalidFlag: 'audit.export.invalid_flag',
  notAuditor: 'audit.export.not_auditor_or_office',
  noKeyStore: 'audit.export.no_key_store',
  accessNotRecorded: 'audit.export.access_not_recorded',
} as const;

export const exportColumns = [
  'eventId',
  'type',
  'schemaVersion',
  'streamId',
  'revision',
  'globalPosition',
  'occurredAt',
  'recordedAt',
  'actor.personId',
  'actor.role',
  'actor.unitId',
  'correlationId',
  'causationId',
  'prevHash',
  'hash',
  'data',
] as const;

// ---- arguments --------------------------------------------------------------------------------------------

const flagError = (flag: string, problem: string): DomainError =>
  validationError(exportRules.invalidFlag, `${flag}: ${problem}`, { flag, fields: [flag.replace(/^--/, '')] });

const timeShape = 'an ISO-8601 time with an offset (2026-12-01T09:30:00+08:00)';

const parseSelectors = (text: string): E.Either<DomainError, StreamSelector[]> => {
  const entries = text.split(',').map((s) => s.trim());
  const out: StreamSelector[] = [];
  for (const entry of entries) {
    if (entry === '' || entry === '*')
      return E.left(
        flagError('--streams', 'expected stream ids, prefixes (problem-4*) or categories, comma-separated'),
      );
    const star = entry.indexOf('*');
    if (star >= 0 && star !== entry.length - 1)
      return E.left(flagError('--streams', `"${entry}": a * may only end a prefix`));
    out.push(
      star >= 0
        ? { kind: 'prefix', prefix: entry.slice(0, -1) }
        : entry.includes('-')
          ? { kind: 'stream', streamId: entry }
          : { kind: 'category', category: entry },
    );
  }
  return E.right(out);
};

const optionNames = {
  from: 'string',
  to: 'string',
  streams: 'string',
  format: 'string',
  output: 'string',
  purpose: 'string',
  as: 'string',
  role: 'string',
  unit: 'string',
  'include-personal-data': 'boolean',
  'include-ciphertext': 'boolean',
} as const;

/** Decodes the arguments after `export`; a refusal names the flag. */
export const parseExportArgs = (argv: readonly string[]): E.Either<DomainError, ExportOptions> => {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(Object.entries(optionNames).map(([k, type]) => [k, { type }])) as Record<
        string,
        { type: 'string' | 'boolean' }
      >,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    // node:util names the flag in its message: "Unknown option '--foo'", "Option '--from <value>' argument missing".
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    return E.left(validationError(exportRules.invalidFlag, `${flag}: ${message}`, { flag, fields: [flag] }));
  }
  const text = (name: keyof typeof optionNames) => values[name] as string | undefined;

  const time = (flag: 'from' | 'to'): E.Either<DomainError, string> => {
    const value = text(flag);
    if (value === undefined) return E.left(flagError(`--${flag}`, `required, ${timeShape}`));
    return isIsoTimestamp(value)
      ? E.right(value)
      : E.left(flagError(`--${flag}`, `expected ${timeShape}, got ${JSON.stringify(value)}`));
  };
  const from = time('from');
  if (E.isLeft(from)) return from;
  const to = time('to');
  if (E.isLeft(to)) return to;
  if (Date.parse(from.right) > Date.parse(to.right)) return E.left(flagError('--to', 'must not be before --from'));

  const format = text('format');
  if (format !== 'jsonl' && format !== 'csv')
    return E.left(
      flagError('--format', `expected jsonl or csv, got ${format === undefined ? 'nothing' : JSON.stringify(format)}`),
    );

  const streamsText = text('streams');
  const streams = streamsText === undefined ? E.right(undefined) : parseSelectors(streamsText);
  if (E.isLeft(streams)) return streams;

  const output = text('output');
  if (output !== undefined && output.trim() === '') return E.left(flagError('--output', 'expected a file name'));

  const personal = values['include-personal-data'] === true;
  const ciphertext = values['include-ciphertext'] === true;
  let personalData: PersonalDataMode;
  if (personal) {
    if (ciphertext)
      return E.left(
        flagError('--include-ciphertext', 'not with --include-personal-data (the values are in the clear)'),
      );
    const purpose = text('purpose');
    if (purpose === undefined || purpose.trim() === '')
      return E.left(flagError('--purpose', 'required with --include-personal-data: say in words why the data is read'));
    const personId = text('as');
    if (personId === undefined || personId.trim() === '')
      return E.left(flagError('--as', 'required with --include-personal-data: the person id of the auditor exporting'));
    const role = text('role');
    if (role !== undefined && role !== 'auditor' && role !== 'office')
      return E.left(flagError('--role', `expected auditor or office, got ${JSON.stringify(role)}`));
    const unitId = text('unit');
    personalData = {
      mode: 'revealed',
      purpose: purpose.trim(),
      exporter: {
        personId,
        ...(role === undefined ? {} : { role }),
        ...(unitId === undefined ? {} : { unitId }),
      },
    };
  } else {
    for (const flag of ['purpose', 'as', 'role', 'unit'] as const)
      if (text(flag) !== undefined) return E.left(flagError(`--${flag}`, 'only with --include-personal-data'));
    personalData = { mode: ciphertext ? 'ciphertext' : 'withheld' };
  }

  return E.right({
    from: from.right,
    to: to.right,
    format,
    personalData,
    ...(streams.right === undefined ? {} : { streams: streams.right }),
    ...(output === undefined ? {} : { output }),
  });
};

// ---- selection ----------------------------------------------------------------------------------------------

const selects = (selectors: readonly StreamSelector[] | undefined) => {
  if (selectors === undefined) return () => true;
  return (streamId: string) =>
    selectors.some((s) =>
      s.kind === 'stream'
        ? streamId === s.streamId
        : s.kind === 'prefix'
          ? streamId.startsWith(s.prefix)
          : categoryOf(streamId) === s.category,
    );
};

/** The categories to ask the store for, when every selector lies within one (so the store filters, not us). */
const categoriesOf = (selectors: readonly StreamSelector[] | undefined): string[] | undefined => {
  if (selectors === undefined) return undefined;
  const out = new Set<string>();
  for (const s of selectors) {
    if (s.kind === 'category') out.add(s.category);
    else if (s.kind === 'stream') out.add(categoryOf(s.streamId));
    else if (s.prefix.includes('-')) out.add(categoryOf(s.prefix));
    else return undefined;
  }
  return [...out];
};

// ---- payloads -----------------------------------------------------------------------------------------------

/** Every sealed value of a stored payload, by subject. */
const subjectsIn = (data: unknown, found: Set<string> = new Set()): Set<string> => {
  if (isSealedValue(data)) found.add(data.subject);
  else if (Array.isArray(data)) for (const item of data) subjectsIn(item, found);
  else if (typeof data === 'object' && data !== null) for (const item of Object.values(data)) subjectsIn(item, found);
  return found;
};

const mapValues = (data: unknown, f: (v: unknown) => unknown | undefined): unknown => {
  const replaced = f(data);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(data)) return data.map((item) => mapValues(item, f));
  if (typeof data === 'object' && data !== null)
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, mapValues(v, f)]));
  return data;
};

interface Row {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly data: unknown;
}

const rowOf = (event: PositionedEvent, data: unknown): Row => ({
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  streamId: event.streamId,
  revision: event.revision,
  globalPosition: event.globalPosition,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  actor: event.actor,
  correlationId: event.correlationId,
  causationId: event.causationId,
  prevHash: event.prevHash,
  hash: event.hash,
  data,
});

const encodeRows = (rows: readonly Row[], format: ExportFormat, header = false): string => {
  if (format === 'jsonl') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  return stringify(
    rows.map((r) => [
      r.eventId,
      r.type,
      r.schemaVersion,
      r.streamId,
      r.revision,
      r.globalPosition,
      r.occurredAt,
      r.recordedAt,
      r.actor.personId,
      r.actor.role,
      r.actor.unitId ?? '',
      r.correlationId,
      r.causationId,
      r.prevHash,
      r.hash,
      canonicalEncode(r.data),
    ]),
    { header, columns: [...exportColumns] },
  );
};

const write = async (out: Writable, chunk: string): Promise<void> => {
  if (chunk === '') return;
  if (!out.write(chunk)) await once(out, 'drain');
};

// ---- the export ---------------------------------------------------------------------------------------------

/** The exporter as an Actor, if they hold the auditor or the office role now (in `unitId`, when given). */
const exporterNow = async (
  store: EventStore,
  exporter: Extract<PersonalDataMode, { mode: 'revealed' }>['exporter'],
  now: string,
): Promise<E.Either<DomainError, Actor>> => {
  const builder = createDirectoryViewBuilder();
  for await (const events of readWholeLog(store, { categories: ['unit', 'person'] })) builder.apply(events);
  const roles: readonly ExporterRole[] = exporter.role === undefined ? ['auditor', 'office'] : [exporter.role];
  const holding = builder
    .viewAt(now)
    .rolesOf(exporter.personId)
    .find(
      (h) =>
        (roles as readonly string[]).includes(h.role) &&
        (exporter.unitId === undefined || h.unitId === exporter.unitId),
    );
  if (holding === undefined)
    return E.left(
      forbidden(
        exportRules.notAuditor,
        `${exporter.personId} holds no ${roles.join(' or ')} role${exporter.unitId === undefined ? '' : ` in ${exporter.unitId}`} at ${now}: only an auditor or the office exports personal data`,
        { personId: exporter.personId, roles, at: now },
      ),
    );
  return E.right({ personId: exporter.personId, role: holding.role as ExporterRole, unitId: holding.unitId });
};

/** Subjects per call of the recorder: its per-subject filter over the events is quadratic in one call. */
const recordChunk = 25;
const recordersAtOnce = 8;

/**
 * Writes the events recorded in [from, to) of the selected streams to `out`, in log order. With personal
 * data, first reads the range once to find whose sealed values it holds, records each subject's access, and
 * only then writes, stopping at the last event that first reading saw (the access records it appended, and
 * anything appended since, are not part of this export). Nothing is written when the exporter is refused
 * or a record fails.
 */
export const exportEvents = async (
  deps: ExportDeps,
  options: ExportOptions,
  out: Writable,
): Promise<E.Either<DomainError, ExportSummary>> => {
  const clock = deps.clock ?? (() => new Date());
  const pageSize = deps.pageSize ?? 2000;
  const from = Date.parse(options.from);
  const to = Date.parse(options.to);
  const selected = selects(options.streams);
  const categories = categoriesOf(options.streams);
  const inRange = (e: PositionedEvent) => {
    const t = Date.parse(e.recordedAt);
    return t >= from && t < to && selected(e.streamId);
  };
  const pages = () =>
    readWholeLog(deps.store, { batchSize: pageSize, ...(categories === undefined ? {} : { categories }) });
  const mode = options.personalData;
  const keys = deps.keys;

  let last = Number.POSITIVE_INFINITY;
  let subjectsRevealed = 0;
  let exporter: Actor | undefined;
  // Reveals without recording: pass 1 records every subject of the range before pass 2 reveals any.
  let revealing: { readonly sealer: PersonalDataSealer; readonly purpose: RevealPurpose } | undefined;

  if (mode.mode === 'revealed') {
    if (keys === undefined)
      return E.left(invalidState(exportRules.noKeyStore, 'revealing personal data needs the key store'));
    const revealer = createCorePersonalDataSealer({ keys });
    const now = clock().toISOString();
    const actor = await exporterNow(deps.store, mode.exporter, now);
    if (E.isLeft(actor)) return actor;
    exporter = actor.right;

    // Pass 1: which events of the range hold whose sealed values.
    const bySubject = new Map<string, PersonalDataAccess['events'][number][]>();
    last = Number.NEGATIVE_INFINITY;
    for await (const events of pages())
      for (const event of events) {
        if (!inRange(event)) continue;
        last = event.globalPosition;
        for (const subject of subjectsIn(event.data)) {
          const list = bySubject.get(subject) ?? [];
          list.push({
            streamId: event.streamId,
            revision: event.revision,
            eventId: event.eventId,
            subjects: [subject],
          });
          bySubject.set(subject, list);
        }
      }
    const subjects = [...bySubject.keys()];
    // A subject with neither key nor tombstone cannot be revealed; refuse before recording (recording would
    // make them a fresh key).
    for (let i = 0; i < subjects.length; i += 1000) {
      const chunk = subjects.slice(i, i + 1000);
      const states = await keys.lookup(chunk);
      const lost = chunk.find((s) => !states.has(s));
      if (lost !== undefined) {
        const at = bySubject.get(lost)?.[0];
        return E.left(
          integrityError(
            privacyRules.keyMissing,
            `${at?.streamId}@${at?.revision}: data subject ${lost} has no key and was never forgotten`,
            { streamId: at?.streamId, revision: at?.revision, subject: lost },
          ),
        );
      }
    }
    const record = recordPersonalDataAccess({ store: deps.store, sealer: () => revealer, clock });
    const purpose: RevealPurpose = { code: 'audit_export', statement: mode.purpose, actor: exporter };
    // Each subject's record is an append to its own stream: a few at a time, or a large export waits on
    // one round trip per subject.
    let next = 0;
    const failures: unknown[] = [];
    const recordSome = async (): Promise<void> => {
      for (let i = next; i < subjects.length && failures.length === 0; i = next) {
        next += recordChunk;
        const chunk = subjects.slice(i, i + recordChunk);
        try {
          await record({ purpose, subjects: chunk, events: chunk.flatMap((s) => bySubject.get(s) ?? []) });
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: recordersAtOnce }, recordSome));
    const [error] = failures;
    if (failures.length > 0) {
      return E.left(
        invalidState(
          exportRules.accessNotRecorded,
          `the access to personal data could not be recorded, so nothing was exported: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    subjectsRevealed = subjects.length;
    revealing = { sealer: revealer, purpose };
  }

  // Which subjects are forgotten, for the withheld modes (looked up once per subject, page by page).
  const forgotten = new Map<string, boolean>();
  const learnForgotten = async (events: readonly PositionedEvent[]) => {
    if (keys === undefined) return;
    const unknown = new Set<string>();
    for (const e of events) for (const s of subjectsIn(e.data)) if (!forgotten.has(s)) unknown.add(s);
    if (unknown.size === 0) return;
    const states = await keys.lookup([...unknown]);
    for (const s of unknown) forgotten.set(s, states.get(s)?.state === 'forgotten');
  };

  const dataOf = (event: PositionedEvent, data: unknown): unknown => {
    if (mode.mode === 'revealed')
      return mapValues(withholdClearFields(event, data), (v) =>
        isForgottenPlaceholder(v) ? personalDataMarkers.forgotten : undefined,
      );
    if (mode.mode === 'ciphertext') return withholdClearFields(event, data);
    return mapValues(withholdClearFields(event, data), (v) =>
      isSealedValue(v)
        ? forgotten.get(v.subject) === true
          ? personalDataMarkers.forgotten
          : personalDataMarkers.sealed
        : undefined,
    );
  };

  // Pass 2 (the only one without personal data): write.
  let written = 0;
  if (options.format === 'csv') await write(out, encodeRows([], 'csv', true));
  for await (const events of pages()) {
    const page = events.filter((e) => e.globalPosition <= last && inRange(e));
    if (page.length > 0) {
      let shown: readonly PositionedEvent[] = page;
      if (revealing !== undefined) {
        // The access of every subject in here was recorded above; this sealer records nothing again.
        const revealed = await revealing.sealer.reveal(page, revealing.purpose);
        if (E.isLeft(revealed)) return revealed;
        shown = revealed.right;
      } else if (mode.mode === 'withheld') await learnForgotten(page);
      await write(
        out,
        encodeRows(
          shown.map((e, i) => rowOf(page[i]!, dataOf(page[i]!, e.data))),
          options.format,
        ),
      );
      written += page.length;
      deps.onProgress?.(written);
    }
    if (events[events.length - 1]!.globalPosition >= last) break;
  }
  return E.right({ events: written, subjectsRevealed, ...(exporter === undefined ? {} : { exporter }) });
};

// ---- the command --------------------------------------------------------------------------------------------

export interface ExportIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export const summaryLine = (options: ExportOptions, summary: ExportSummary): string =>
  `exported ${summary.events} event${summary.events === 1 ? '' : 's'} recorded from ${options.from} to ${options.to} (${options.format})` +
  (options.personalData.mode === 'revealed'
    ? `; personal data of ${summary.subjectsRevealed} subject${summary.subjectsRevealed === 1 ? '' : 's'} revealed, recorded as PersonalDataRevealed by ${summary.exporter?.personId} (${summary.exporter?.role})`
    : options.personalData.mode === 'ciphertext'
      ? '; personal data as stored ciphertext'
      : '; personal data withheld');

/**
 * `audit export` once its arguments are decoded: writes to stdout, or to `--output` through a temporary name
 * in the same folder renamed at the end (a failed export leaves no file, and an older file of that name as it
 * was). The summary goes to stderr. Exit status: 0 exported, 1 refused or failed (the rule is printed), 2 bad
 * arguments. On stdout, a failure after the first page (a sealed value that does not open) leaves the pages
 * before it written: use --output where a half export must not be taken for a whole one.
 */
export const exportCommand = async (deps: ExportDeps, options: ExportOptions, io: ExportIo): Promise<number> => {
  const refuse = (error: DomainError): number => {
    io.stderr.write(`export refused (${error.rule}): ${error.message}\n`);
    return error.code === 'validation' ? 2 : 1;
  };
  if (options.output === undefined) {
    const result = await exportEvents(deps, options, io.stdout);
    if (E.isLeft(result)) return refuse(result.left);
    io.stderr.write(`${summaryLine(options, result.right)}\n`);
    return 0;
  }
  const target = options.output;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  const file = createWriteStream(temporary, { flags: 'wx' });
  try {
    await once(file, 'open');
  } catch (error) {
    return refuse(
      validationError(
        exportRules.invalidFlag,
        `--output: cannot write next to ${target}: ${error instanceof Error ? error.message : String(error)}`,
        { flag: '--output', fields: ['output'] },
      ),
    );
  }
  let done = false;
  try {
    const result = await exportEvents(deps, options, file);
    if (E.isLeft(result)) return refuse(result.left);
    file.end();
    await once(file, 'finish');
    await rename(temporary, target);
    done = true;
    io.stderr.write(`${summaryLine(options, result.right)}\n`);
    return 0;
  } finally {
    if (!done) {
      file.destroy();
      await unlink(temporary).catch(() => {});
    }
  }
};

/**
 * The whole `audit export <args>`: decodes the arguments (a bad one is named on stderr, exit 2, and the
 * store is never opened), opens the store and keys with `open`, exports, closes them.
 */
export const runExport = async (
  argv: readonly string[],
  open: () => Promise<ExportDeps & { close(): Promise<void> }>,
  io: ExportIo,
): Promise<number> => {
  const options = parseExportArgs(argv);
  if (E.isLeft(options)) {
    io.stderr.write(`${options.left.message}\n${exportUsage}\n`);
    return 2;
  }
  const deps = await open();
  try {
    return await exportCommand(deps, options.right, io);
  } finally {
    await deps.close();
  }
};

export const exportUsage =
  'usage: audit export --from <time> --to <time> --format jsonl|csv [--streams <id,prefix*,category…>] [--output <file>]\n' +
  '         [--include-ciphertext | --include-personal-data --purpose "…" --as <personId> [--role auditor|office] [--unit <unitId>]]\n' +
  '       times are store time (recordedAt), ISO-8601 with an offset; --from inclusive, --to exclusive';
