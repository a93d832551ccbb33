// `pnpm dev-token`: a bearer token for one of the embedded demo's people, signed with the embedded mode's
// secret, so the command API can be tried with curl while the main job runs. A function from decoded
// arguments to a result, and the formatters that print it; src/dev-token.ts runs it.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type DirectoryRole, decodeWith, directoryRoles } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { type DemoPerson, demoPeople } from './demo-people.js';
import { ensureEmbeddedTokenSecret } from './embedded-secret.js';
import { issueDevToken } from './tokens.js';

export const devTokenUsage = `usage:
  dev-token <personId> | --role <${directoryRoles.join('|')}> [--client <clientId>] [--ttl <hours, at most 24>] [--json]
  dev-token --list [--json]
The embedded main job's data folder and demo: PGLITE_DIR, BANSHISHI_DEMO_SEED, BANSHISHI_DEMO_SCALE.`;

/** Where the embedded main job keeps its data and which demo it seeded, named and defaulted as it does. */
export interface DevTokenEnv {
  readonly dataDir: string;
  readonly demoSeed: number;
  readonly demoScale: number;
}

const wholeNumberFromString = (min: number) =>
  new t.Type<number, string, unknown>(
    `a whole number of at least ${min}`,
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= min,
    (u, c) => {
      const n = typeof u === 'string' && /^\d{1,16}$/.test(u.trim()) ? Number(u) : Number.NaN;
      return Number.isSafeInteger(n) && n >= min
        ? t.success(n)
        : t.failure(u, c, `expected a whole number of at least ${min}, got ${JSON.stringify(u)}`);
    },
    String,
  );

const embeddedEnv = t.partial({
  PGLITE_DIR: t.string,
  BANSHISHI_DEMO_SEED: wholeNumberFromString(1),
  BANSHISHI_DEMO_SCALE: wholeNumberFromString(300),
});

const dataDirFrom = (dir: string, base: string) => (dir.includes('://') ? dir : resolve(base, dir));

/**
 * A relative PGLITE_DIR is taken from where pnpm was started (INIT_CWD), as the main job takes it: pnpm runs
 * a package's script in the package's folder, which would be another data folder and another secret.
 */
export const decodeDevTokenEnv = (
  source: Record<string, string | undefined>,
  cwd: string,
): E.Either<string, DevTokenEnv> =>
  pipe(
    decodeWith(embeddedEnv, 'env')(source),
    E.bimap(
      (error) => error.message,
      (env) => ({
        dataDir: dataDirFrom(env.PGLITE_DIR ?? '.data/banshishi', source.INIT_CWD ?? cwd),
        demoSeed: env.BANSHISHI_DEMO_SEED ?? 2021,
        demoScale: env.BANSHISHI_DEMO_SCALE ?? 3000,
      }),
    ),
  );

export type DevTokenArgs =
  | { readonly command: 'list'; readonly json: boolean }
  | {
      readonly command: 'issue';
      readonly for: { readonly personId: string } | { readonly role: string };
      readonly clientId?: string;
      readonly ttlHours: number;
      readonly json: boolean;
    };

/** The verifier's default bound on a token's lifetime (tokens.ts). */
const maxTtlHours = 24;

/** Reads the command line; Left is a usage message. */
const argOptions = {
  role: { type: 'string' },
  client: { type: 'string' },
  ttl: { type: 'string' },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const decodeDevTokenArgs = (argv: readonly string[]): E.Either<string, DevTokenArgs> => {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; strict: true; options: typeof argOptions }>>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: argOptions });
  } catch (error) {
    return E.left(`${error instanceof Error ? error.message : String(error)}\n${devTokenUsage}`);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (values.list === true)
    return positionals.length === 0 && values.role === undefined
      ? E.right({ command: 'list', json })
      : E.left(`--list takes no person or role\n${devTokenUsage}`);
  if (positionals.length + (values.role === undefined ? 0 : 1) !== 1)
    return E.left(`name one person id or one --role\n${devTokenUsage}`);
  const ttlHours = values.ttl === undefined ? 8 : Number(values.ttl);
  if (!(Number.isFinite(ttlHours) && ttlHours > 0 && ttlHours <= maxTtlHours))
    return E.left(`--ttl: expected hours above 0 and at most ${maxTtlHours}, got ${JSON.stringify(values.ttl)}`);
  return E.right({
    command: 'issue',
    for: values.role === undefined ? { personId: positionals[0]! } : { role: values.role },
    ...(values.client === undefined ? {} : { clientId: values.client }),
    ttlHours,
    json,
  });
};

export type DevTokenResult =
  | { readonly command: 'list'; readonly people: readonly DemoPerson[] }
  | {
      readonly command: 'issue';
      readonly token: string;
      readonly person: DemoPerson;
      readonly clientId?: string;
      readonly expiresAt: Date;
    };

export interface DevTokenError {
  readonly code: 'unknown_person' | 'unknown_role' | 'bad_client_id' | 'in_memory';
  readonly message: string;
}

const refuse = (code: DevTokenError['code'], message: string): E.Either<DevTokenError, never> =>
  E.left({ code, message });

const isRole = (role: string): role is DirectoryRole => (directoryRoles as readonly string[]).includes(role);
const clientIdPattern = /^[A-Za-z0-9._:@-]{1,128}$/;

export const devToken = async (
  args: DevTokenArgs,
  env: DevTokenEnv,
  now: Date = new Date(),
): Promise<E.Either<DevTokenError, DevTokenResult>> => {
  const people = demoPeople({ seed: env.demoSeed, scale: env.demoScale });
  if (args.command === 'list') return E.right({ command: 'list', people });

  const wanted = args.for;
  let person: DemoPerson | undefined;
  if ('role' in wanted) {
    if (!isRole(wanted.role))
      return refuse('unknown_role', `no role ${JSON.stringify(wanted.role)}: roles are ${directoryRoles.join(', ')}`);
    person = people.find((p) => p.role === wanted.role);
    if (person === undefined) return refuse('unknown_role', `no one in the demo holds the role ${wanted.role}`);
  } else {
    person = people.find((p) => p.personId === wanted.personId);
    if (person === undefined)
      return refuse(
        'unknown_person',
        `${JSON.stringify(wanted.personId)} is not a person of the demo (seed ${env.demoSeed}, scale ${env.demoScale}); dev-token --list shows them`,
      );
  }
  if (args.clientId !== undefined && !clientIdPattern.test(args.clientId))
    return refuse('bad_client_id', `--client: 1 to 128 of A-Z a-z 0-9 . _ : @ -, got ${JSON.stringify(args.clientId)}`);
  // An in-memory database's secret lives in the main job alone; a token signed here would never verify.
  if (env.dataDir.startsWith('memory://'))
    return refuse('in_memory', `PGLITE_DIR=${env.dataDir} keeps no token secret to sign with`);

  const secret = await ensureEmbeddedTokenSecret(env.dataDir);
  const ttlSec = Math.round(args.ttlHours * 3600);
  const token = await issueDevToken(secret, {
    personId: person.personId,
    ...(args.clientId === undefined ? {} : { clientId: args.clientId }),
    ttlSec,
    now,
  });
  return E.right({
    command: 'issue',
    token,
    person,
    ...(args.clientId === undefined ? {} : { clientId: args.clientId }),
    expiresAt: new Date((Math.floor(now.getTime() / 1000) + ttlSec) * 1000),
  });
};

/** For people: the token alone on stdout (`TOKEN=$(pnpm -s dev-token --role office)`), whom it is for on stderr. */
export const formatDevToken = (result: DevTokenResult): { readonly stdout: string; readonly stderr: string } => {
  if (result.command === 'list')
    return {
      stdout: result.people.map((p) => `${p.personId}  ${p.label}\n`).join(''),
      stderr: `${result.people.length} demo people\n`,
    };
  const client = result.clientId === undefined ? '' : `, client ${result.clientId}`;
  return {
    stdout: `${result.token}\n`,
    stderr: `token for ${result.person.personId} (${result.person.label})${client}, valid until ${result.expiresAt.toISOString()}\n`,
  };
};

/** For machines (`--json`). */
export const formatDevTokenJson = (result: DevTokenResult): string =>
  `${JSON.stringify(
    result.command === 'list'
      ? result.people
      : {
          token: result.token,
          personId: result.person.personId,
          role: result.person.role,
          unitId: result.person.unitId,
          ...(result.clientId === undefined ? {} : { clientId: result.clientId }),
          expiresAt: result.expiresAt.toISOString(),
        },
  )}\n`;
