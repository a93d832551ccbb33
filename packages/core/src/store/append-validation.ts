// What every store refuses before it touches its backend: input the port's types rule out but a caller can
// still send (plain JavaScript, JSON off the wire, a careless integrator). Kept in one place so the in-memory,
// PostgreSQL/PGlite and EventStoreDB stores refuse the same appends with the same rules and field paths, and
// a refused append never takes a lock or sends a statement. docs/event-stores.md lists every limit and rule.
import { isIsoTimestamp } from '../codec/dates.js';
import { type NewEvent, newEventOf, roles } from '../envelope.js';
import { BanshishiError, storeRules, validationError } from '../errors.js';
import type { ExpectedRevision } from './port.js';

/** Limits every store factory takes as options; absent ones are `defaultAppendLimits`. */
export interface AppendLimits {
  /** Longest stream id, in UTF-16 code units (JavaScript `length`). */
  readonly maxStreamIdLength?: number;
  /** Largest event, in UTF-8 bytes of its JSON form: every envelope field, data included. */
  readonly maxEventBytes?: number;
}

export const defaultAppendLimits = { maxStreamIdLength: 256, maxEventBytes: 1024 * 1024 } as const;

/** Schema versions are stored as a 32-bit signed integer by the SQL store; the range is the same everywhere. */
export const maxSchemaVersion = 2 ** 31 - 1;

const refusal = (rule: string, path: string, problem: string): BanshishiError => {
  const message = `${path}: ${problem}`;
  return new BanshishiError(validationError(rule, message, { fields: [{ path, message }] }));
};

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Why a string cannot be stored, or null. PostgreSQL text and jsonb hold no NUL, and a lone surrogate has no
 * UTF-8 form: one store would raise a raw error (22P05, 22021), another would store U+FFFD in its place and
 * break the hash chain.
 */
const textProblem = (text: string): string | null => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'holds a NUL character (U+0000)';
    if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i += 1;
    else if (isHigh(c) || isLow(c)) return `holds a lone surrogate (U+${c.toString(16).toUpperCase()})`;
  }
  return null;
};

/** Bytes of `JSON.stringify(text)` in UTF-8, without building it. */
const jsonStringBytes = (text: string): number => {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
};

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Walks a JSON value without recursion (a deep payload cannot overflow the stack) and without expanding
 * shared sub-values more than the size budget allows; refuses what JSON or a store cannot carry faithfully,
 * and anything over `budget` bytes. Returns the bytes used.
 */
const checkJson = (root: unknown, rootPath: string, budget: number, tooLarge: () => BanshishiError): number => {
  let used = 0;
  const spend = (bytes: number) => {
    used += bytes;
    if (used > budget) throw tooLarge();
  };
  const onPath = new Set<object>();
  const work: ({ value: unknown; path: string } | { leave: object })[] = [{ value: root, path: rootPath }];
  while (work.length > 0) {
    const item = work.pop()!;
    if ('leave' in item) {
      onPath.delete(item.leave);
      continue;
    }
    const { value, path } = item;
    if (value === null) spend(4);
    else if (typeof value === 'boolean') spend(value ? 4 : 5);
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw refusal(storeRules.invalidData, path, `${value} is not a JSON number`);
      spend(JSON.stringify(value).length);
    } else if (typeof value === 'string') {
      spend(jsonStringBytes(value));
      const problem = textProblem(value);
      if (problem !== null) throw refusal(storeRules.invalidText, path, problem);
    } else if (typeof value === 'object') {
      if (onPath.has(value)) throw refusal(storeRules.invalidData, path, 'refers back to itself');
      onPath.add(value);
      work.push({ leave: value });
      if (Array.isArray(value)) {
        spend(2 + Math.max(0, value.length - 1));
        for (let i = value.length - 1; i >= 0; i--) {
          if (value[i] === undefined) throw refusal(storeRules.invalidData, `${path}[${i}]`, 'undefined is not JSON');
          work.push({ value: value[i], path: `${path}[${i}]` });
        }
      } else {
        if (!isPlainObject(value)) {
          throw refusal(storeRules.invalidData, path, `a ${value.constructor?.name ?? 'non-plain'} object is not JSON`);
        }
        // Undefined properties are left out, as JSON.stringify and the canonical encoding both do.
        const keys = Object.keys(value).filter((k) => value[k] !== undefined);
        spend(2 + Math.max(0, keys.length - 1));
        for (const key of keys.reverse()) {
          spend(jsonStringBytes(key) + 1);
          const problem = textProblem(key);
          if (problem !== null)
            throw refusal(storeRules.invalidText, path, `the key ${JSON.stringify(key)} ${problem}`);
          work.push({ value: value[key], path: `${path}.${key}` });
        }
      }
    } else {
      throw refusal(storeRules.invalidData, path, `a ${typeof value} is not JSON`);
    }
  }
  return used;
};

const shown = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
};

const isSafeRevision = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const checkExpectedRevisionShape = (expected: unknown) => {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists' || isSafeRevision(expected))
    return;
  throw refusal(
    storeRules.invalidExpectedRevision,
    'expectedRevision',
    `expected "any", "no_stream", "stream_exists" or a revision (an integer from 0), got ${shown(expected)}`,
  );
};

const checkStreamId = (streamId: unknown, maxLength: number) => {
  if (typeof streamId !== 'string') {
    throw refusal(storeRules.invalidStreamId, 'streamId', `expected a string, got ${shown(streamId)}`);
  }
  if (streamId.trim() === '') throw refusal(storeRules.invalidStreamId, 'streamId', 'must not be empty or blank');
  if (streamId.length > maxLength) {
    throw refusal(
      storeRules.invalidStreamId,
      'streamId',
      `is ${streamId.length} characters long; the limit is ${maxLength}`,
    );
  }
  const problem = textProblem(streamId);
  if (problem !== null) throw refusal(storeRules.invalidText, 'streamId', problem);
};

const actorKeys = new Set(['personId', 'role', 'unitId']);

const checkActor = (actor: unknown, path: string) => {
  if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) {
    throw refusal(storeRules.invalidActor, path, 'expected { personId, role, unitId? }');
  }
  const a = actor as Record<string, unknown>;
  if (typeof a.personId !== 'string' || a.personId.trim() === '') {
    throw refusal(storeRules.invalidActor, `${path}.personId`, 'expected a non-empty string');
  }
  if (!(roles as readonly unknown[]).includes(a.role)) {
    throw refusal(storeRules.invalidActor, `${path}.role`, `expected one of ${roles.join(' | ')}`);
  }
  if (a.unitId !== undefined && typeof a.unitId !== 'string') {
    throw refusal(storeRules.invalidActor, `${path}.unitId`, 'expected a string or nothing');
  }
  // A field the envelope does not know would be hashed here and dropped by a store that reads the actor back
  // field by field, so the event would no longer verify.
  const unknown = Object.keys(a).find((k) => !actorKeys.has(k) && a[k] !== undefined);
  if (unknown !== undefined) throw refusal(storeRules.invalidActor, `${path}.${unknown}`, 'is not an actor field');
};

const checkEvent = (event: unknown, path: string, maxEventBytes: number) => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw refusal(storeRules.invalidEvent, path, 'expected an event envelope');
  }
  const e = event as Record<keyof NewEvent, unknown>;
  if (typeof e.eventId !== 'string' || e.eventId === '') {
    throw refusal(storeRules.invalidEventId, `${path}.eventId`, 'expected a non-empty string');
  }
  if (typeof e.type !== 'string' || e.type.trim() === '') {
    throw refusal(storeRules.invalidEventType, `${path}.type`, 'expected a non-empty event type');
  }
  if (typeof e.schemaVersion !== 'number' || !Number.isInteger(e.schemaVersion) || e.schemaVersion < 1) {
    throw refusal(
      storeRules.invalidSchemaVersion,
      `${path}.schemaVersion`,
      `expected an integer from 1 to ${maxSchemaVersion}, got ${shown(e.schemaVersion)}`,
    );
  }
  if (e.schemaVersion > maxSchemaVersion) {
    throw refusal(
      storeRules.invalidSchemaVersion,
      `${path}.schemaVersion`,
      `${e.schemaVersion} is over the limit of ${maxSchemaVersion}`,
    );
  }
  if (!isIsoTimestamp(e.occurredAt)) {
    throw refusal(
      storeRules.invalidOccurredAt,
      `${path}.occurredAt`,
      `expected an ISO-8601 timestamp with an offset (2026-12-01T09:30:00+08:00), got ${shown(e.occurredAt)}`,
    );
  }
  checkActor(e.actor, `${path}.actor`);
  for (const field of ['correlationId', 'causationId'] as const) {
    if (typeof e[field] !== 'string') throw refusal(storeRules.invalidEvent, `${path}.${field}`, 'expected a string');
  }
  if (e.data === undefined) throw refusal(storeRules.invalidData, `${path}.data`, 'undefined is not JSON');
  // What a store keeps of the event, measured and checked as one JSON value: the size counts every field,
  // the text check reaches every string, envelope and payload alike.
  // Every field was checked above, so the record has the NewEvent shape.
  const stored = newEventOf(e as unknown as NewEvent);
  checkJson(stored, path, maxEventBytes, () =>
    refusal(storeRules.eventTooLarge, path, `is over the limit of ${maxEventBytes} bytes (UTF-8 JSON)`),
  );
};

/**
 * Throws a `validation` BanshishiError naming the first offending field (`streamId`, `expectedRevision`,
 * `events[2].data.note`, …) when an append is one no store may accept. Call it before anything else.
 */
export const assertValidAppend = (
  streamId: string,
  events: readonly NewEvent[],
  expectedRevision: ExpectedRevision,
  limits: AppendLimits = {},
): void => {
  const maxStreamIdLength = limits.maxStreamIdLength ?? defaultAppendLimits.maxStreamIdLength;
  const maxEventBytes = limits.maxEventBytes ?? defaultAppendLimits.maxEventBytes;
  checkStreamId(streamId, maxStreamIdLength);
  checkExpectedRevisionShape(expectedRevision);
  if (!Array.isArray(events)) throw refusal(storeRules.invalidEvent, 'events', 'expected an array of events');
  events.forEach((event, i) => {
    checkEvent(event, `events[${i}]`, maxEventBytes);
  });
};

/**
 * Whether a stream of this id could ever have been stored: a string with no NUL and no lone surrogate. Reads of
 * any other id find nothing, instead of handing the backend a string it cannot compare (22P05 on PostgreSQL).
 */
export const isStorableStreamId = (streamId: unknown): streamId is string =>
  typeof streamId === 'string' && textProblem(streamId) === null;

/** Throws a `validation` BanshishiError naming `fromRevision` or `limit` unless each is absent or a whole number. */
export const assertValidReadOptions = (options: {
  readonly fromRevision?: unknown;
  readonly limit?: unknown;
}): void => {
  for (const field of ['fromRevision', 'limit'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0))
      throw refusal(storeRules.invalidReadOption, field, `expected a whole number from 0, got ${shown(value)}`);
  }
};
