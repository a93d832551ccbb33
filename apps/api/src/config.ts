// Configuration of the command API, decoded from the environment at start: how tokens are verified, which
// client apps may record acts made offline, the Open311 intake clients, and the limits. A wrong value
// stops start-up with a message naming the variable. The embedded main job and the API in server mode
// share it; server mode adds where its data lives (server-config.ts).
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeWith } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { positiveIntFromString, type TrustProxy, trustProxyFromString, wholeNumberFromString } from './env.js';
import type { ApiLimits, Integration } from './http/app.js';
import { defaultApiLimits } from './http/app.js';

export interface TokenConfig {
  /** HS256 shared secret (at least 32 bytes); the embedded mode makes one in its data folder. */
  readonly secret?: Uint8Array;
  /** A JSON Web Key Set in a local file, or published by the city's single sign-on. */
  readonly jwksFile?: string;
  readonly jwksUrl?: URL;
  readonly issuer?: string;
  readonly audience?: string;
}

export interface Open311ClientConfig {
  readonly name: string;
  readonly apiKey: string;
  /** The intake account the client's requests are recorded by: an office holder in the directory. */
  readonly personId: string;
}

export interface ApiConfig {
  readonly tokens: TokenConfig;
  readonly integrations: Readonly<Record<string, Integration>>;
  readonly open311Clients: readonly Open311ClientConfig[];
  /** A JSON file of the ground each unit covers (`[{ "unitId", "bbox": [minLong, minLat, maxLong, maxLat] }]`). */
  readonly open311AreasFile?: string;
  readonly limits: ApiLimits;
  readonly trustProxy: TrustProxy;
}

const clientId = /^[A-Za-z0-9._:-]{1,64}$/;

/** `grid-app:72,hotline:24`: client ids and the hours into the past their acts may be dated. */
const integrationsFromString = new t.Type<Readonly<Record<string, Integration>>, string, unknown>(
  'client:hours pairs',
  (u): u is Readonly<Record<string, Integration>> => typeof u === 'object' && u !== null,
  (u, c) => {
    const s = typeof u === 'string' ? u.trim() : '';
    if (s === '') return t.success({});
    const out: Record<string, Integration> = {};
    for (const pair of s.split(',')) {
      const m = /^\s*([^:\s]+):(\d{1,4})\s*$/.exec(pair);
      const hours = m === null ? Number.NaN : Number(m[2]);
      if (m === null || !clientId.test(m[1]!) || hours < 1 || hours > 24 * 90)
        return t.failure(
          u,
          c,
          `expected client:hours pairs such as grid-app:72 (1 to 2160 hours), got ${JSON.stringify(pair)}`,
        );
      out[m[1]!] = { maxBackdateMs: hours * 3_600_000 };
    }
    return t.success(out);
  },
  String,
);

const Open311Clients = t.array(
  t.type({
    name: t.refinement(t.string, (s) => s.trim().length > 0 && s.length <= 100, 'a name'),
    apiKey: t.refinement(
      t.string,
      (s) => /^[\x21-\x7e]{24,200}$/.test(s),
      'an api key of at least 24 printable characters',
    ),
    personId: t.refinement(t.string, (s) => clientId.test(s), 'a person id'),
  }),
);

const open311ClientsFromString = new t.Type<readonly Open311ClientConfig[], string, unknown>(
  'a JSON list of {name, apiKey, personId}',
  (u): u is readonly Open311ClientConfig[] => Array.isArray(u),
  (u, c) => {
    if (typeof u !== 'string' || u.trim() === '') return t.success([]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(u);
    } catch {
      return t.failure(u, c, 'expected a JSON list of {"name", "apiKey", "personId"}, got text that is not JSON');
    }
    const decoded = Open311Clients.decode(parsed);
    return E.isRight(decoded)
      ? t.success(decoded.right)
      : t.failure(u, c, 'expected a JSON list of {"name", "apiKey" (at least 24 characters), "personId"}');
  },
  JSON.stringify,
);

const secretFromString = new t.Type<Uint8Array, string, unknown>(
  'a secret of at least 32 bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    const bytes = typeof u === 'string' ? new TextEncoder().encode(u) : new Uint8Array();
    return bytes.length >= 32 ? t.success(bytes) : t.failure(u, c, 'expected a secret of at least 32 bytes');
  },
  (b) => new TextDecoder().decode(b),
);

const httpUrl = new t.Type<URL, string, unknown>(
  'an http(s) URL',
  (u): u is URL => u instanceof URL,
  (u, c) => {
    try {
      const url = new URL(typeof u === 'string' ? u : '');
      return url.protocol === 'https:' || url.protocol === 'http:'
        ? t.success(url)
        : t.failure(u, c, 'expected an http(s) URL');
    } catch {
      return t.failure(u, c, `expected an http(s) URL, got ${JSON.stringify(u)}`);
    }
  },
  String,
);

const apiEnv = t.partial({
  API_JWT_SECRET: secretFromString,
  API_JWKS_FILE: t.refinement(t.string, (s) => s.trim() !== '', 'a file path'),
  API_JWKS_URL: httpUrl,
  API_JWT_ISSUER: t.string,
  API_JWT_AUDIENCE: t.string,
  API_INTEGRATIONS: integrationsFromString,
  API_OPEN311_CLIENTS: open311ClientsFromString,
  API_OPEN311_AREAS_FILE: t.refinement(t.string, (s) => s.trim() !== '', 'a file path'),
  API_BODY_LIMIT: wholeNumberFromString(1024, 10 * 1024 * 1024),
  API_RATE_LIMIT_PER_ADDRESS: positiveIntFromString,
  API_RATE_LIMIT_PER_TOKEN: positiveIntFromString,
  API_TRUST_PROXY: trustProxyFromString,
});

const messagesOf = (error: { message: string; details?: Record<string, unknown> }): string[] =>
  ((error.details?.fields as { message: string }[] | undefined) ?? [error]).map((f) => f.message);

/**
 * The API's configuration. Server mode needs exactly one way to verify tokens; the embedded mode may name
 * none, and then signs with the secret in its data folder (`embeddedSecret`).
 */
export const decodeApiConfig = (
  source: Record<string, string | undefined>,
  mode: { readonly embeddedSecret?: Uint8Array },
): E.Either<string[], ApiConfig> =>
  pipe(
    decodeWith(apiEnv, 'env')(source),
    E.mapLeft(messagesOf),
    E.chain((c) => {
      const ways = [c.API_JWT_SECRET, c.API_JWKS_FILE, c.API_JWKS_URL].filter((w) => w !== undefined).length;
      if (ways > 1)
        return E.left(['env.API_JWT_SECRET, API_JWKS_FILE, API_JWKS_URL: set one way to verify tokens, not several']);
      if (ways === 0 && mode.embeddedSecret === undefined)
        return E.left([
          'env.API_JWT_SECRET: set it (or API_JWKS_FILE, or API_JWKS_URL): the API needs a way to verify tokens',
        ]);
      const secret = c.API_JWT_SECRET ?? (ways === 0 ? mode.embeddedSecret : undefined);
      return E.right({
        tokens: {
          ...(secret === undefined ? {} : { secret }),
          ...(c.API_JWKS_FILE === undefined ? {} : { jwksFile: c.API_JWKS_FILE }),
          ...(c.API_JWKS_URL === undefined ? {} : { jwksUrl: c.API_JWKS_URL }),
          ...(c.API_JWT_ISSUER === undefined ? {} : { issuer: c.API_JWT_ISSUER }),
          ...(c.API_JWT_AUDIENCE === undefined ? {} : { audience: c.API_JWT_AUDIENCE }),
        },
        integrations: c.API_INTEGRATIONS ?? {},
        open311Clients: c.API_OPEN311_CLIENTS ?? [],
        ...(c.API_OPEN311_AREAS_FILE === undefined ? {} : { open311AreasFile: c.API_OPEN311_AREAS_FILE }),
        limits: {
          bodyBytes: c.API_BODY_LIMIT ?? defaultApiLimits.bodyBytes,
          perAddressPerMinute: c.API_RATE_LIMIT_PER_ADDRESS ?? defaultApiLimits.perAddressPerMinute,
          perTokenPerMinute: c.API_RATE_LIMIT_PER_TOKEN ?? defaultApiLimits.perTokenPerMinute,
        },
        trustProxy: c.API_TRUST_PROXY ?? false,
      });
    }),
  );

const ServiceAreas = t.array(
  t.type({ unitId: t.string, bbox: t.tuple([t.number, t.number, t.number, t.number]) }),
  'a list of {unitId, bbox: [minLong, minLat, maxLong, maxLat]}',
);

/** Reads the Open311 service areas file named by API_OPEN311_AREAS_FILE; a wrong file stops start-up. */
export const readServiceAreas = async (
  file: string | undefined,
): Promise<readonly { unitId: string; bbox: readonly [number, number, number, number] }[]> => {
  if (file === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`env.API_OPEN311_AREAS_FILE: cannot read JSON from ${file} (${(error as Error).message})`);
  }
  const decoded = ServiceAreas.decode(parsed);
  if (E.isLeft(decoded)) throw new Error(`env.API_OPEN311_AREAS_FILE: ${file} is not ${ServiceAreas.name}`);
  return decoded.right;
};

/**
 * The embedded mode's one Open311 client, the demo's 12345 hotline: its key derived from the token secret,
 * so it stays the same across restarts and differs between installations.
 */
export const embeddedOpen311Client = (secret: Uint8Array, personId: string): Open311ClientConfig => ({
  name: '12345 热线（演示）',
  apiKey: createHmac('sha256', secret).update('banshishi open311 demo client').digest('base64url'),
  personId,
});
