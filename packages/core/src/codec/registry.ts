// The event registry: for each event type, its current schema version, its payload codec, and the
// upcasters that read every older version as the current shape — forever, since stored events never
// change. Decoding a stored event goes through here, so an event that no longer decodes is reported
// with its stream, revision and field instead of poisoning whatever reads it.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { DomainEvent, StoredEvent } from '../envelope.js';
import { type DomainError, integrityError, storeRules } from '../errors.js';
import { privacyRules } from '../privacy/key-store.js';
import { isRevealedData, isSealedValue } from '../privacy/sealed-value.js';
import { fieldProblems } from './decode.js';
import { mapPersonal, personalFields } from './personal.js';

/** Turns the payload of version `from` into the payload of version `from + 1`. */
export type Upcaster = (data: unknown, event: Pick<StoredEvent, 'occurredAt' | 'actor' | 'streamId'>) => unknown;

export interface EventDefinition<Type extends string = string, C extends t.Mixed = t.Mixed> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly codec: C;
  /** `upcasters[v]` reads version v as version v + 1. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
  /**
   * The first version whose personal fields are stored sealed (docs/privacy.md). The version before it
   * has the same shape in the clear: what `encode` gives and what was written before encryption.
   */
  readonly sealedSince?: number;
  /**
   * For an event that opens a stream: the data subject its stream's personal fields belong to (the
   * raiser, the wisher, the person). Read from the stored data, so only from fields that are not personal.
   */
  readonly dataSubject?: (data: unknown, streamId: string) => string;
}

/** Reads the clear version before sealing as the sealed one: the shape is the same. */
export const sameShape: Upcaster = (data) => data;

// A plain io-ts `type` passes undeclared properties straight through `encode`, so an event could carry
// data nobody declared — and nobody marked as personal. Every event codec is therefore made exact.
const exactTags = new Set(['InterfaceType', 'PartialType', 'IntersectionType', 'StrictType']);
const exactify = (codec: t.Mixed): t.Mixed => {
  const tag = (codec as { _tag?: string })._tag;
  if (tag !== undefined && exactTags.has(tag)) return t.exact(codec as unknown as t.HasProps) as unknown as t.Mixed;
  if (codec instanceof t.UnionType && codec.types.length >= 2) {
    const [a, b, ...rest] = (codec.types as t.Mixed[]).map(exactify);
    return t.union([a!, b!, ...rest], codec.name);
  }
  return codec;
};

export const defineEvent = <Type extends string, C extends t.Mixed>(
  type: Type,
  givenCodec: C,
  options: {
    schemaVersion?: number;
    upcasters?: Readonly<Record<number, Upcaster>>;
    sealedSince?: number;
    dataSubject?: (data: unknown, streamId: string) => string;
  } = {},
): EventDefinition<Type, C> => {
  const schemaVersion = options.schemaVersion ?? 1;
  const codec = exactify(givenCodec) as C;
  if (options.sealedSince !== undefined) {
    if (options.sealedSince < 2 || options.sealedSince > schemaVersion)
      throw new Error(`${type}: sealedSince must lie between 2 and the schema version ${schemaVersion}`);
    if (personalFields(codec).length === 0) throw new Error(`${type} has no personal fields to seal`);
  } else if (personalFields(codec).length > 0) {
    throw new Error(`${type} has personal fields: say from which version they are sealed (sealedSince)`);
  }
  return {
    type,
    codec,
    schemaVersion,
    ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
    ...(options.sealedSince === undefined ? {} : { sealedSince: options.sealedSince }),
    ...(options.dataSubject === undefined ? {} : { dataSubject: options.dataSubject }),
  };
};

/** The version `encode` writes: the clear one before sealing, for events with personal fields. */
export const clearVersionOf = (def: EventDefinition): number =>
  def.sealedSince === undefined ? def.schemaVersion : def.sealedSince - 1;

/** Paths of personal fields whose stored form does not match the version (clear where sealed, or back). */
const misstoredPersonalFields = (def: EventDefinition, schemaVersion: number, data: unknown) => {
  if (def.sealedSince === undefined || isRevealedData(data)) return null;
  const sealedVersion = schemaVersion >= def.sealedSince;
  const wrong: string[] = [];
  mapPersonal(def.codec, data, (value, path) => {
    if (isSealedValue(value) !== sealedVersion) wrong.push(path);
    return value;
  });
  return wrong.length === 0 ? null : { sealedVersion, paths: wrong };
};

export type EventOf<D extends EventDefinition> =
  D extends EventDefinition<infer T, infer C> ? DomainEvent<T, t.TypeOf<C>> : never;

export interface EventRegistry<E extends DomainEvent = DomainEvent> {
  readonly definitions: ReadonlyMap<string, EventDefinition>;
  /**
   * Schema version and encoded payload of an event, ready for a NewEvent. Personal fields are in the
   * clear, at the version before sealing: a `PersonalDataSealer` seals them before the event is stored.
   */
  encode(event: E): { readonly type: string; readonly schemaVersion: number; readonly data: unknown };
  /** Upcasts and decodes a stored event; an integrity error names stream, revision and field. */
  decode(
    stored: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data' | 'streamId' | 'revision' | 'occurredAt' | 'actor'>,
  ): E.Either<DomainError, E>;
  has(type: string): boolean;
}

export const createEventRegistry = <Defs extends readonly EventDefinition[]>(
  ...groups: readonly Defs[]
): EventRegistry<EventOf<Defs[number]>> => {
  const definitions = new Map<string, EventDefinition>();
  for (const def of groups.flat()) {
    if (definitions.has(def.type)) throw new Error(`event type ${def.type} registered twice`);
    definitions.set(def.type, def);
  }
  type E = EventOf<Defs[number]>;
  return {
    definitions,
    has: (type) => definitions.has(type),
    encode(event) {
      const def = definitions.get(event.type);
      if (def === undefined) throw new Error(`event type ${event.type} is not registered`);
      return { type: event.type, schemaVersion: clearVersionOf(def), data: def.codec.encode(event.data) };
    },
    decode(stored) {
      const where = `${stored.streamId}@${stored.revision}`;
      const fail = (message: string, details: Record<string, unknown> = {}) =>
        E.left(
          integrityError(
            storeRules.undecodableEvent,
            `${where} (${stored.type} v${stored.schemaVersion}): ${message}`,
            {
              streamId: stored.streamId,
              revision: stored.revision,
              type: stored.type,
              schemaVersion: stored.schemaVersion,
              ...details,
            },
          ),
        );
      const def = definitions.get(stored.type);
      if (def === undefined) return fail('unknown event type');
      if (stored.schemaVersion > def.schemaVersion || stored.schemaVersion < 1)
        return fail(`schema version ${stored.schemaVersion} is not known (current is ${def.schemaVersion})`);
      const misstored = misstoredPersonalFields(def, stored.schemaVersion, stored.data);
      if (misstored !== null)
        return fail(
          misstored.sealedVersion
            ? `personal fields stored in the clear at a version that seals them: ${misstored.paths.join(', ')}`
            : `sealed values at a version written in the clear: ${misstored.paths.join(', ')}`,
          {
            rule: misstored.sealedVersion ? privacyRules.clearAtSealedVersion : privacyRules.sealedAtClearVersion,
            fields: misstored.paths.map((p) => `data.${p}`),
          },
        );
      let data = stored.data;
      for (let v = stored.schemaVersion; v < def.schemaVersion; v++) {
        const up = def.upcasters?.[v];
        if (up === undefined) return fail(`no upcaster from version ${v}`);
        try {
          data = up(data, stored);
        } catch (e) {
          return fail(`upcasting from version ${v} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const decoded = def.codec.decode(data);
      if (E.isLeft(decoded)) {
        const fields = fieldProblems(decoded.left, 'data');
        return fail(fields.map((f) => f.message).join('; '), { fields: fields.map((f) => f.path) });
      }
      return E.right({ type: stored.type, data: decoded.right } as E);
    },
  };
};
