// @banshishi/core/store — the second entry point, for event-store adapters (store-postgres, store-esdb, and
// the conformance suite that holds them to the port): sealing the hash chain, the checks every append and
// read goes through, and the driver that turns `readAll` into an ordered subscription. An embedding app
// needs none of it; the port itself (`EventStore`) and `verifyStream` are in `@banshishi/core`.
export { genesisHash, hashInput, hashOf, sealEvents } from './integrity/hash-chain.js';
export {
  type AppendLimits,
  assertValidAppend,
  assertValidReadOptions,
  defaultAppendLimits,
  isStorableStreamId,
  maxSchemaVersion,
} from './store/append-validation.js';
export { isStoredAs } from './store/exact-retry.js';
export { checkExpectedRevision } from './store/port.js';
export { runSubscription, type StopSignal, type SubscriptionDriver } from './store/subscription.js';
