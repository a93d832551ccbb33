// What an auditor runs: every stream that the events table or the heads table knows, read as stored (not
// through the subscription frontier), its hash chain recomputed against the recorded head, its positions,
// categories and payloads checked, and every finding named with its kind, stream, revision and position.
import {
  campaignEventRegistry,
  categoryOf,
  type EventRegistry,
  forgettingEventRegistry,
  pairingEventRegistry,
  personEventRegistry,
  problemEventRegistry,
  type Sha256Hex,
  type StoredEvent,
  serviceEventRegistry,
  unitEventRegistry,
  verifyStream,
  visitEventRegistry,
  wishClaimLedgerEventRegistry,
  wishEventRegistry,
} from '@banshishi/core';
import { type AuditEvent, type AuditLog, type AuditStream, nodeSha256Hex } from '@banshishi/store-postgres';
import * as E from 'fp-ts/lib/Either.js';

export type FindingKind =
  // from the hash chain (core's verifyStream)
  | 'wrong_stream'
  | 'revision_gap'
  | 'broken_link'
  | 'hash_mismatch'
  | 'head_mismatch'
  | 'unhashable'
  // the heads table records a stream the events table holds nothing of, or the other way round
  | 'missing_events'
  | 'missing_head'
  // a transaction id the server has not assigned yet: every reader but this one skips the row
  | 'future_transaction'
  // a global position not above the one of the revision before it
  | 'position_order'
  // the category column of an event or a head is not the stream id's
  | 'wrong_category'
  | 'unknown_event_type'
  | 'undecodable_event'
  // a step no command could have made, found by folding the stream through its decider (replay.ts)
  | 'impossible_step';

export interface Finding {
  readonly kind: FindingKind;
  readonly streamId: string;
  readonly revision: number;
  /** The global position of the event concerned; null when the finding is about a head or no row. */
  readonly position: number | null;
  readonly message: string;
}

export interface AuditReport {
  readonly streams: number;
  readonly events: number;
  readonly findings: readonly Finding[];
}

type Decoder = Pick<EventRegistry, 'decode' | 'definitions'>;

/**
 * Folds a stream whose chain holds and whose every event decoded through its decider (replay.ts): the events
 * as the registry decoded and upcast them, in revision order. Its findings join the stream's, before the head's.
 */
export type Replay = (streamId: string, decoded: readonly StoredEvent[]) => readonly Finding[];

export interface VerifyOptions {
  /** The registries payloads are decoded with (default every core lifecycle's). */
  readonly registries?: readonly EventRegistry[];
  /** Called after every 1,000 streams and once at the end, with the streams and events checked so far. */
  readonly onProgress?: (streams: number, events: number) => void;
  readonly replay?: Replay;
  /** The SHA-256 the chain is recomputed with (default node:crypto's; core's portable one gives the same). */
  readonly sha256?: Sha256Hex;
}

/** Every registry of the core lifecycles; each event type belongs to exactly one. */
export const coreRegistries: readonly EventRegistry[] = [
  problemEventRegistry,
  wishEventRegistry,
  visitEventRegistry,
  unitEventRegistry,
  personEventRegistry,
  campaignEventRegistry,
  pairingEventRegistry,
  serviceEventRegistry,
  wishClaimLedgerEventRegistry,
  forgettingEventRegistry,
] as unknown as readonly EventRegistry[];

/** Each event type's registry; a type in two registries is a bug in the registries. */
export const decodersOf = (registries: readonly EventRegistry[]): ReadonlyMap<string, Decoder> => {
  const byType = new Map<string, Decoder>();
  for (const registry of registries)
    for (const type of registry.definitions.keys()) {
      if (byType.has(type)) throw new Error(`event type ${type} is in two registries`);
      byType.set(type, registry);
    }
  return byType;
};

const where = (streamId: string, revision: number, position: number | null) =>
  `${streamId}@${revision}${position === null ? '' : ` (position ${position})`}`;

/**
 * Every finding of one stream, the chain's first, then each event's in revision order, then the replay's,
 * then the head's.
 */
export const checkStream = (
  stream: AuditStream,
  decoders: ReadonlyMap<string, Decoder>,
  replay?: Replay,
  sha256: Sha256Hex = nodeSha256Hex,
): Finding[] => {
  const { streamId, events, head } = stream;
  const findings: Finding[] = [];
  const find = (kind: FindingKind, revision: number, position: number | null, text: string) =>
    findings.push({ kind, streamId, revision, position, message: `${where(streamId, revision, position)}: ${text}` });
  const category = categoryOf(streamId);
  // Each payload is decoded once, for the checks and the replay both; null once one does not decode.
  let decodedEvents: StoredEvent[] | null = replay === undefined ? null : [];

  if (events.length === 0 && head !== null)
    find(
      'missing_events',
      0,
      null,
      `the recorded head is at revision ${head.revision}, but the events table holds no event of the stream`,
    );
  const last = events[events.length - 1];
  if (last !== undefined && head === null)
    find('missing_head', last.revision, last.globalPosition, 'the streams table records no head for this stream');

  let chainHolds = true;
  if (events.length > 0) {
    const chain = verifyStream(streamId, events as readonly StoredEvent[], head ?? undefined, { sha256 });
    if (!chain.ok) {
      chainHolds = false;
      const at = events[chain.revision];
      const text = chain.message.slice(`${streamId}@${chain.revision}: `.length);
      find(chain.reason, chain.revision, at?.globalPosition ?? null, text);
    }
  }

  let previous: AuditEvent | undefined;
  for (const event of events) {
    const { revision, globalPosition: position } = event;
    if (event.frontier === 'future')
      find(
        'future_transaction',
        revision,
        position,
        `written by transaction ${event.txId}, an id the server has not assigned yet: every reader skips it`,
      );
    if (previous !== undefined && position <= previous.globalPosition)
      find(
        'position_order',
        revision,
        position,
        `comes before revision ${previous.revision} (position ${previous.globalPosition}) in the global log`,
      );
    if (event.category !== category)
      find('wrong_category', revision, position, `category is ${event.category}, the stream id says ${category}`);
    const decoder = decoders.get(event.type);
    if (decoder === undefined) {
      find('unknown_event_type', revision, position, `no registry knows ${event.type}`);
      decodedEvents = null;
    } else {
      const decoded = decoder.decode(event);
      // The registry's message starts with `<stream>@<revision> `, which `find` puts first already.
      if (E.isLeft(decoded)) {
        find('undecodable_event', revision, position, decoded.left.message.slice(`${streamId}@${revision} `.length));
        decodedEvents = null;
      } else
        decodedEvents?.push(
          decodedEvent(event, decoded.right.data, decoder.definitions.get(event.type)?.schemaVersion ?? 0),
        );
    }
    previous = event;
  }

  // Replayed only when the chain holds: after an edit, a gap or a swap, the steps that follow are the edit's
  // consequences, and the chain's finding already names where the stream stopped being what was written.
  if (replay !== undefined && chainHolds && decodedEvents !== null && decodedEvents.length > 0)
    for (const finding of replay(streamId, decodedEvents)) findings.push(finding);

  if (head !== null && head.category !== category)
    find(
      'wrong_category',
      head.revision,
      null,
      `the head's category is ${head.category}, the stream id says ${category}`,
    );
  return findings;
};

/** The stored event with its payload as the registry decoded it, at the version it was upcast to. */
const decodedEvent = (event: AuditEvent, data: unknown, schemaVersion: number): StoredEvent => ({
  eventId: event.eventId,
  type: event.type,
  schemaVersion,
  data,
  occurredAt: event.occurredAt,
  actor: event.actor,
  correlationId: event.correlationId,
  causationId: event.causationId,
  streamId: event.streamId,
  revision: event.revision,
  recordedAt: event.recordedAt,
  prevHash: event.prevHash,
  hash: event.hash,
  globalPosition: event.globalPosition,
});

/** Visits every stream of the log once and checks it; findings come in stream-id order. */
export const verifyEventLog = async (log: AuditLog, options: VerifyOptions = {}): Promise<AuditReport> => {
  const decoders = decodersOf(options.registries ?? coreRegistries);
  const sha256 = options.sha256 ?? nodeSha256Hex;
  const findings: Finding[] = [];
  let streams = 0;
  let events = 0;
  await log.eachStream((stream) => {
    for (const finding of checkStream(stream, decoders, options.replay, sha256)) findings.push(finding);
    events += stream.events.length;
    if (++streams % 1000 === 0) options.onProgress?.(streams, events);
  });
  options.onProgress?.(streams, events);
  // Streams that only the heads table knows are visited last; a stable sort puts them in their place.
  findings.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  return { streams, events, findings };
};

/** One line per event of a stream: when, who in which role, what — the auditor's view of an item. */
export const historyLines = (events: readonly StoredEvent[]): string[] =>
  events.map(
    (e) =>
      `${String(e.revision).padStart(4)}  ${e.occurredAt}  ${e.actor.personId} (${e.actor.role}${e.actor.unitId === undefined ? '' : ` @ ${e.actor.unitId}`})  ${e.type} v${e.schemaVersion}  hash ${e.hash.slice(0, 12)}`,
  );
