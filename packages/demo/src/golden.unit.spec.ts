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
        events: 2081,
        log: '30967b5ca992e384078bd8e37cebbc17ac5d29e58f72808bafdf203c8621837f',
        manifest: 'af1d7e439a85666be7597d3dee58a869e93bee563d2f0c42f0646bb3f750f59d',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2074,
        log: '263dea334304873643e9fff367e487073401a64ae277cd50c208d146ddc8280e',
        manifest: 'da2dfe577444f06d807e617120af14d468551d260df5ea753dddc45a9efaf072',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 11940,
        log: 'bf8aedfe5fc4fcb9f0f72a188821be6cb975b4446152e5cffb94b7cebc60f164',
        manifest: 'd79c9532956b5219a027fe3964b8666f4bc367ac60297d05b3c949dceb2b0e99',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 2913,
        log: '5f321953e640faf23288f2cd1fe708d8f7700059bef93511460acc70f09dc1f5',
        manifest: '50951db27a72a1fb29e5e7175f07bf8f3afce777e4f9bdefcaf2b7ee6bbb1704',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
