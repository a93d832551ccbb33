// @banshishi/testkit/read-models — what the read-model and projector specs share: the projection
// specification (given events, then rows), read-model databases on PGlite and on the test PostgreSQL,
// table dumps for comparing builds, and a toy projection for testing the runtime on its own.
export * from './compare.js';
export * from './databases.js';
export * from './projection-spec.js';
export * from './toy.js';
