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
        events: 2282,
        log: 'bec71b687cf57e764f3ac8189792de2339a57c2218d1723bf760f82325276e65',
        manifest: '2a974bca3681f1af0999ac976c07bd081a231172d3852dfefc012b20f7a0944d',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2277,
        log: '23d3b71af935857bdf0708c4530b31f1a807aea6877147327a12adebd4bfaeef',
        manifest: 'f9e5b074174cb5a90d6dedc92237d9ed1efe7b1cf2af1d04dc9a49e5581f3b41',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 12176,
        log: 'd2a0a9b1f5e78268202bfd0f3ac07bccfb223579e14bab949eac983d60b5c5d9',
        manifest: 'a1cd98b9548473b38214747335fed7c39b5bcd046134696ff98b86e19cb3b455',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 3022,
        log: '9112c20d6c57a889dfab21851b7356250db3ed86801d3483236e9edcaee8742b',
        manifest: '4a80ac0074c9019b32069a4fe24554fc3881784ccb24d91d14a3ee92598b3f0f',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
