// `state <stream | item id> --as-of <time> | --at-revision N`: what an item looked like at a past moment, folded
// from its events up to then through its decider's `evolve`, exactly as a command would have seen it. The
// events are taken up to an instant of business time (`occurredAt`, the default: when the acts were done) or
// of store time (`recordedAt`: what the record held then); both only grow along a stream, so "up to then" is
// always a prefix of it. Sealed personal fields stay sealed: the state shows that there is one, not its value.
import {
  type DomainError,
  type EventStore,
  isSealedValue,
  personalDataMarkers,
  type StoredEvent,
  validationError,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { decodeStream, foldOf } from './lifecycles.js';
import { withClearFieldsWithheld } from './withheld.js';

export type TimeAxis = 'occurred' | 'recorded';

export type StateQuery = { readonly asOf: string; readonly by: TimeAxis } | { readonly atRevision: number };

export interface StateAt {
  readonly streamId: string;
  /** The last event folded in, or null when the stream had no event yet at that moment. */
  readonly revision: number | null;
  readonly occurredAt: string | null;
  readonly recordedAt: string | null;
  /** Events folded, and events the stream holds in all. */
  readonly events: number;
  readonly of: number;
  readonly state: unknown;
}

/** The events a query takes: the stream's prefix up to the instant or revision. */
export const eventsUpTo = (events: readonly StoredEvent[], query: StateQuery): readonly StoredEvent[] => {
  if ('atRevision' in query) return events.filter((e) => e.revision <= query.atRevision);
  const until = Date.parse(query.asOf);
  const timeOf = (e: StoredEvent) => Date.parse(query.by === 'occurred' ? e.occurredAt : e.recordedAt);
  const end = events.findIndex((e) => timeOf(e) > until);
  return end === -1 ? events : events.slice(0, end);
};

/** Replaces every sealed value by the sealed marker, so a state can be printed. */
export const withSealedMarked = (value: unknown): unknown => {
  if (isSealedValue(value)) return personalDataMarkers.sealed;
  if (Array.isArray(value)) return value.map(withSealedMarked);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSealedMarked(v)]));
  return value;
};

/** Folds decoded events of one stream as the query asks. */
export const stateOf = (streamId: string, decoded: readonly StoredEvent[], query: StateQuery): StateAt | undefined => {
  const fold = foldOf(streamId);
  if (fold === undefined) return undefined;
  const taken = eventsUpTo(decoded, query);
  const last = taken[taken.length - 1];
  return {
    streamId,
    revision: last?.revision ?? null,
    occurredAt: last?.occurredAt ?? null,
    recordedAt: last?.recordedAt ?? null,
    events: taken.length,
    of: decoded.length,
    state: taken.reduce((state, event) => fold.evolve(state, event as never), fold.initialState),
  };
};

/** Reads and decodes the stream, then folds it as the query asks. */
export const readStateAt = async (
  store: EventStore,
  streamId: string,
  query: StateQuery,
): Promise<E.Either<DomainError, StateAt>> => {
  if (foldOf(streamId) === undefined)
    return E.left(
      validationError('audit.state.stream', `${streamId}: this kind of stream has no state to fold`, {
        fields: ['stream'],
      }),
    );
  const decoded = decodeStream(await store.readStream(streamId));
  if (E.isLeft(decoded)) return decoded;
  // Decoded first (a codec refuses a marker in a personal field), then every field still in the clear withheld.
  return E.right(stateOf(streamId, decoded.right.map(withClearFieldsWithheld), query)!);
};

/** The state as indented `key: value` lines, nested objects and lists below their key. */
export const stateLines = (at: StateAt): string[] => {
  const lines = [
    at.revision === null
      ? `${at.streamId}: no event yet at that moment (the stream holds ${at.of})`
      : `${at.streamId} after revision ${at.revision} (${at.events} of ${at.of} events; occurred ${at.occurredAt}, recorded ${at.recordedAt})`,
  ];
  const walk = (value: unknown, indent: string) => {
    if (Array.isArray(value)) {
      if (value.length === 0) lines[lines.length - 1] += ' []';
      for (const item of value) {
        if (typeof item === 'object' && item !== null) {
          lines.push(`${indent}-`);
          walk(item, `${indent}  `);
        } else lines.push(`${indent}- ${String(item)}`);
      }
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null) {
        lines.push(`${indent}${key}:`);
        walk(v, `${indent}  `);
      } else lines.push(`${indent}${key}: ${v === null ? '—' : String(v)}`);
    }
  };
  walk(withSealedMarked(at.state), '  ');
  return lines;
};
