// @banshishi/core — the public entry point. Everything a developer embedding banshishi needs, and
// nothing else: what only an event-store adapter needs (sealing, append and read checks, the
// subscription driver) is behind the second entry point, `@banshishi/core/store` (store.ts).
export * from './campaign/index.js';
export * from './codec/dates.js';
export * from './codec/decode.js';
export * from './codec/personal.js';
export * from './codec/registry.js';
export * from './codec/schema-hint.js';
export * from './decider.js';
export * from './directory/index.js';
export * from './directory/static-view.js';
export * from './directory/view.js';
export * from './enterprise-service/index.js';
export * from './envelope.js';
export * from './errors.js';
export * from './fieldwork/index.js';
export * from './forgetting/index.js';
export * from './handling/business-time.js';
export * from './handling/command-handler.js';
export * from './handling/context-loader.js';
export * from './handling/decision-context.js';
export { eventIdFor, uuidFromName } from './handling/ids.js';
export * from './handling/view-builder.js';
export * from './integrity/canonical.js';
export {
  type HashChainOptions,
  type Sha256Hex,
  type StreamHead,
  sha256Hex,
  type Verification,
  verifyStream,
} from './integrity/hash-chain.js';
export * from './pairing/index.js';
export * from './personal-data.js';
export * from './privacy/cipher.js';
export * from './privacy/key-store.js';
export * from './privacy/sealed-value.js';
export * from './privacy/sealer.js';
export * from './problem/index.js';
export { getInMemoryEventStore, type InMemoryEventStoreOptions } from './store/in-memory.js';
export type {
  AppendResult,
  Checkpoint,
  EventStore,
  ExpectedRevision,
  PositionedEvent,
  ReadAllBatch,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from './store/port.js';
export { readWholeLog, readWholeLogEvents } from './store/port.js';
export * from './transparency/bundle.js';
export * from './transparency/leaf.js';
export * from './transparency/merkle.js';
export * from './transparency/note.js';
export * from './transparency/witness.js';
export * from './visit/index.js';
export * from './wish/index.js';
