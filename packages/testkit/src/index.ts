// @banshishi/testkit — what specs share: given/when/then decider specifications, the event-store
// conformance suite, the wish-claim race and the loaded-modules recorder. Test code only; the demo
// generator is @banshishi/demo.

export * from './conformance/event-store-conformance.js';
export * from './decider-spec.js';
export * from './module-graph/loaded-modules.js';
export * from './wish-claim-race.js';
