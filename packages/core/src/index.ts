// @banshishi/core — the public entry point. Everything a developer embedding banshishi needs, and
// nothing else: internals stay behind this file.
export * from './campaign/index.js';
export * from './codec/decode.js';
export * from './codec/personal.js';
export * from './codec/registry.js';
export * from './codec/timestamp.js';
export * from './decider.js';
export * from './directory/index.js';
export * from './directory/static-view.js';
export * from './directory/view.js';
export * from './envelope.js';
export * from './errors.js';
export * from './handling/business-time.js';
export * from './handling/command-handler.js';
export { eventIdFor, uuidFromName } from './handling/ids.js';
export * from './integrity/canonical.js';
export * from './integrity/hash-chain.js';
export * from './problem/index.js';
export {
  type AppendLimits,
  assertValidAppend,
  assertValidReadOptions,
  defaultAppendLimits,
  isStorableStreamId,
  maxSchemaVersion,
} from './store/append-validation.js';
export { isStoredAs } from './store/exact-retry.js';
export { getInMemoryEventStore, type InMemoryEventStoreOptions } from './store/in-memory.js';
export * from './store/port.js';
export { runSubscription, type StopSignal, type SubscriptionDriver } from './store/subscription.js';
export * from './wish/index.js';
