// @banshishi/store-esdb — the event-store port over EventStoreDB / KurrentDB (@eventstore/db-client).
// See docs/event-store-esdb.md for the mapping, the guarantees and how to run the conformance suite.
// The one export is the factory: the mapping and the client shape are this package's own business.
export { getEventStoreDBEventStore } from './event-store.js';
