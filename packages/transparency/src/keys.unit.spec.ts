// The log's keys: from the environment (text or file, never both, each fault naming its variable), the
// embedded key made once with mode 0600 and refused for another origin, and verifier keys as text or file.
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSignerKey } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { embeddedSigner, newSignerKeyFile, signerFromEnv, verifierFromText } from './keys.js';

const origin = 'test.banshishi.example/log';
const keyText = encodeSignerKey(origin, new Uint8Array(32).fill(1));

describe('the signer key', () => {
  it('comes from TRANSPARENCY_SIGNER_KEY or TRANSPARENCY_KEY_FILE, and each fault names the variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    const file = join(dir, 'signer.key');
    await writeFile(file, `${keyText}\n`);
    const fromText = signerFromEnv({ TRANSPARENCY_SIGNER_KEY: keyText });
    const fromFile = signerFromEnv({ TRANSPARENCY_KEY_FILE: file });
    expect(E.isRight(fromText) && fromText.right?.name).toBe(origin);
    expect(E.isRight(fromFile) && fromFile.right?.verifier.encoded).toBe(
      E.isRight(fromText) ? fromText.right?.verifier.encoded : 'x',
    );
    expect(signerFromEnv({})).toEqual(E.right(null));
    const faults = [
      signerFromEnv({ TRANSPARENCY_SIGNER_KEY: 'not a key' }),
      signerFromEnv({ TRANSPARENCY_KEY_FILE: join(dir, 'absent.key') }),
      signerFromEnv({ TRANSPARENCY_SIGNER_KEY: keyText, TRANSPARENCY_KEY_FILE: file }),
    ];
    expect(faults.map((f) => (E.isLeft(f) ? f.left.split(':')[0] : 'accepted'))).toEqual([
      'TRANSPARENCY_SIGNER_KEY',
      'TRANSPARENCY_KEY_FILE',
      'TRANSPARENCY_SIGNER_KEY and TRANSPARENCY_KEY_FILE',
    ]);
  });

  it('embedded, is made once, readable by its owner alone, with the verifier key beside it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'keys-')), 'transparency');
    const first = await embeddedSigner(dir, origin);
    const again = await embeddedSigner(dir, origin);
    expect(again.verifier.encoded).toBe(first.verifier.encoded);
    expect((await stat(join(dir, 'signer.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'verifier.key'), 'utf8')).trim()).toBe(first.verifier.encoded);
    await expect(embeddedSigner(dir, 'another.example/log')).rejects.toThrow(/not of another.example\/log/);
    const other = await embeddedSigner(join(dir, 'second'), origin);
    expect(other.verifier.encoded).not.toBe(first.verifier.encoded);
  });
});

describe('a verifier key', () => {
  it('is read from its text or from a file, and anything else is refused with a reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    const signer = await embeddedSigner(dir, origin);
    const text = verifierFromText(signer.verifier.encoded);
    const file = verifierFromText(join(dir, 'verifier.key'));
    expect(E.isRight(text) && text.right.keyId).toBe(signer.keyId);
    expect(E.isRight(file) && file.right.keyId).toBe(signer.keyId);
    expect(E.isLeft(verifierFromText(join(dir, 'absent.key')))).toBe(true);
    expect(E.isLeft(verifierFromText(join(dir, 'signer.key')))).toBe(true);
  });
});

describe('a new signer key file', () => {
  it('is written 0600, read back as the same signer, never overwritten, and a bad origin is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    const file = join(dir, 'signer.key');
    const made = await newSignerKeyFile(file, origin);
    expect(E.isRight(made) && made.right.name).toBe(origin);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const read = signerFromEnv({ TRANSPARENCY_KEY_FILE: file });
    expect(E.isRight(read) && read.right?.verifier.encoded).toBe(E.isRight(made) && made.right.verifier.encoded);
    const before = await readFile(file, 'utf8');
    expect(await newSignerKeyFile(file, origin)).toEqual(E.left(`${file} exists: a key is never replaced in place`));
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await newSignerKeyFile(join(dir, 'other.key'), 'two words')).toEqual(
      E.left('origin "two words": a log\'s name has no spaces or +, and is not empty'),
    );
  });
});
