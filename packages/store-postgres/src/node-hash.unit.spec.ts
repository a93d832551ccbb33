import { sha256Hex } from '@banshishi/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSha256Hex } from './node-hash.js';

describe("node:crypto's SHA-256 for the hash chain", () => {
  it("hashes every text exactly as core's portable default does, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 2000 })), (text) => {
        expect(nodeSha256Hex(text)).toBe(sha256Hex(text));
      }),
      { numRuns: 2000 },
    );
    expect(nodeSha256Hex('\ud800')).toBe(sha256Hex('\ud800'));
  });
});
