import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from './config.js';

describe('projector configuration', () => {
  it('defaults to running every projection on embedded PGlite', () => {
    const config = decodeConfig([], {});
    expect(E.isRight(config) && config.right).toMatchObject({
      command: 'run',
      projections: ['directory', 'disclosure', 'evaluation', 'raisers'],
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
      'projection "disclosur": expected one of directory, disclosure, evaluation, raisers',
      'EVENTS_URL: expected postgres://…, esdb://… or pglite:<folder>, got "mysql://x"',
      'BATCH_SIZE: expected a whole number from 1 to 10000, got "lots"',
      'METRICS_PORT: expected a whole number from 0 to 65535, got "70000"',
    ]);
  });

  it('events from EventStoreDB need a read-model database', () => {
    const config = decodeConfig([], { EVENTS_URL: 'esdb://localhost:2113?tls=false' });
    expect(E.isLeft(config) && config.left[0]).toMatch(/^READ_MODELS_URL: required/);
  });
});
