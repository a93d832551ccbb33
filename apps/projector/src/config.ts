// The projector's configuration, decoded once at start from the command line and the environment. A
// wrong value stops start-up with a message naming the variable or argument and what it should be.
import type { NoteSigner } from '@banshishi/core';
import { projectionNames } from '@banshishi/read-models';
import { signerFromEnv } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';

export type EventSource =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string }
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly schema: string }
  | { readonly kind: 'esdb'; readonly url: string; readonly namespace: string | undefined };

export type ReadModelTarget =
  | { readonly kind: 'postgres'; readonly url: string }
  /** The same PGlite folder as the events: one embedded database holds both. */
  | { readonly kind: 'pglite'; readonly dataDir: string };

/** The transparency log (docs/auditing.md): on when a signer key is configured. */
export interface TransparencyConfig {
  readonly signer: NoteSigner;
  /** The checkpoints' first line; the key's name. */
  readonly origin: string;
  readonly schema: string;
  readonly intervalMs: number;
  /** Where each checkpoint is also written as a file; none when unset. */
  readonly checkpointDir: string | undefined;
}

export interface ProjectorConfig {
  /** run: follow the log; rebuild: rebuild the projections; checkpoint: bring the tree up to date, sign, print. */
  readonly command: 'run' | 'rebuild' | 'checkpoint';
  readonly projections: readonly string[];
  readonly events: EventSource;
  readonly readModels: ReadModelTarget;
  readonly readModelSchema: string;
  readonly batchSize: number;
  /** 0 turns the /metrics endpoint off. */
  readonly metricsPort: number;
  /** One progress log line per this many batches of each projection. */
  readonly logEveryBatches: number;
  readonly logLevel: string;
  /** null: no signer key configured, no transparency log kept. */
  readonly transparency: TransparencyConfig | null;
}

export const usage = `usage: projector [run|rebuild] [projection …] | projector checkpoint | projector new-key <origin> <file>
  projections: ${projectionNames.join(', ')} (default: all)
environment:
  DATABASE_URL          postgres://… for events and read models; unset: embedded PGlite in PGLITE_DIR
  EVENTS_URL            postgres://…, esdb://… or pglite:<folder>; default DATABASE_URL
  READ_MODELS_URL       postgres://… ; default DATABASE_URL (PGlite events: the same PGlite folder)
  PGLITE_DIR            default .data/banshishi
  EVENT_STORE_SCHEMA    default event_store        READ_MODELS_SCHEMA  default read_models
  ESDB_NAMESPACE        optional
  BATCH_SIZE            1–10000, default 500       METRICS_PORT        0–65535, default 9464 (0: off)
  LOG_EVERY_BATCHES     ≥ 1, default 20            LOG_LEVEL           default info
the transparency log (kept in the read-model database; off unless a signer key is set):
  TRANSPARENCY_KEY_FILE or TRANSPARENCY_SIGNER_KEY   the Ed25519 signer key (PRIVATE+KEY+<origin>+<id>+<base64>)
  TRANSPARENCY_ORIGIN   default the key's name     TRANSPARENCY_SCHEMA default transparency
  CHECKPOINT_INTERVAL_SECONDS 1–86400, default 300 CHECKPOINT_DIR      optional: also write checkpoints as files`;

type Env = Readonly<Record<string, string | undefined>>;

const integer = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
  if (raw === undefined || raw === '') return E.right(fallback);
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max
    ? E.right(n)
    : E.left(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
};

const identifier = (name: string, raw: string | undefined, fallback: string) => {
  const value = raw === undefined || raw === '' ? fallback : raw;
  return /^[a-z_][a-z0-9_]{0,40}$/.test(value)
    ? E.right(value)
    : E.left(`${name}: expected a lower-case SQL identifier, got ${JSON.stringify(value)}`);
};

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Decodes argv (without node and script) and the environment; Left carries every problem found. */
export const decodeConfig = (argv: readonly string[], env: Env): E.Either<readonly string[], ProjectorConfig> => {
  const problems: string[] = [];
  const take = <A>(result: E.Either<string, A>, fallback: A): A => {
    if (E.isLeft(result)) {
      problems.push(result.left);
      return fallback;
    }
    return result.right;
  };
  const args = [...argv];
  let command: ProjectorConfig['command'] = 'run';
  if (args[0] === 'run' || args[0] === 'rebuild' || args[0] === 'checkpoint')
    command = args.shift() as ProjectorConfig['command'];
  if (command === 'checkpoint' && args.length > 0)
    problems.push(`argument ${args[0]}: checkpoint takes no projections (it signs the transparency log)`);
  const named = args.flatMap((a) => a.split(',')).filter((a) => a !== '');
  for (const n of named) {
    if (n.startsWith('-')) problems.push(`argument ${n}: options are set through the environment\n${usage}`);
    else if (!projectionNames.includes(n as never))
      problems.push(`projection ${JSON.stringify(n)}: expected one of ${projectionNames.join(', ')}`);
  }
  const projections = named.length === 0 ? [...projectionNames] : [...new Set(named)];

  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl))
    problems.push(`DATABASE_URL: expected postgres://…, got ${JSON.stringify(databaseUrl)}`);
  const pgliteDir = env.PGLITE_DIR === undefined || env.PGLITE_DIR === '' ? '.data/banshishi' : env.PGLITE_DIR;
  const eventSchema = take(identifier('EVENT_STORE_SCHEMA', env.EVENT_STORE_SCHEMA, 'event_store'), 'event_store');
  const eventsUrl = env.EVENTS_URL === undefined || env.EVENTS_URL === '' ? databaseUrl : env.EVENTS_URL;
  let events: EventSource = { kind: 'pglite', dataDir: pgliteDir, schema: eventSchema };
  if (eventsUrl !== undefined) {
    if (isPostgresUrl(eventsUrl)) events = { kind: 'postgres', url: eventsUrl, schema: eventSchema };
    else if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//.test(eventsUrl))
      events = { kind: 'esdb', url: eventsUrl, namespace: env.ESDB_NAMESPACE || undefined };
    else if (eventsUrl.startsWith('pglite:') && eventsUrl.length > 'pglite:'.length)
      events = { kind: 'pglite', dataDir: eventsUrl.slice('pglite:'.length), schema: eventSchema };
    else
      problems.push(`EVENTS_URL: expected postgres://…, esdb://… or pglite:<folder>, got ${JSON.stringify(eventsUrl)}`);
  }
  const readUrl = env.READ_MODELS_URL === undefined || env.READ_MODELS_URL === '' ? databaseUrl : env.READ_MODELS_URL;
  let readModels: ReadModelTarget;
  if (readUrl !== undefined) {
    if (!isPostgresUrl(readUrl))
      problems.push(`READ_MODELS_URL: expected postgres://…, got ${JSON.stringify(readUrl)}`);
    readModels = { kind: 'postgres', url: readUrl };
  } else if (events.kind === 'pglite') {
    readModels = { kind: 'pglite', dataDir: events.dataDir };
  } else {
    problems.push('READ_MODELS_URL: required when events are not in embedded PGlite (or set DATABASE_URL)');
    readModels = { kind: 'pglite', dataDir: pgliteDir };
  }

  let transparency: TransparencyConfig | null = null;
  const signer = signerFromEnv(env);
  if (E.isLeft(signer)) problems.push(signer.left);
  else if (signer.right !== null) {
    const origin =
      env.TRANSPARENCY_ORIGIN === undefined || env.TRANSPARENCY_ORIGIN === ''
        ? signer.right.name
        : env.TRANSPARENCY_ORIGIN;
    if (origin !== signer.right.name)
      problems.push(
        `TRANSPARENCY_ORIGIN: the signer key is named ${JSON.stringify(signer.right.name)}, not ${JSON.stringify(origin)}: a checkpoint's origin is its key's name`,
      );
    const seconds = take(integer('CHECKPOINT_INTERVAL_SECONDS', env.CHECKPOINT_INTERVAL_SECONDS, 300, 1, 86_400), 300);
    transparency = {
      signer: signer.right,
      origin,
      schema: take(identifier('TRANSPARENCY_SCHEMA', env.TRANSPARENCY_SCHEMA, 'transparency'), 'transparency'),
      intervalMs: seconds * 1000,
      checkpointDir: env.CHECKPOINT_DIR === undefined || env.CHECKPOINT_DIR === '' ? undefined : env.CHECKPOINT_DIR,
    };
  } else if (command === 'checkpoint')
    problems.push('TRANSPARENCY_KEY_FILE or TRANSPARENCY_SIGNER_KEY: checkpoint needs the signer key');

  const config: ProjectorConfig = {
    command,
    projections,
    events,
    readModels,
    readModelSchema: take(identifier('READ_MODELS_SCHEMA', env.READ_MODELS_SCHEMA, 'read_models'), 'read_models'),
    batchSize: take(integer('BATCH_SIZE', env.BATCH_SIZE, 500, 1, 10_000), 500),
    metricsPort: take(integer('METRICS_PORT', env.METRICS_PORT, 9464, 0, 65_535), 9464),
    logEveryBatches: take(integer('LOG_EVERY_BATCHES', env.LOG_EVERY_BATCHES, 20, 1, 1_000_000), 20),
    logLevel: env.LOG_LEVEL === undefined || env.LOG_LEVEL === '' ? 'info' : env.LOG_LEVEL,
    transparency,
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel))
    problems.push(
      `LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent, got ${JSON.stringify(config.logLevel)}`,
    );
  return problems.length > 0 ? E.left(problems) : E.right(config);
};
