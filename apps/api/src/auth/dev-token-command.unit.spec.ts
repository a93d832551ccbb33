import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoOfficeHolder, demoPeople } from './demo-people.js';
import {
  type DevTokenArgs,
  type DevTokenEnv,
  decodeDevTokenArgs,
  decodeDevTokenEnv,
  devToken,
  formatDevToken,
  formatDevTokenJson,
} from './dev-token-command.js';
import { ensureEmbeddedTokenSecret } from './embedded-secret.js';
import { createTokenVerifier } from './tokens.js';

const argsOf = (...argv: string[]): DevTokenArgs => {
  const decoded = decodeDevTokenArgs(argv);
  if (E.isLeft(decoded)) throw new Error(decoded.left);
  return decoded.right;
};

const demo = { seed: 2021, scale: 3000 };

describe('the dev-token command', () => {
  let env: DevTokenEnv;
  beforeEach(async () => {
    env = { dataDir: await mkdtemp(join(tmpdir(), 'banshishi-dev-token-')), demoSeed: 2021, demoScale: 3000 };
  });
  afterEach(() => rm(env.dataDir, { recursive: true, force: true }));

  it('issues for --role office a token the embedded secret verifies to the office holder', async () => {
    const result = await devToken(argsOf('--role', 'office', '--client', 'curl'), env);
    if (E.isLeft(result) || result.right.command !== 'issue') throw new Error('expected a token');
    const verify = createTokenVerifier({
      keys: { kind: 'secret', secret: await ensureEmbeddedTokenSecret(env.dataDir) },
    });
    const principal = await verify(`Bearer ${result.right.token}`);
    expect(E.isRight(principal) && principal.right).toMatchObject({
      personId: demoOfficeHolder(demo).personId,
      clientId: 'curl',
    });
  });

  it('prints the token alone on stdout and whom it is for on stderr', async () => {
    const now = new Date('2026-01-01T08:00:00Z');
    const result = await devToken(argsOf('--role', 'office', '--ttl', '2'), env, now);
    if (E.isLeft(result) || result.right.command !== 'issue') throw new Error('expected a token');
    const { stdout, stderr } = formatDevToken(result.right);
    expect(stdout).toBe(`${result.right.token}\n`);
    expect(stderr).toContain(demoOfficeHolder(demo).personId);
    expect(stderr).toContain('valid until 2026-01-01T10:00:00.000Z');
    expect(JSON.parse(formatDevTokenJson(result.right))).toMatchObject({ role: 'office', token: result.right.token });
  });

  it('issues for a person named by id, as that person', async () => {
    const member = demoPeople(demo).find((p) => p.role === 'member')!;
    const result = await devToken(argsOf(member.personId), env);
    expect(E.isRight(result) && result.right.command === 'issue' && result.right.person).toEqual(member);
  });

  it('refuses a role that does not exist, naming it', async () => {
    const result = await devToken(argsOf('--role', 'mayor'), env);
    expect(result).toEqual(
      E.left(expect.objectContaining({ code: 'unknown_role', message: expect.stringContaining('"mayor"') })),
    );
    expect(await readdir(env.dataDir)).toEqual([]);
  });

  it('refuses a person who is not in the demo, naming them', async () => {
    const result = await devToken(argsOf('not-a-person'), env);
    expect(result).toEqual(
      E.left(expect.objectContaining({ code: 'unknown_person', message: expect.stringContaining('"not-a-person"') })),
    );
  });

  it('refuses to sign for an in-memory database, whose secret only the main job holds', async () => {
    const result = await devToken(argsOf('--role', 'office'), { ...env, dataDir: 'memory://' });
    expect(E.isLeft(result) && result.left.code).toBe('in_memory');
  });

  it('lists the demo people without a resident name', async () => {
    const result = await devToken(argsOf('--list'), env);
    if (E.isLeft(result) || result.right.command !== 'list') throw new Error('expected a list');
    const lines = formatDevToken(result.right).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(demoPeople(demo).length);
    expect(lines[0]).toBe(`${demoOfficeHolder(demo).personId}  ${demoOfficeHolder(demo).label}`);
    const residents = lines.filter((line) => line.includes(' resident (居民) · '));
    expect(residents.length).toBeGreaterThan(0);
    for (const line of residents) expect(line.split(' · ')).toHaveLength(2);
  });
});

describe('the dev-token command line', () => {
  it.each([
    [[], /one person id or one --role/],
    [['a', 'b'], /one person id or one --role/],
    [['a', '--role', 'office'], /one person id or one --role/],
    [['--role', 'office', '--ttl', '25'], /--ttl/],
    [['--role', 'office', '--ttl', 'soon'], /--ttl/],
    [['--list', 'a'], /--list takes no person/],
    [['--bogus'], /usage/],
  ])('refuses %j', (argv, message) => {
    const decoded = decodeDevTokenArgs(argv);
    expect(E.isLeft(decoded) && decoded.left).toMatch(message);
  });

  it('defaults to an 8-hour token', () => {
    expect(argsOf('--role', 'office')).toEqual({ command: 'issue', for: { role: 'office' }, ttlHours: 8, json: false });
  });

  it('reads the main job environment with its names and defaults, relative to where pnpm was started', () => {
    expect(decodeDevTokenEnv({}, '/repo')).toEqual(
      E.right({ dataDir: '/repo/.data/banshishi', demoSeed: 2021, demoScale: 3000 }),
    );
    expect(
      decodeDevTokenEnv(
        { PGLITE_DIR: 'data', BANSHISHI_DEMO_SEED: '7', BANSHISHI_DEMO_SCALE: '600', INIT_CWD: '/repo' },
        '/repo/apps/api',
      ),
    ).toEqual(E.right({ dataDir: '/repo/data', demoSeed: 7, demoScale: 600 }));
    expect(decodeDevTokenEnv({ PGLITE_DIR: 'memory://' }, '/repo')).toEqual(
      E.right({ dataDir: 'memory://', demoSeed: 2021, demoScale: 3000 }),
    );
    expect(decodeDevTokenEnv({ BANSHISHI_DEMO_SCALE: '10' }, '/repo')).toEqual(
      E.left(expect.stringContaining('env.BANSHISHI_DEMO_SCALE')),
    );
  });
});
