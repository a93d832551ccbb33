// Event ids. With an idempotency key they are derived from it, so a retried command yields the very
// same ids and the store can refuse the second copy; without one they are random UUIDs.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** A UUID (version 8, RFC 9562 "custom") from the SHA-256 of a name. */
export const uuidFromName = (name: string): string => {
  const hex = bytesToHex(sha256(utf8ToBytes(name)))
    .slice(0, 32)
    .split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const eventIdFor = (idempotencyKey: string, streamId: string, index: number): string =>
  uuidFromName(`banshishi/event\u0000${idempotencyKey}\u0000${streamId}\u0000${index}`);

export const randomId = (): string => {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID === undefined) throw new Error('no crypto.randomUUID here: pass `newId` to the command handler');
  return c.randomUUID();
};
