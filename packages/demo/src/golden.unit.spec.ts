// The generated history, pinned: for a few seeds and scales, the SHA-256 over every event's chain hash in
// log order, and over the manifest. Any change to what the generator issues — a draw taken in another
// order, a command moved, a field spelt differently — changes these. A change that is meant to alter the
// demo updates them in the same commit and says why; a refactoring never does.
import { canonicalEncode, type StreamHead, sha256Hex } from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import { describe, expect, it } from 'vitest';
import { type GenerateDemoOptions, generateDemoEvents } from './generate.js';

const fingerprint = (options: GenerateDemoOptions) => {
  const source = generateDemoEvents(options);
  const heads = new Map<string, StreamHead>();
  const hashes: string[] = [];
  for (const batch of source)
    for (const { streamId, events } of batch) {
      const sealed = sealEvents(streamId, heads.get(streamId) ?? null, events, '2022-01-01T00:00:00.000Z');
      for (const event of sealed) hashes.push(event.hash);
      const last = sealed[sealed.length - 1]!;
      heads.set(streamId, { revision: last.revision, hash: last.hash });
    }
  return {
    events: hashes.length,
    log: sha256Hex(hashes.join('\n')),
    manifest: sha256Hex(canonicalEncode(source.manifest())),
  };
};

const golden: readonly { readonly options: GenerateDemoOptions; readonly expected: ReturnType<typeof fingerprint> }[] =
  [
    {
      options: { seed: 1, scale: 2000 },
      expected: {
        events: 2041,
        log: 'cc31b0da9a340c0e087c13cb94e2f1e5ddc6548c3c8e941550916873ee6ee0a4',
        manifest: '28b8cfb2456c35a512ff47f03507c0d885fc35050fa4549f7a59aab497c07cc4',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2094,
        log: 'd165e9afabe83464f6932071f25233a9d031e038f60e68018d90dd159fc2a9cf',
        manifest: 'b5a115f06ef875937eeff498db3a246b820d4e9c42283a173af1685f675dc3d7',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 11969,
        log: '06567634cd8e61abc44a2b6eabb2051e982523c625462e31f5f6f60cdc519607',
        manifest: 'd27446b2a9c022c45c0b0d37cd2280bf4b2a9d5a5d5c09bc8634500e6051b175',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 2922,
        log: '418f52e424377299d3cd4d35257f4d817c872c055f7fd28780274acafc77f7ea',
        manifest: '45f188cf1da6f8ef2aa0671b1701dcf89348adb19d75242fa5e251942d2279e7',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
