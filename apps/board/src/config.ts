// Configuration of the board, decoded from the environment at start: a wrong value stops start-up with a
// message naming the variable. The embedded main job and the board in server mode share how they serve
// (`ServeConfig`); each adds where its data lives.
import {
  hostName,
  logLevel,
  positiveIntFromString,
  type TrustProxy,
  trustProxyFromString,
  wholeNumberFromString,
} from '@banshishi/api';
import { decodeWith, type NoteVerifier } from '@banshishi/core';
import { defaultTransparencySchema, verifierFromText } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';

export type { TrustProxy };

const serveEnv = t.partial({
  PORT: wholeNumberFromString(0, 65_535),
  HOST: hostName,
  LOG_LEVEL: logLevel,
  /** Requests per minute and client address on every public route. */
  BOARD_RATE_LIMIT: positiveIntFromString,
  BOARD_TRUST_PROXY: trustProxyFromString,
});

export interface ServeConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: t.TypeOf<typeof logLevel>;
  readonly rateLimitPerMinute: number;
  /** Which proxies in front may name the client's address (default: none, the peer is the client). */
  readonly trustProxy?: TrustProxy;
}

const demoSeeding = t.keyof({ bulk: null, deciders: null });
export type DemoSeeding = t.TypeOf<typeof demoSeeding>;

export interface EmbeddedConfig extends ServeConfig {
  /** Folder of the embedded PGlite database (events and read models). */
  readonly dataDir: string;
  readonly demoSeed: number;
  /** Roughly how many demo events to generate on first start. */
  readonly demoScale: number;
  /**
   * How the first start stores the demo: decided in memory and bulk-loaded (`bulk`, the default), or
   * command by command through the handlers (`deciders`, the old path). The same events either way.
   */
  readonly demoSeeding?: DemoSeeding;
  /** The transparency log's name: the first line of every checkpoint, and its key's name. */
  readonly transparencyOrigin: string;
  /** How often a grown transparency log is signed. */
  readonly checkpointIntervalSeconds: number;
}

/** The workbench in server mode: served when WORKBENCH_API_URL names the command API it posts through. */
export interface WorkbenchServerConfig {
  /** The command API's base, e.g. `https://api.example/api/v1`. */
  readonly apiUrl: string;
  /** Where uploaded evidence is kept (a folder every board instance shares). */
  readonly evidenceDir: string;
  /** The CSRF tokens' HMAC key: the same on every board instance. */
  readonly csrfSecret: string;
  /** Cookies marked Secure (default: yes; only `false` for plain HTTP on a private network). */
  readonly secureCookies: boolean;
}

export interface ServerConfig extends ServeConfig {
  /** The PostgreSQL holding the read models (and the event log, for the projection lag). */
  readonly databaseUrl: string;
  readonly readModelSchema: string;
  readonly eventSchema: string;
  /** Null when WORKBENCH_API_URL is not set: the board alone is served. */
  readonly workbench: WorkbenchServerConfig | null;
  /**
   * The transparency log's public key (TRANSPARENCY_VERIFIER_KEY, its text or a file holding it): the board
   * publishes the log's checkpoints and proofs only with it. Null: the pages say the log is not published.
   */
  readonly transparencyVerifier: NoteVerifier | null;
  /** The schema the checkpointer keeps the log in, beside the read models (default `transparency`). */
  readonly transparencySchema: string;
}

/** A checkpoint origin: one line, no spaces and no `+` (the key text is `<origin>+<id>+<key>`). */
const originName = t.refinement(t.string, (s) => /^[^\s+]{1,200}$/.test(s), 'a name without spaces or +');

const verifierOf = (source: Record<string, string | undefined>): Decoded<NoteVerifier | null> => {
  const text = source.TRANSPARENCY_VERIFIER_KEY;
  if (text === undefined || text.trim() === '') return E.right(null);
  return pipe(
    verifierFromText(text),
    E.mapLeft((problem) => [`env.TRANSPARENCY_VERIFIER_KEY: ${problem}`]),
  );
};

const workbenchEnv = t.partial({
  WORKBENCH_API_URL: t.refinement(
    t.string,
    (s) => /^https?:\/\/[^\s]+[^/\s]$/.test(s),
    'an http(s) URL without a trailing slash',
  ),
  WORKBENCH_EVIDENCE_DIR: t.refinement(t.string, (s) => s.trim() !== '', 'a folder'),
  WORKBENCH_CSRF_SECRET: t.refinement(t.string, (s) => s.length >= 32, 'at least 32 characters'),
  WORKBENCH_SECURE_COOKIES: t.keyof({ true: null, false: null }),
});

const workbenchOf = (c: t.TypeOf<typeof workbenchEnv>): Decoded<WorkbenchServerConfig | null> => {
  if (c.WORKBENCH_API_URL === undefined) {
    const stray = (['WORKBENCH_EVIDENCE_DIR', 'WORKBENCH_CSRF_SECRET'] as const).filter((k) => c[k] !== undefined);
    return stray.length === 0
      ? E.right(null)
      : E.left(stray.map((k) => `env.${k}: set without env.WORKBENCH_API_URL, so the workbench would not be served`));
  }
  const missing = (['WORKBENCH_EVIDENCE_DIR', 'WORKBENCH_CSRF_SECRET'] as const).filter((k) => c[k] === undefined);
  if (missing.length > 0)
    return E.left(missing.map((k) => `env.${k}: required when env.WORKBENCH_API_URL is set (the workbench is served)`));
  return E.right({
    apiUrl: c.WORKBENCH_API_URL,
    evidenceDir: c.WORKBENCH_EVIDENCE_DIR!,
    csrfSecret: c.WORKBENCH_CSRF_SECRET!,
    secureCookies: c.WORKBENCH_SECURE_COOKIES !== 'false',
  });
};

type Decoded<A> = E.Either<string[], A>;

const messagesOf = (error: { message: string; details?: Record<string, unknown> }): string[] =>
  ((error.details?.fields as { message: string }[] | undefined) ?? [error]).map((f) => f.message);

const decodeEnv = <C extends t.Mixed>(codec: C, source: Record<string, string | undefined>): Decoded<t.TypeOf<C>> =>
  pipe(decodeWith(codec, 'env')(source), E.mapLeft(messagesOf));

const serveDefaults = (c: t.TypeOf<typeof serveEnv>, defaultLogLevel: ServeConfig['logLevel']): ServeConfig => ({
  port: c.PORT ?? 3000,
  host: c.HOST ?? '127.0.0.1',
  logLevel: c.LOG_LEVEL ?? defaultLogLevel,
  rateLimitPerMinute: c.BOARD_RATE_LIMIT ?? 600,
  trustProxy: c.BOARD_TRUST_PROXY ?? false,
});

export const decodeEmbeddedConfig = (source: Record<string, string | undefined>): Decoded<EmbeddedConfig> =>
  pipe(
    decodeEnv(
      t.intersection([
        serveEnv,
        t.partial({
          PGLITE_DIR: t.string,
          BANSHISHI_DEMO_SEED: positiveIntFromString,
          BANSHISHI_DEMO_SCALE: positiveIntFromString,
          BANSHISHI_DEMO_SEEDING: demoSeeding,
          TRANSPARENCY_ORIGIN: originName,
          CHECKPOINT_INTERVAL_SECONDS: positiveIntFromString,
        }),
      ]),
      source,
    ),
    E.chain((c) =>
      c.BANSHISHI_DEMO_SCALE !== undefined && c.BANSHISHI_DEMO_SCALE < 300
        ? E.left([`env.BANSHISHI_DEMO_SCALE: the demo needs at least 300 events, got ${c.BANSHISHI_DEMO_SCALE}`])
        : E.right({
            // The main job's terminal is for people: request logs only when asked for (LOG_LEVEL=info).
            ...serveDefaults(c, 'warn'),
            dataDir: c.PGLITE_DIR ?? '.data/banshishi',
            demoSeed: c.BANSHISHI_DEMO_SEED ?? 2021,
            demoScale: c.BANSHISHI_DEMO_SCALE ?? 3000,
            demoSeeding: c.BANSHISHI_DEMO_SEEDING ?? 'bulk',
            transparencyOrigin: c.TRANSPARENCY_ORIGIN ?? defaultTransparencyOrigin,
            checkpointIntervalSeconds: c.CHECKPOINT_INTERVAL_SECONDS ?? 60,
          }),
    ),
  );

/** The embedded log's origin unless TRANSPARENCY_ORIGIN names another (docs/auditing.md). */
export const defaultTransparencyOrigin = 'banshishi.localhost/demo';

const schemaName = t.refinement(t.string, (s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'a lower-case SQL identifier');

export const decodeServerConfig = (source: Record<string, string | undefined>): Decoded<ServerConfig> =>
  pipe(
    decodeEnv(
      t.intersection([
        serveEnv,
        t.type({ DATABASE_URL: t.refinement(t.string, (s) => /^postgres(ql)?:\/\//.test(s), 'a postgres:// URL') }),
        // READ_MODELS_SCHEMA is the projector's name for it: one environment may serve both processes.
        t.partial({
          READ_MODEL_SCHEMA: schemaName,
          READ_MODELS_SCHEMA: schemaName,
          EVENT_STORE_SCHEMA: schemaName,
          TRANSPARENCY_SCHEMA: schemaName,
        }),
        workbenchEnv,
      ]),
      source,
    ),
    E.chain((c) =>
      c.READ_MODEL_SCHEMA !== undefined &&
      c.READ_MODELS_SCHEMA !== undefined &&
      c.READ_MODEL_SCHEMA !== c.READ_MODELS_SCHEMA
        ? E.left([
            `env.READ_MODEL_SCHEMA: ${JSON.stringify(c.READ_MODEL_SCHEMA)} differs from env.READ_MODELS_SCHEMA ${JSON.stringify(c.READ_MODELS_SCHEMA)}; set one`,
          ])
        : pipe(
            E.Do,
            E.apS('workbench', workbenchOf(c)),
            E.apS('transparencyVerifier', verifierOf(source)),
            E.map(({ workbench, transparencyVerifier }) => ({
              ...serveDefaults(c, 'info'),
              databaseUrl: c.DATABASE_URL,
              readModelSchema: c.READ_MODEL_SCHEMA ?? c.READ_MODELS_SCHEMA ?? 'read_models',
              eventSchema: c.EVENT_STORE_SCHEMA ?? 'event_store',
              workbench,
              transparencyVerifier,
              transparencySchema: c.TRANSPARENCY_SCHEMA ?? defaultTransparencySchema,
            })),
          ),
    ),
  );
