// The log's signing key lives outside every database: in an environment variable or a file an operator
// provides (server mode), or, embedded, in a file of its own beside the data folder, created on first start.
// The verifier key — what the board publishes and auditors keep — is derived from it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSignerKey, type NoteSigner, type NoteVerifier, parseSignerKey, parseVerifierKey } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The signer named by TRANSPARENCY_SIGNER_KEY (the key text, `PRIVATE+KEY+<name>+<id>+<base64>`) or
 * TRANSPARENCY_KEY_FILE (a file holding it); null when neither is set. Left names the variable at fault.
 */
export const signerFromEnv = (env: Env): E.Either<string, NoteSigner | null> => {
  const text = env.TRANSPARENCY_SIGNER_KEY;
  const file = env.TRANSPARENCY_KEY_FILE;
  if (text !== undefined && text !== '' && file !== undefined && file !== '')
    return E.left('TRANSPARENCY_SIGNER_KEY and TRANSPARENCY_KEY_FILE: set one of them, not both');
  if (text !== undefined && text !== '') {
    const signer = parseSignerKey(text.trim());
    return E.isLeft(signer)
      ? E.left(
          `TRANSPARENCY_SIGNER_KEY: expected a signer key (PRIVATE+KEY+<name>+<id>+<base64>): ${signer.left.message}`,
        )
      : E.right(signer.right);
  }
  if (file !== undefined && file !== '') {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      return E.left(`TRANSPARENCY_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    const signer = parseSignerKey(content.trim());
    return E.isLeft(signer)
      ? E.left(`TRANSPARENCY_KEY_FILE: ${file} does not hold a signer key: ${signer.left.message}`)
      : E.right(signer.right);
  }
  return E.right(null);
};

/**
 * The embedded log's signer: `<dir>/signer.key` (mode 0600), made once from 32 random bytes; the verifier
 * key is written beside it as `verifier.key`. A key made for another origin is refused, not replaced.
 */
export const embeddedSigner = async (dir: string, origin: string): Promise<NoteSigner> => {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'signer.key');
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = encodeSignerKey(origin, new Uint8Array(randomBytes(32)));
    try {
      await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      // Another process made it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      text = (await readFile(path, 'utf8')).trim();
    }
  }
  const signer = parseSignerKey(text);
  if (E.isLeft(signer)) throw new Error(`${path} does not hold a signer key: ${signer.left.message}`);
  if (signer.right.name !== origin)
    throw new Error(`${path} is the key of ${signer.right.name}, not of ${origin}: set TRANSPARENCY_ORIGIN to match`);
  await writeFile(join(dir, 'verifier.key'), `${signer.right.verifier.encoded}\n`);
  return signer.right;
};

/**
 * A new signer key for `origin`, written to `path` (mode 0600; an existing file is never replaced). Returns
 * the signer, whose `verifier.encoded` is the public key to publish. Left names what is wrong.
 */
export const newSignerKeyFile = async (path: string, origin: string): Promise<E.Either<string, NoteSigner>> => {
  if (!/^[^\s+]+$/u.test(origin))
    return E.left(`origin ${JSON.stringify(origin)}: a log's name has no spaces or +, and is not empty`);
  const text = encodeSignerKey(origin, new Uint8Array(randomBytes(32)));
  try {
    await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return E.left(
      code === 'EEXIST'
        ? `${path} exists: a key is never replaced in place`
        : `cannot write ${path} (${code ?? error})`,
    );
  }
  const signer = parseSignerKey(text);
  return E.isLeft(signer) ? E.left(signer.left.message) : E.right(signer.right);
};

const looksLikeKey = (text: string) => /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(text.trim());

/** A verifier key given as its text (`<name>+<id>+<base64>`) or as a file holding it. */
export const verifierFromText = (textOrPath: string): E.Either<string, NoteVerifier> => {
  let text = textOrPath.trim();
  if (!looksLikeKey(text)) {
    try {
      text = readFileSync(textOrPath, 'utf8').trim();
    } catch (error) {
      return E.left(
        `not a verifier key (<name>+<8 hex>+<base64>) and not a readable file (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  }
  const key = parseVerifierKey(text);
  return E.isLeft(key) ? E.left(`not a verifier key: ${key.left.message}`) : E.right(key.right);
};
