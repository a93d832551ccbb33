// @banshishi/read-models — the SQL read side: kysely schema and dialects (PostgreSQL and PGlite),
// migrations, the projection runtime (batches, checkpoints, builds and rebuilds) and the projections
// and queries the boards read.
export { migrateReadModels } from './migrations/index.js';
export * from './open.js';
export * from './runtime/batch.js';
export * from './runtime/builds.js';
export * from './runtime/projection.js';
export * from './runtime/retry.js';
export * from './runtime/runner.js';
export * from './schema.js';
export * from './sql/pg.js';
export * from './sql/pglite.js';
export { textParsers } from './sql/types.js';
