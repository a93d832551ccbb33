// @banshishi/read-models — the SQL read side: kysely schema and dialects (PostgreSQL and PGlite),
// migrations, the projection runtime (batches, checkpoints, builds and rebuilds) and the projections
// and queries the boards read.

export type { PGlite } from '@electric-sql/pglite';
export { migrateReadModels } from './migrations/index.js';
export * from './open.js';
export * from './projections/directory.js';
export * from './projections/disclosure.js';
export * from './projections/enterprise-service.js';
export * from './projections/evaluation.js';
export * from './projections/index.js';
export * from './projections/pairing.js';
export { isMaskedName, publicFields, publicNameOf, publicPart } from './projections/public-fields.js';
export * from './projections/raisers.js';
export * from './projections/visits.js';
export * from './queries/config.js';
export * from './queries/directory.js';
export * from './queries/disclosure.js';
export * from './queries/enterprise-service.js';
export * from './queries/evaluation.js';
export * from './queries/freshness.js';
export * from './queries/ledger.js';
export * from './queries/open311.js';
export * from './queries/pairing.js';
export * from './queries/recent-counts.js';
export * from './queries/summary.js';
export * from './queries/visits.js';
export * from './queries/work.js';
export * from './runtime/batch.js';
export * from './runtime/builds.js';
export * from './runtime/catch-up.js';
export * from './runtime/check.js';
export * from './runtime/projection.js';
export * from './runtime/retry.js';
export * from './runtime/runner.js';
export * from './schema.js';
export * from './sql/pg.js';
export * from './sql/pglite.js';
export { textParsers } from './sql/types.js';
