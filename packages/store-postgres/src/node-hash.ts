// SHA-256 from node:crypto (OpenSSL) for core's hash chain: the same hashes as core's portable default,
// several times faster, for everything in this package and the Node apps that seal or verify events.
import { createHash } from 'node:crypto';
import type { Sha256Hex } from '@banshishi/core';

export const nodeSha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
