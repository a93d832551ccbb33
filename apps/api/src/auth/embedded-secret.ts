// The embedded mode's token secret: made once beside the demo's database and read back on every start, so
// a restart keeps the tokens already handed out valid, and the dev-token command signs with the very key
// the main job checks. An in-memory database has nowhere to keep it and gets a fresh one.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const secretBytes = 32;
export const embeddedSecretFileName = 'api-token-secret';

const decodeSecret = (path: string, text: string): Uint8Array => {
  const trimmed = text.trim();
  const secret = /^[A-Za-z0-9_-]+$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : Buffer.alloc(0);
  if (secret.length < secretBytes)
    throw new Error(
      `${path} does not hold a token secret (at least ${secretBytes} random bytes as base64url text); ` +
        'remove it to have a new one made, which ends every token issued so far',
    );
  return new Uint8Array(secret);
};

const isCode = (error: unknown, code: string) => (error as { code?: unknown } | null)?.code === code;

/**
 * The secret in `<dataDir>/api-token-secret`, made (mode 0600) when missing. Throws when the file holds
 * anything else, or when `dataDir` is a location other than a folder or `memory://`.
 */
export const ensureEmbeddedTokenSecret = async (dataDir: string): Promise<Uint8Array> => {
  if (dataDir.startsWith('memory://')) return new Uint8Array(randomBytes(secretBytes));
  if (dataDir.includes('://')) throw new Error(`the API token secret can only be kept in a folder, not in ${dataDir}`);
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, embeddedSecretFileName);
  try {
    return decodeSecret(path, await readFile(path, 'utf8'));
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
  // Written whole under another name, then linked into place: a process starting at the same moment
  // (the main job and dev-token) either wins the link or reads the winner's secret, never half a file.
  const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(draft, `${randomBytes(secretBytes).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
  } finally {
    await unlink(draft);
  }
  return decodeSecret(path, await readFile(path, 'utf8'));
};
