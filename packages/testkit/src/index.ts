// @banshishi/testkit — what specs share: given/when/then decider specifications, the conformance suites
// of event stores and subject-key stores, the wish-claim race, the loaded-modules recorder, the one seeded
// random generator and the histories built from it. Test code only; the demo generator is @banshishi/demo.
// Database test support has subpaths of its own: `@banshishi/testkit/postgres` (the test PostgreSQL, its
// default URL, fresh schemas) and `@banshishi/testkit/read-models` (the projection specification,
// read-model databases, table dumps).

export * from './conformance/event-store-conformance.js';
export * from './conformance/key-store-conformance.js';
export * from './decider-spec.js';
export * from './events.js';
export * from './histories/demo.js';
export * from './histories/random-history.js';
export * from './module-graph/loaded-modules.js';
export * from './privacy/forgetting-property.js';
export * from './random.js';
export * from './wish-claim-race.js';
