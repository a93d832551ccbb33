// @banshishi/testkit — what specs share: given/when/then decider specifications, the event-store
// conformance suite and the wish-claim race. Test code only; the demo generator is @banshishi/demo.

export * from './conformance/event-store-conformance.js';
export * from './decider-spec.js';
export * from './wish-claim-race.js';
