// Configuration of the board, decoded from the environment at start: a wrong value stops start-up with a
// message naming the variable. The embedded main job and the board in server mode share how they serve
// (`ServeConfig`); each adds where its data lives.
import { isIP } from 'node:net';
import { decodeWith } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';

const wholeNumberFromString = (min: number, max: number) =>
  new t.Type<number, string, unknown>(
    `a whole number from ${min} to ${max}`,
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= min && u <= max,
    (u, c) => {
      const n = typeof u === 'string' && /^\d{1,16}$/.test(u.trim()) ? Number(u) : Number.NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max
        ? t.success(n)
        : t.failure(u, c, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(u)}`);
    },
    String,
  );

const positiveIntFromString = wholeNumberFromString(1, Number.MAX_SAFE_INTEGER);
const logLevel = t.keyof({ fatal: null, error: null, warn: null, info: null, debug: null, trace: null, silent: null });
/** Loopback, a host name or an address: no scheme, path or spaces. */
const hostName = t.refinement(t.string, (s) => /^[A-Za-z0-9.:[\]-]{1,253}$/.test(s), 'a host name or address');

/** Express's `trust proxy`: off, a number of proxy hops, or the proxies' addresses (never "every proxy"). */
export type TrustProxy = false | number | string;

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (s: string) => {
  if (proxyNames.has(s)) return true;
  const [address, prefix, ...rest] = s.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Behind a reverse proxy every request comes from the proxy's address, so the per-client rate limit
 * would throttle all readers as one. Trusting the proxy lets the client's address come from
 * X-Forwarded-For; trusting every hop (`true`) would let any client name its own address and escape
 * the limit, so it is refused: say how many proxies there are, or which addresses they have.
 */
const trustProxyFromString = new t.Type<TrustProxy, string, unknown>(
  'off, a number of proxy hops, or proxy addresses',
  (u): u is TrustProxy => u === false || typeof u === 'number' || typeof u === 'string',
  (u, c) => {
    const s = typeof u === 'string' ? u.trim() : '';
    if (s === '' || s === 'false' || s === 'off' || s === '0') return t.success(false);
    if (/^\d{1,2}$/.test(s) && Number(s) <= 10) return t.success(Number(s));
    const parts = s.split(',').map((p) => p.trim());
    return parts.every(isProxyAddress)
      ? t.success(parts.join(','))
      : t.failure(
          u,
          c,
          `expected off, a number of proxy hops from 1 to 10, or proxy addresses (loopback, 10.0.0.0/8, …), got ${JSON.stringify(u)}`,
        );
  },
  String,
);

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

export interface EmbeddedConfig extends ServeConfig {
  /** Folder of the embedded PGlite database (events and read models). */
  readonly dataDir: string;
  readonly demoSeed: number;
  /** Roughly how many demo events to generate on first start. */
  readonly demoScale: number;
}

export interface ServerConfig extends ServeConfig {
  /** The PostgreSQL holding the read models (and the event log, for the projection lag). */
  readonly databaseUrl: string;
  readonly readModelSchema: string;
  readonly eventSchema: string;
}

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
          }),
    ),
  );

const schemaName = t.refinement(t.string, (s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'a lower-case SQL identifier');

export const decodeServerConfig = (source: Record<string, string | undefined>): Decoded<ServerConfig> =>
  pipe(
    decodeEnv(
      t.intersection([
        serveEnv,
        t.type({ DATABASE_URL: t.refinement(t.string, (s) => /^postgres(ql)?:\/\//.test(s), 'a postgres:// URL') }),
        // READ_MODELS_SCHEMA is the projector's name for it: one environment may serve both processes.
        t.partial({ READ_MODEL_SCHEMA: schemaName, READ_MODELS_SCHEMA: schemaName, EVENT_STORE_SCHEMA: schemaName }),
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
        : E.right({
            ...serveDefaults(c, 'info'),
            databaseUrl: c.DATABASE_URL,
            readModelSchema: c.READ_MODEL_SCHEMA ?? c.READ_MODELS_SCHEMA ?? 'read_models',
            eventSchema: c.EVENT_STORE_SCHEMA ?? 'event_store',
          }),
    ),
  );
