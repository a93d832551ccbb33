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
        events: 2401,
        log: 'ba287d6745d3105ad8b1fa1af312a7121e86c944f76bd0a7d7ac80f78b9f5970',
        manifest: 'f204e92fd96562a25c73ddf4931b3096643bcb190d62e24f54cfd05dc95c4ce0',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2390,
        log: '280d9c5e07b2c3a7b68d5a281b7ed29d3ff0dd15a3b95a4f3a9f459adca710c1',
        manifest: '3b0b1a57a1b1e98288121926e7ef8d7d6eadd682756f003f4d4b89362acf9c12',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 12297,
        log: 'c7856e15f46ad572af41265c220ce2ea22b8a5b21c89295e363966d399049f7c',
        manifest: 'd5a5b5babde6cb0a96182424df453ec10aab2c40542cc65e5061deab37e9d57d',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 3138,
        log: '49677afb8a03081441610a39760b0404cac30ee6274adabf92b693432bd16164',
        manifest: 'c10ef5d143582141160d1d4210a888d85e34a47e04cbd2b4bc0503c64a1f045c',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
