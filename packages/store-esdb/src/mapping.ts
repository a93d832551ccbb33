// The pure half of the EventStoreDB adapter: how banshishi's envelope, expected revisions, checkpoints
// and errors map onto EventStoreDB's records. No I/O here, so every rule is unit-tested without a server;
// the adapter in event-store.ts only sequences these with client calls.
import {
  type Actor,
  BanshishiError,
  type Checkpoint,
  categoryOf,
  type ExpectedRevision,
  integrityError,
  roles,
  type SealedEvent,
  type StoredEvent,
  storeRules,
  uuidFromName,
  wrongExpectedRevision,
} from '@banshishi/core';
import {
  ANY,
  type AppendExpectedRevision,
  ErrorType,
  type Filter,
  type JSONEventData,
  type JSONType,
  NO_STREAM,
  type Position,
  type RecordedEvent,
  STREAM_EXISTS,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

/** The port's expected revision in the client's vocabulary; revisions are 64-bit on the wire. */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

// Checkpoints are "<commit>:<prepare>", both decimal: a $all position is a pair, and projectors store the
// checkpoint as text beside their rows, so it must survive any database column unchanged.
const checkpointPattern = /^(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;

export const encodeCheckpoint = (position: Position): Checkpoint => `${position.commit}:${position.prepare}`;

export const decodeCheckpoint = (checkpoint: Checkpoint): Position => {
  const match = checkpointPattern.exec(checkpoint);
  if (match === null) throw new TypeError(`not an EventStoreDB checkpoint ("<commit>:<prepare>"): ${checkpoint}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
};

/** Order of two $all positions: by commit, then prepare (several events share a commit in one append). */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

/** The store's total order for subscribers; commit positions are byte offsets, far below 2^53. */
export const globalPositionOf = (position: Position): number => Number(position.commit);

/**
 * EventStoreDB's own records ($stats, $projections, $metadata, links `$>`…) live in `$`-prefixed streams or
 * carry `$`-prefixed types; banshishi never writes either, so they are never delivered to subscribers.
 */
export const isSystemEvent = (streamId: string, type: string): boolean =>
  streamId.startsWith('$') || type.startsWith('$');

/** The client-side predicate for `ReadAllOptions.categories`, with the same `categoryOf` as every adapter. */
export const inCategories = (categories: readonly string[] | undefined): ((streamId: string) => boolean) => {
  if (categories === undefined) return () => true;
  const wanted = new Set(categories);
  return (streamId) => wanted.has(categoryOf(streamId));
};

/**
 * Server-side filter for the live $all subscription that wakes a subscriber. Prefixes are the bare category
 * names, not `<category>-`: a stream named exactly `campaign` is in category `campaign` too, and an extra
 * wake-up for `campaigns-1` costs one empty read, while a missed one would stall the subscriber. Without
 * categories, the namespace prefix, or everything outside system streams.
 */
export const liveFilter = (prefix: string, categories: readonly string[] | undefined): Filter =>
  categories !== undefined
    ? streamNameFilter({ prefixes: categories.map((c) => `${prefix}${c}`) })
    : prefix === ''
      ? streamNameFilter({ regex: '^[^$]' })
      : streamNameFilter({ prefixes: [prefix] });

// Claim streams record which stream owns an event id (see `claim` in event-store.ts). They are never read
// as banshishi streams, whatever categories are asked for.
const claimMarker = 'banshishi:event-id:';

/** Banshishi stream ids ↔ EventStoreDB stream names, within an optional namespace. */
export const streamNames = (namespace: string | undefined) => {
  if (namespace !== undefined && (namespace === '' || namespace.startsWith('$') || namespace.includes('/'))) {
    throw new TypeError(`EventStoreDB namespace must be non-empty, not start with $ and hold no '/': ${namespace}`);
  }
  const prefix = namespace === undefined ? '' : `${namespace}/`;
  return {
    prefix,
    physical: (streamId: string): string => `${prefix}${streamId}`,
    /** The banshishi stream id of a stored stream name, or null for another namespace's or a claim stream. */
    logical: (name: string): string | null =>
      name.startsWith(prefix) && !name.startsWith(claimMarker, prefix.length) ? name.slice(prefix.length) : null,
    claim: (eventId: string): string => `${prefix}${claimMarker}${esdbEventIdOf(eventId)}`,
  };
};

/** The one record of a claim stream: its id depends on the claiming stream, so only that stream's repeat matches. */
export const claimRecord = (streamId: string, eventId: string): JSONEventData => ({
  id: uuidFromName(`banshishi/event-id-claim\u0000${streamId}\u0000${eventId}`),
  contentType: 'application/json',
  type: 'EventIdClaimed',
  data: { streamId, eventId },
  metadata: undefined,
});

// EventStoreDB ids must be UUIDs. Command handling makes every event id one (docs/architecture.md, the
// envelope), and those are stored as they are; any other id still gets a stable UUID derived from it, so
// the server's idempotency check sees retries as equal.
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const esdbEventIdOf = (eventId: string): string =>
  uuidPattern.test(eventId) ? eventId.toLowerCase() : uuidFromName(`banshishi/esdb-event-id\u0000${eventId}`);

/** Everything of the envelope that EventStoreDB has no field for; `$correlationId`/`$causationId` are its own. */
export interface EnvelopeMetadata {
  readonly eventId: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The revision the event was sealed at; the record's own revision is what reads report. */
  readonly revision: number;
  readonly $correlationId: string;
  readonly $causationId: string;
}

export const toEventData = (event: SealedEvent): JSONEventData => {
  const metadata: EnvelopeMetadata = {
    eventId: event.eventId,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    prevHash: event.prevHash,
    hash: event.hash,
    revision: event.revision,
    $correlationId: event.correlationId,
    $causationId: event.causationId,
  };
  return {
    id: esdbEventIdOf(event.eventId),
    contentType: 'application/json',
    type: event.type,
    // The client JSON-encodes whatever it is given; payloads are io-ts-encoded JSON values by construction.
    data: event.data as JSONType,
    metadata: metadata as unknown as JSONType,
  };
};

const undecodable = (recorded: Pick<RecordedEvent, 'streamId' | 'revision'>, why: string) =>
  new BanshishiError(
    integrityError(storeRules.undecodableEvent, `${recorded.streamId}@${recorded.revision}: ${why}`, {
      streamId: recorded.streamId,
      revision: String(recorded.revision),
    }),
  );

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isRole = (v: unknown): v is Actor['role'] => (roles as readonly unknown[]).includes(v);

const decodeActor = (v: unknown): Actor | null => {
  if (!isRecord(v) || !isString(v.personId) || !isRole(v.role)) return null;
  if (v.unitId === undefined) return { personId: v.personId, role: v.role };
  return isString(v.unitId) ? { personId: v.personId, role: v.role, unitId: v.unitId } : null;
};

/**
 * A stored record back into the envelope. Stream, revision, type and payload come from the record itself;
 * the rest from its metadata. Nothing is repaired: a record that was altered keeps its alteration, and
 * `verifyStream` reports it, because the hash covers every field read here.
 */
export const fromRecordedEvent = (recorded: RecordedEvent, globalPosition: number): StoredEvent => {
  if (!recorded.isJson) throw undecodable(recorded, 'payload is not JSON');
  const m: unknown = recorded.metadata;
  if (!isRecord(m)) throw undecodable(recorded, 'metadata is not a banshishi envelope');
  const actor = decodeActor(m.actor);
  const strings = ['eventId', 'occurredAt', 'recordedAt', 'correlationId', 'causationId', 'prevHash', 'hash'] as const;
  const missing = strings.find((k) => !isString(m[k]));
  if (missing !== undefined) throw undecodable(recorded, `metadata.${missing}: expected a string`);
  if (!isInteger(m.schemaVersion)) throw undecodable(recorded, 'metadata.schemaVersion: expected an integer');
  if (actor === null) throw undecodable(recorded, 'metadata.actor: expected { personId, role, unitId? }');
  const eventId = m.eventId as string;
  // The record's id is what EventStoreDB deduplicates on; it must be the one derived from the envelope's.
  if (esdbEventIdOf(eventId) !== recorded.id.toLowerCase()) {
    throw undecodable(recorded, `record id ${recorded.id} does not belong to event ${eventId}`);
  }
  return {
    eventId,
    type: recorded.type,
    schemaVersion: m.schemaVersion,
    data: recorded.data,
    occurredAt: m.occurredAt as string,
    actor,
    correlationId: m.correlationId as string,
    causationId: m.causationId as string,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    recordedAt: m.recordedAt as string,
    prevHash: m.prevHash as string,
    hash: m.hash as string,
    globalPosition,
  };
};

// Errors are recognised by class and, failing that, by the client's `type` tag: a second copy of the client
// library in the dependency tree would otherwise make `instanceof` miss them.
const hasType = (e: unknown, type: ErrorType): boolean => isRecord(e) && e.type === type;

export const isWrongExpectedVersion = (e: unknown): e is WrongExpectedVersionError =>
  e instanceof WrongExpectedVersionError || hasType(e, ErrorType.WRONG_EXPECTED_VERSION);

export const isStreamNotFound = (e: unknown): boolean =>
  e instanceof StreamNotFoundError || hasType(e, ErrorType.STREAM_NOT_FOUND);

/** The stream's revision as the server reported it in a WrongExpectedVersionError. */
export const actualRevisionOf = (e: WrongExpectedVersionError): number | 'no_stream' =>
  typeof e.actualVersion === 'bigint' ? Number(e.actualVersion) : 'no_stream';

/** The client's refusal as the port's, stated against the caller's expectation. */
export const toWrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  e: WrongExpectedVersionError,
): BanshishiError => wrongExpectedRevision(streamId, expected, actualRevisionOf(e));
