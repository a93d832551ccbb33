import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedSecretFileName, ensureEmbeddedTokenSecret } from './embedded-secret.js';

describe('the embedded token secret', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'banshishi-secret-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is made once, 32 random bytes readable by the owner alone, in a data folder made if missing', async () => {
    const dataDir = join(root, '.data', 'banshishi');
    const secret = await ensureEmbeddedTokenSecret(dataDir);
    expect(secret.length).toBe(32);
    const file = join(dataDir, embeddedSecretFileName);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url')).toEqual(Buffer.from(secret));
    expect(await readdir(dataDir)).toEqual([embeddedSecretFileName]);
  });

  it('is the same secret on the next start', async () => {
    const first = await ensureEmbeddedTokenSecret(root);
    expect(await ensureEmbeddedTokenSecret(root)).toEqual(first);
  });

  it('is one secret when two processes ask for it at the same moment', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => ensureEmbeddedTokenSecret(root)));
    for (const s of secrets) expect(s).toEqual(secrets[0]);
    expect(await readdir(root)).toEqual([embeddedSecretFileName]);
  });

  it.each([
    ['empty', ''],
    ['too short', Buffer.alloc(31, 7).toString('base64url')],
    ['not base64url', `${'*'.repeat(43)}`],
  ])('refuses a file that is %s, and leaves it as it is', async (_name, text) => {
    const file = join(root, embeddedSecretFileName);
    await writeFile(file, text);
    await expect(ensureEmbeddedTokenSecret(root)).rejects.toThrow(/does not hold a token secret/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('is fresh for an in-memory database, and writes nothing', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const a = await ensureEmbeddedTokenSecret('memory://');
      const b = await ensureEmbeddedTokenSecret('memory://');
      expect(a.length).toBe(32);
      expect(a).not.toEqual(b);
      expect(await readdir(root)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
