// Signed checkpoints in the C2SP formats (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), so that any
// tool that keeps Certificate Transparency–style checkpoints can keep banshishi's:
//
//   <origin>\n<tree size>\n<base64 root hash>\n      the checkpoint: the note's text
//   \n
//   — <key name> <base64(key id ‖ Ed25519 signature)>\n   one line per signature (the log's, a witness's)
//
// A key's id is the first four bytes of SHA-256(name ‖ \n ‖ 0x01 ‖ public key); a verifier key is written
// `<name>+<id in hex>+<base64(0x01 ‖ public key)>`, a signer key `PRIVATE+KEY+<name>+<id>+<base64(0x01 ‖ seed)>`.
// Ed25519 from @noble/curves. Pure: the caller brings the key and the randomness.
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import * as E from 'fp-ts/lib/Either.js';
import { type DomainError, validationError } from '../errors.js';

const ED25519 = 0x01;

const toBase64 = (bytes: Uint8Array): string => {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
};
const fromBase64 = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
};

const validName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name);

/** The key id of an Ed25519 key named `name`: the first four bytes of SHA-256(name ‖ \n ‖ 0x01 ‖ key). */
export const noteKeyId = (name: string, publicKey: Uint8Array): number => {
  const digest = sha256(new Uint8Array([...utf8ToBytes(name), 0x0a, ED25519, ...publicKey]));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
};

const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The key as published: `<name>+<id>+<base64>`. */
  readonly encoded: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly verifier: NoteVerifier;
  sign(message: Uint8Array): Uint8Array;
}

const invalid = (rule: string, message: string): E.Either<DomainError, never> =>
  E.left(validationError(`transparency.${rule}`, message));

const verifierOf = (name: string, publicKey: Uint8Array): NoteVerifier => {
  const keyId = noteKeyId(name, publicKey);
  return {
    name,
    keyId,
    publicKey,
    encoded: `${name}+${hex8(keyId)}+${toBase64(Uint8Array.of(ED25519, ...publicKey))}`,
    verify: (message, signature) => {
      try {
        return ed25519.verify(signature, message, publicKey);
      } catch {
        return false;
      }
    },
  };
};

/** A new signer key for `name` from 32 random bytes (the caller's: crypto.getRandomValues, a key ceremony). */
export const encodeSignerKey = (name: string, seed: Uint8Array): string => {
  if (!validName(name)) throw new RangeError(`key name ${JSON.stringify(name)}: no spaces or +, not empty`);
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const id = noteKeyId(name, ed25519.getPublicKey(seed));
  return `PRIVATE+KEY+${name}+${hex8(id)}+${toBase64(Uint8Array.of(ED25519, ...seed))}`;
};

/** `<name>+<8 hex>+<base64>`: only the first two `+` split, since base64 has `+` of its own. */
const parseKey = (text: string) => {
  const match = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/u.exec(text.trim());
  if (match === null) return undefined;
  const [, name, id, key] = match as unknown as [string, string, string, string];
  const bytes = fromBase64(key);
  if (bytes === undefined || bytes.length !== 33 || bytes[0] !== ED25519) return undefined;
  return { name, id: Number.parseInt(id, 16), key: bytes.slice(1) };
};

export const parseSignerKey = (text: string): E.Either<DomainError, NoteSigner> => {
  const trimmed = text.trim();
  const parsed = trimmed.startsWith('PRIVATE+KEY+') ? parseKey(trimmed.slice('PRIVATE+KEY+'.length)) : undefined;
  if (parsed === undefined)
    return invalid('signer_key', 'a signer key is PRIVATE+KEY+<name>+<8 hex>+<base64 of 0x01 and a 32-byte seed>');
  const verifier = verifierOf(parsed.name, ed25519.getPublicKey(parsed.key));
  if (verifier.keyId !== parsed.id) return invalid('signer_key', 'the key id does not match the key and its name');
  const seed = parsed.key;
  return E.right({ name: parsed.name, keyId: verifier.keyId, verifier, sign: (m) => ed25519.sign(m, seed) });
};

export const parseVerifierKey = (text: string): E.Either<DomainError, NoteVerifier> => {
  const parsed = parseKey(text);
  if (parsed === undefined || parsed.key.length !== 32)
    return invalid('verifier_key', 'a verifier key is <name>+<8 hex>+<base64 of 0x01 and a 32-byte public key>');
  const verifier = verifierOf(parsed.name, parsed.key);
  if (verifier.keyId !== parsed.id) return invalid('verifier_key', 'the key id does not match the key and its name');
  return E.right(verifier);
};

/** Text that ends in a newline and holds no control character but the newline (c2sp.org/signed-note). */
const validText = (text: string): boolean => {
  if (text === '' || !text.endsWith('\n')) return false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return false;
  }
  return true;
};

/** The note signed by each signer; signatures already on a signed note are kept (a witness countersigning). */
export const signNote = (note: string, signers: readonly NoteSigner[]): string => {
  const { text, signatureLines } = splitNote(note);
  if (!validText(text))
    throw new RangeError('a note text ends in a newline and holds no control character but newlines');
  const message = utf8ToBytes(text);
  const added = signers.map((s) => {
    const sig = s.sign(message);
    const id = new Uint8Array(4);
    new DataView(id.buffer).setUint32(0, s.keyId);
    return `— ${s.name} ${toBase64(new Uint8Array([...id, ...sig]))}\n`;
  });
  return `${text}\n${[...signatureLines, ...added].join('')}`;
};

const splitNote = (note: string): { text: string; signatureLines: string[] } => {
  const at = note.lastIndexOf('\n\n');
  if (at === -1) return { text: note, signatureLines: [] };
  return {
    text: note.slice(0, at + 1),
    signatureLines: note
      .slice(at + 2)
      .split(/(?<=\n)/)
      .filter((l) => l !== ''),
  };
};

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** True when a given verifier of that name and id checked it. */
  readonly verified: boolean;
}

export interface OpenedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/**
 * Reads a signed note and checks every signature a verifier is given for. It is refused if it is not a signed
 * note, or if a signature by a known key does not verify; signatures by unknown keys are listed, unverified.
 */
export const openNote = (signed: string, verifiers: readonly NoteVerifier[]): E.Either<DomainError, OpenedNote> => {
  const at = signed.lastIndexOf('\n\n');
  if (at === -1 || !signed.endsWith('\n'))
    return invalid('note', 'a signed note is its text, a blank line and its signatures');
  const text = signed.slice(0, at + 1);
  if (!validText(text)) return invalid('note', 'the note text is malformed');
  const message = utf8ToBytes(text);
  const signatures: NoteSignature[] = [];
  for (const line of signed
    .slice(at + 2)
    .slice(0, -1)
    .split('\n')) {
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    const bytes = match === null ? undefined : fromBase64(match[2]!);
    if (match === null || bytes === undefined || bytes.length < 5)
      return invalid('note', `not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = match[1]!;
    const keyId = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    const verifier = verifiers.find((v) => v.name === name && v.keyId === keyId);
    if (verifier !== undefined && !verifier.verify(message, bytes.slice(4)))
      return invalid('note_signature', `the signature of ${name} does not verify: the note is not what was signed`);
    signatures.push({ name, keyId, verified: verifier !== undefined });
  }
  if (signatures.length === 0) return invalid('note', 'the note has no signature');
  return E.right({ text, signatures });
};

export interface Checkpoint {
  /** The log's name, e.g. `jiaozhou.banshishi.example/log`: which log this is a checkpoint of. */
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Further lines the log adds (none here), kept as they are. */
  readonly extensions?: readonly string[];
}

/** The checkpoint's note text (c2sp.org/tlog-checkpoint). */
export const checkpointText = (c: Checkpoint): string =>
  [c.origin, String(c.size), toBase64(c.root), ...(c.extensions ?? [])].map((l) => `${l}\n`).join('');

export const parseCheckpointText = (text: string): E.Either<DomainError, Checkpoint> => {
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '' || lines.length < 4)
    return invalid('checkpoint', 'a checkpoint is an origin line, a tree size line and a root hash line');
  const [origin, size, root, ...rest] = lines.slice(0, -1) as [string, string, string, ...string[]];
  const bytes = fromBase64(root);
  if (origin === '' || !/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)))
    return invalid('checkpoint', 'the checkpoint names no origin, or its tree size is not a whole number');
  if (bytes === undefined || bytes.length !== 32)
    return invalid('checkpoint', 'the root hash is not 32 bytes of base64');
  return E.right({ origin, size: Number(size), root: bytes, ...(rest.length === 0 ? {} : { extensions: rest }) });
};

/** A signed checkpoint, opened and checked against the log's key: its origin, size and root. */
export const openCheckpoint = (
  signed: string,
  logKey: NoteVerifier,
  origin?: string,
): E.Either<DomainError, Checkpoint & { readonly signatures: readonly NoteSignature[] }> => {
  const note = openNote(signed, [logKey]);
  if (E.isLeft(note)) return note;
  if (!note.right.signatures.some((s) => s.verified && s.name === logKey.name))
    return invalid('checkpoint_signature', `the checkpoint bears no signature of ${logKey.name}`);
  const checkpoint = parseCheckpointText(note.right.text);
  if (E.isLeft(checkpoint)) return checkpoint;
  if (origin !== undefined && checkpoint.right.origin !== origin)
    return invalid('checkpoint_origin', `the checkpoint is of ${checkpoint.right.origin}, not ${origin}`);
  return E.right({ ...checkpoint.right, signatures: note.right.signatures });
};

export { fromBase64 as base64ToBytes, toBase64 as bytesToBase64 };
