import { encodeSignerKey } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from './config.js';

describe('projector configuration', () => {
  it('defaults to running every projection on embedded PGlite', () => {
    const config = decodeConfig([], {});
    expect(E.isRight(config) && config.right).toMatchObject({
      command: 'run',
      projections: ['directory', 'disclosure', 'evaluation', 'pairing', 'raisers', 'visits', 'service'],
      events: { kind: 'pglite', dataDir: '.data/banshishi' },
      readModels: { kind: 'pglite', dataDir: '.data/banshishi' },
      batchSize: 500,
    });
  });

  it('reads the command, named projections and PostgreSQL URLs', () => {
    const config = decodeConfig(['rebuild', 'disclosure,evaluation'], {
      DATABASE_URL: 'postgres://x@h/db',
      BATCH_SIZE: '200',
    });
    expect(E.isRight(config) && config.right).toMatchObject({
      command: 'rebuild',
      projections: ['disclosure', 'evaluation'],
      events: { kind: 'postgres', url: 'postgres://x@h/db' },
      readModels: { kind: 'postgres', url: 'postgres://x@h/db' },
      batchSize: 200,
    });
  });

  it('a wrong value stops start-up with a message naming it', () => {
    const config = decodeConfig(['disclosur'], { BATCH_SIZE: 'lots', METRICS_PORT: '70000', EVENTS_URL: 'mysql://x' });
    expect(E.isLeft(config) && config.left).toEqual([
      'projection "disclosur": expected one of directory, disclosure, evaluation, pairing, raisers, visits, service',
      'EVENTS_URL: expected postgres://…, esdb://… or pglite:<folder>, got "mysql://x"',
      'BATCH_SIZE: expected a whole number from 1 to 10000, got "lots"',
      'METRICS_PORT: expected a whole number from 0 to 65535, got "70000"',
    ]);
  });

  it('events from EventStoreDB need a read-model database', () => {
    const config = decodeConfig([], { EVENTS_URL: 'esdb://localhost:2113?tls=false' });
    expect(E.isLeft(config) && config.left[0]).toMatch(/^READ_MODELS_URL: required/);
  });

  describe('the transparency log', () => {
    const key = encodeSignerKey('banshishi.example/log', new Uint8Array(32).fill(7));

    it('is off without a signer key, and checkpoint refuses to run without one', () => {
      const off = decodeConfig([], {});
      expect(E.isRight(off) && off.right.transparency).toBeNull();
      const checkpoint = decodeConfig(['checkpoint'], {});
      expect(E.isLeft(checkpoint) && checkpoint.left).toEqual([
        'TRANSPARENCY_KEY_FILE or TRANSPARENCY_SIGNER_KEY: checkpoint needs the signer key',
      ]);
    });

    it('takes the key, its name as the origin, the schema and the interval', () => {
      const config = decodeConfig(['checkpoint'], { TRANSPARENCY_SIGNER_KEY: key, CHECKPOINT_INTERVAL_SECONDS: '60' });
      expect(E.isRight(config) && config.right).toMatchObject({
        command: 'checkpoint',
        transparency: { origin: 'banshishi.example/log', schema: 'transparency', intervalMs: 60_000 },
      });
      expect(E.isRight(config) && config.right.transparency?.signer.verifier.encoded).toMatch(
        /^banshishi\.example\/log\+[0-9a-f]{8}\+/,
      );
    });

    it('names each wrong setting: a key that is not one, an origin the key is not named for, a bad interval', () => {
      expect(
        E.isLeft(decodeConfig([], { TRANSPARENCY_SIGNER_KEY: 'secret' })) &&
          (decodeConfig([], { TRANSPARENCY_SIGNER_KEY: 'secret' }) as E.Left<string[]>).left[0],
      ).toMatch(/^TRANSPARENCY_SIGNER_KEY: expected a signer key/);
      const config = decodeConfig(['checkpoint', 'disclosure'], {
        TRANSPARENCY_SIGNER_KEY: key,
        TRANSPARENCY_ORIGIN: 'other.example/log',
        CHECKPOINT_INTERVAL_SECONDS: '0',
        TRANSPARENCY_KEY_FILE: '',
      });
      expect(E.isLeft(config) && config.left).toEqual([
        'argument disclosure: checkpoint takes no projections (it signs the transparency log)',
        'TRANSPARENCY_ORIGIN: the signer key is named "banshishi.example/log", not "other.example/log": a checkpoint\'s origin is its key\'s name',
        'CHECKPOINT_INTERVAL_SECONDS: expected a whole number from 1 to 86400, got "0"',
      ]);
      const missing = decodeConfig([], { TRANSPARENCY_KEY_FILE: '/nonexistent/signer.key' });
      expect(E.isLeft(missing) && missing.left).toEqual([
        'TRANSPARENCY_KEY_FILE: cannot read /nonexistent/signer.key (ENOENT)',
      ]);
    });
  });
});
