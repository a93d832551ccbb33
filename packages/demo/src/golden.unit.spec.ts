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
        events: 2123,
        log: 'd106f1c318c495b2be2078718cffd9f2ce5f24b801d6830a3b6fe74f9dabdaa3',
        manifest: '93517cf287c90ad1433b038b436d2fea31de35bab401c4ea5a6b50e4c0c476ce',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2116,
        log: 'c55af36996f1e556447bdd9ddc336e5955853a08399b238a9c31ecc43f7dbd30',
        manifest: '27be7207b6ac98bf5eabd8583b0ec72c8c68a582b1c65ab6e51ef322cef168c3',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 11982,
        log: '7c2203dc7d8cb4e205b518727db0d99bd15d95b1695d8580cac2442e13bd4d53',
        manifest: 'a684c8222bcd496ed1f2c16e51d5dc1f25f9f5c6c55b0f9f6aee24ca02194f82',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 2955,
        log: '045702e878f8be38227b0fec5eaec66ef60c1f0d6d42ae85e44b2ef41e850448',
        manifest: 'b38c1eb61e4258bcbf33a999d471a76b849a45b172910d895f078a2c694000fb',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
