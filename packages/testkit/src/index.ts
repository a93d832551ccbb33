// @banshishi/testkit — helpers for specifying deciders, the event-store conformance suite and the
// demo-data generator.

export * from './conformance/event-store-conformance.js';
export * from './decider-spec.js';
export * from './demo/index.js';
export * from './wish-claim-race.js';
