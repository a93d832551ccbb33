// The cipher of sealed personal values: XChaCha20-Poly1305 from @noble/ciphers (audited, no native code,
// so the same sealing runs in browsers and mini-programs), a fresh random 24-byte nonce per value, and
// associated data that binds the ciphertext to the one place it was sealed for (docs/privacy.md).
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToUtf8, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { canonicalEncode } from '../integrity/canonical.js';
import { sealedValueFormat } from './sealed-value.js';

export const subjectKeyLength = 32;
const nonceLength = 24;

/** A new random key for a data subject. */
export const newSubjectKey = (): Uint8Array => randomBytes(subjectKeyLength);

/** Where a sealed value lives: it opens only there. */
export interface SealedPlace {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  /** The field's path in the event's data, `raiser.phone`. */
  readonly path: string;
  readonly subject: string;
}

const associatedData = (place: SealedPlace): Uint8Array =>
  utf8ToBytes(
    canonicalEncode({
      format: sealedValueFormat,
      streamId: place.streamId,
      eventId: place.eventId,
      type: place.type,
      path: place.path,
      subject: place.subject,
    }),
  );

const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x8000, bytes.length)));
  return btoa(binary);
};

const fromBase64 = (text: string): Uint8Array | null => {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
};

export const sealText = (key: Uint8Array, plaintext: string, place: SealedPlace): string => {
  const nonce = randomBytes(nonceLength);
  const sealed = xchacha20poly1305(key, nonce, associatedData(place)).encrypt(utf8ToBytes(plaintext));
  const out = new Uint8Array(nonceLength + sealed.length);
  out.set(nonce, 0);
  out.set(sealed, nonceLength);
  return toBase64(out);
};

/** The plaintext, or null when the ciphertext does not open here with this key (moved, altered, other key). */
export const openText = (key: Uint8Array, ciphertext: string, place: SealedPlace): string | null => {
  const bytes = fromBase64(ciphertext);
  if (bytes === null || bytes.length < nonceLength + 16) return null;
  try {
    const opened = xchacha20poly1305(key, bytes.subarray(0, nonceLength), associatedData(place)).decrypt(
      bytes.subarray(nonceLength),
    );
    return bytesToUtf8(opened);
  } catch {
    return null;
  }
};
