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
        events: 2158,
        log: 'a14eb3c7a4effe932f02d4507195f607d2b83dd3f10a85c67576f8fd253ff50b',
        manifest: 'd7fe5b8d93920bb8967f13b70184fd25857f77df22270db16a13e106c81dd1e6',
      },
    },
    {
      options: { seed: 2, scale: 2000 },
      expected: {
        events: 2145,
        log: 'fb9718e937c394d3ba5e451eef8ebfe407a6397643286658d49f2147c839d972',
        manifest: 'cf856112ffc56b217e9ab06c995671e79d2982f9884ce8daedc4996b8f6cc42c',
      },
    },
    {
      options: { seed: 3, scale: 12_000 },
      expected: {
        events: 12019,
        log: '79600adee18f17d34bdc03fc4df5a8c207307ddc08c0e28d6094574c93928e4e',
        manifest: '0a33ec3456f9876b6725a4d6c64602a81a963659e0dd56046c73a010f626e03e',
      },
    },
    {
      options: { seed: 5, scale: 3000, until: '2021-06-30' },
      expected: {
        events: 2987,
        log: 'aa67f0518287feb57ed95a9f0dd71bf75948d878b1ee7fb615705fddb14cddc6',
        manifest: '33451f7e333c63b4188ad984556454a3c80bec28c14b3b380f62038a3776cb5e',
      },
    },
  ];

describe('the generated history', () => {
  it.each(golden)('is the pinned one for $options', ({ options, expected }) => {
    expect(fingerprint(options)).toEqual(expected);
  });
});
