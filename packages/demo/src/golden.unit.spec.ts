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
        log: 'c82e75032c1eb634c756f45f053a703b119dee2ce6c8373db8d30bcb11320f51',
        manifest: '28b8cfb2456c35a512ff47f03507c0d885fc35050fa4549f7a59aab497c07cc4',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2094,
        log: '572df5bff5896c632c62bc6b6ddd508d1a345404c28ba689aa603e609f935ea0',
        manifest: 'b5a115f06ef875937eeff498db3a246b820d4e9c42283a173af1685f675dc3d7',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 11969,
        log: 'ba14f41012be0f543a06faac6bc29477698c86fd70bfe6a5f05524226eb54ca5',
        manifest: 'd27446b2a9c022c45c0b0d37cd2280bf4b2a9d5a5d5c09bc8634500e6051b175',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 2922,
        log: 'ab4d76e4be844942c221e30821f0c69d7170704caf12d7617cb5b923687ed033',
        manifest: '45f188cf1da6f8ef2aa0671b1701dcf89348adb19d75242fa5e251942d2279e7',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
