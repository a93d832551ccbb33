// @banshishi/store-esdb — the event-store port over EventStoreDB / KurrentDB (@eventstore/db-client).
// See docs/event-store-esdb.md for the mapping, the guarantees and how to run the conformance suite.
export {
  type EventStoreDBClientLike,
  type EventStoreDBConnection,
  type EventStoreDBEventStoreOptions,
  getEventStoreDBEventStore,
} from './event-store.js';
export {
  decodeCheckpoint,
  type EnvelopeMetadata,
  encodeCheckpoint,
  fromRecordedEvent,
  isSystemEvent,
  toEsdbExpectedRevision,
  toEventData,
} from './mapping.js';
