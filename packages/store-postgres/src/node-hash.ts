// SHA-256 from node:crypto (OpenSSL) for core's hash chain: the same hashes as core's portable default,
// several times faster, for everything in this package and the Node apps that seal or verify events.
import { hash } from 'node:crypto';
import type { Sha256Hex } from '@banshishi/core';

// The one-shot `hash` rather than createHash: no Hash object per event for the collector.
export const nodeSha256Hex: Sha256Hex = (text) => hash('sha256', text, 'hex');
