// JSON Schema (2020-12, as OpenAPI 3.1 uses it) of core's io-ts codecs, and the undeclared properties of a
// request body. Both walk the codec's own structure, so the document and the 400 for an unknown field say
// exactly what the decoder admits; a codec of a kind not known here is described as "anything", never thrown on.
import { isPersonal, schemaHintOf } from '@banshishi/core';
import type * as t from 'io-ts';
import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';

type Schema = SchemaObject | ReferenceObject;

/** The fields of io-ts's built-in codecs that a walk reads (each kind has some of them). */
type Walkable = t.Mixed & {
  readonly _tag?: string;
  readonly props?: Readonly<Record<string, t.Mixed>>;
  readonly types?: readonly t.Mixed[];
  readonly type?: t.Mixed;
  readonly value?: unknown;
  readonly keys?: Readonly<Record<string, unknown>>;
  readonly domain?: t.Mixed;
  readonly codomain?: t.Mixed;
};

/**
 * Where named codecs are collected: each becomes `components.schemas.<name>` and is referred to by `$ref`.
 * Two different codecs that happen to share a name are not merged: the second is written out in place.
 */
export interface SchemaComponents {
  readonly schemas: Record<string, SchemaObject>;
  readonly owners: Map<string, t.Mixed>;
}

export const schemaComponents = (): SchemaComponents => ({ schemas: {}, owners: new Map() });

export interface JsonSchemaOptions {
  /** Top-level properties left out: those a path parameter fills. */
  readonly omit?: readonly string[];
  /** Top-level properties made optional: an id the server makes when the client sends none. */
  readonly optional?: readonly string[];
  /** When given, named codecs go here and are referred to; without it everything is written in place. */
  readonly components?: SchemaComponents;
}

// io-ts names every codec; only a name given on purpose (`t.type({...}, 'ProblemDetails')`) is a word,
// and only on a codec that has a structure of its own (io-ts calls its `t.UnknownRecord` by a word too).
const stableName = /^[A-Z][A-Za-z0-9]*$/;
const referableTags = new Set([
  'InterfaceType',
  'PartialType',
  'StrictType',
  'ExactType',
  'IntersectionType',
  'UnionType',
  'KeyofType',
  'ArrayType',
  'ReadonlyArrayType',
  'DictionaryType',
]);
const isReferable = (codec: t.Mixed, components: SchemaComponents | undefined): components is SchemaComponents =>
  components !== undefined && stableName.test(codec.name) && referableTags.has((codec as Walkable)._tag ?? '');

export const personalDescription = (kind: string): string =>
  `个人信息（${kind}），加密存储，不公开 / Personal data (${kind}): stored encrypted, never shown publicly`;

const isObjectSchema = (s: Schema): s is SchemaObject =>
  !('$ref' in s && s.$ref !== undefined) &&
  (s as SchemaObject).type === 'object' &&
  (s as SchemaObject).properties !== undefined;

/** One object of the members' properties, when every member is a plain object schema; else `allOf`. */
const mergeObjects = (members: readonly Schema[]): SchemaObject => {
  if (members.length > 0 && members.every(isObjectSchema)) {
    const objects = members as readonly SchemaObject[];
    const required = [...new Set(objects.flatMap((o) => o.required ?? []))];
    return {
      type: 'object',
      properties: Object.assign({}, ...objects.map((o) => o.properties)),
      ...(required.length === 0 ? {} : { required }),
      ...(objects.some((o) => o.additionalProperties === false) ? { additionalProperties: false } : {}),
    };
  }
  return { allOf: [...members] };
};

/** A union whose members all fix one property to different constants: exactly one can match. */
const isDiscriminated = (members: readonly Schema[]): boolean => {
  if (!members.every(isObjectSchema)) return false;
  const objects = members as readonly SchemaObject[];
  const first = objects[0];
  if (first === undefined) return false;
  return Object.keys(first.properties ?? {}).some((key) => {
    const values = objects.map((o) => (o.properties?.[key] as SchemaObject | undefined)?.const);
    return values.every((v) => v !== undefined) && new Set(values).size === values.length;
  });
};

const unionSchema = (members: readonly Schema[]): SchemaObject => {
  const plain = members as readonly SchemaObject[];
  if (plain.every((m) => m.const !== undefined && m.$ref === undefined)) return { enum: plain.map((m) => m.const) };
  const nullIndex = plain.findIndex((m) => m.type === 'null' && Object.keys(m).length === 1);
  const other = plain.filter((_, i) => i !== nullIndex);
  const only = other[0];
  if (
    nullIndex >= 0 &&
    other.length === 1 &&
    only !== undefined &&
    typeof only.type === 'string' &&
    only.$ref === undefined
  )
    return { ...only, type: [only.type, 'null'] };
  return isDiscriminated(members) ? { oneOf: [...members] } : { anyOf: [...members] };
};

const typeOfValue = (v: unknown): SchemaObject['type'] =>
  v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';

/** The schema of one codec, written in place (named members inside it may still be references). */
const inlineSchema = (codec: t.Mixed, components: SchemaComponents | undefined): SchemaObject => {
  const sub = (c: t.Mixed): Schema => schemaOf(c, components);
  if (isPersonal(codec)) {
    const base = sub(codec.base);
    return {
      ...base,
      'x-personal-data': codec.personal,
      description: personalDescription(codec.personal),
    } as SchemaObject;
  }
  const hint = schemaHintOf(codec);
  if (hint !== undefined) {
    const { items, ...keywords } = hint;
    return items === undefined ? { ...keywords } : { ...keywords, items: sub(items) };
  }
  const c = codec as Walkable;
  switch (c._tag) {
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'UnknownType':
    case 'AnyType':
      return {};
    case 'UnknownRecordType':
    case 'AnyDictionaryType':
      return { type: 'object' };
    case 'UnknownArrayType':
    case 'AnyArrayType':
      return { type: 'array' };
    case 'LiteralType':
      return { type: typeOfValue(c.value), const: c.value };
    case 'KeyofType':
      return { type: 'string', enum: Object.keys(c.keys ?? {}) };
    case 'UnionType':
      return unionSchema((c.types ?? []).map(sub));
    case 'IntersectionType':
      return mergeObjects((c.types ?? []).map((m) => inlineSchema(m, components)));
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType': {
      const props = c.props ?? {};
      const required = c._tag === 'PartialType' ? [] : Object.keys(props);
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sub(v)])),
        ...(required.length === 0 ? {} : { required }),
        ...(c._tag === 'StrictType' ? { additionalProperties: false } : {}),
      };
    }
    case 'ExactType': {
      const inner = inlineSchema(c.type!, components);
      return isObjectSchema(inner) ? { ...inner, additionalProperties: false } : inner;
    }
    case 'ReadonlyType':
      return inlineSchema(c.type!, components);
    case 'RefinementType':
      // t.Int is the one refinement of io-ts's own that JSON Schema can say.
      return c.name === 'Int' ? { type: 'integer' } : inlineSchema(c.type!, components);
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { type: 'array', items: sub(c.type!) };
    case 'TupleType':
      return {
        type: 'array',
        prefixItems: (c.types ?? []).map(sub),
        minItems: c.types?.length ?? 0,
        maxItems: c.types?.length ?? 0,
      };
    case 'DictionaryType': {
      const domain = c.domain as Walkable | undefined;
      const value = sub(c.codomain!);
      if (domain?._tag === 'KeyofType' || domain?._tag === 'LiteralType' || domain?._tag === 'UnionType') {
        const keys = domain._tag === 'KeyofType' ? Object.keys(domain.keys ?? {}) : literalKeys(domain);
        if (keys !== undefined)
          return { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, value])), required: keys };
      }
      return { type: 'object', additionalProperties: value };
    }
    default:
      return { description: `not described here: ${codec.name}` };
  }
};

const literalKeys = (codec: Walkable): string[] | undefined => {
  if (codec._tag === 'LiteralType') return typeof codec.value === 'string' ? [codec.value] : undefined;
  const keys = (codec.types ?? []).map((m) => literalKeys(m as Walkable));
  return keys.every((k) => k !== undefined) ? keys.flat() : undefined;
};

/** A codec's schema where it is used: a reference when it is named and components are collected. */
export const schemaOf = (codec: t.Mixed, components: SchemaComponents | undefined): Schema => {
  if (!isReferable(codec, components)) return inlineSchema(codec, components);
  const owner = components.owners.get(codec.name);
  if (owner !== undefined && owner !== codec) return inlineSchema(codec, components);
  if (owner === undefined) {
    components.owners.set(codec.name, codec);
    components.schemas[codec.name] = inlineSchema(codec, components);
  }
  return { $ref: `#/components/schemas/${codec.name}` };
};

/** Leaves out and loosens top-level properties, wherever an intersection or union put them. */
const reshapeTop = (schema: SchemaObject, omit: ReadonlySet<string>, optional: ReadonlySet<string>): SchemaObject => {
  const reshaped: SchemaObject = { ...schema };
  if (schema.properties !== undefined)
    reshaped.properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !omit.has(k)));
  if (schema.required !== undefined) {
    const required = schema.required.filter((k) => !omit.has(k) && !optional.has(k));
    if (required.length === 0) delete reshaped.required;
    else reshaped.required = required;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = schema[key];
    if (members !== undefined)
      reshaped[key] = members.map((m) => ('$ref' in m ? m : reshapeTop(m as SchemaObject, omit, optional)));
  }
  return reshaped;
};

/**
 * The JSON Schema of a codec. With `components`, named codecs below the top are references; the top is
 * always written in place, as `omit` and `optional` change it.
 */
export const jsonSchemaOf = (codec: t.Mixed, options: JsonSchemaOptions = {}): SchemaObject => {
  const schema = inlineSchema(codec, options.components);
  const omit = new Set(options.omit ?? []);
  const optional = new Set(options.optional ?? []);
  return omit.size === 0 && optional.size === 0 ? schema : reshapeTop(schema, omit, optional);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The codecs that describe `value` at this level, through wrappers and intersections; of a union, the
 * first member the value is (as io-ts decodes), or every member when it is none of them.
 */
const shapesFor = (codec: t.Mixed, value: unknown): t.Mixed[] => {
  if (isPersonal(codec)) return shapesFor(codec.base, value);
  if (schemaHintOf(codec) !== undefined) return [codec];
  const c = codec as Walkable;
  switch (c._tag) {
    case 'ExactType':
    case 'ReadonlyType':
    case 'RefinementType':
      return shapesFor(c.type!, value);
    case 'IntersectionType':
      return (c.types ?? []).flatMap((m) => shapesFor(m, value));
    case 'UnionType': {
      const members = c.types ?? [];
      const branch = members.find((m) => m.is(value));
      return (branch === undefined ? members : [branch]).flatMap((m) => shapesFor(m, value));
    }
    default:
      return [codec];
  }
};

const itemCodecs = (shapes: readonly t.Mixed[], index: number): t.Mixed[] =>
  shapes.flatMap((s) => {
    const hinted = schemaHintOf(s)?.items;
    if (hinted !== undefined) return [hinted];
    const c = s as Walkable;
    if (c._tag === 'ArrayType' || c._tag === 'ReadonlyArrayType') return [c.type!];
    if (c._tag === 'TupleType') return c.types?.[index] === undefined ? [] : [c.types[index]!];
    return [];
  });

const objectTags = new Set(['InterfaceType', 'PartialType', 'StrictType']);
const openTags = new Set(['UnknownRecordType', 'AnyDictionaryType', 'UnknownType', 'AnyType']);

/**
 * Paths of the properties in `value` that its codec does not declare (`body.raiser.nickname`; array items
 * by index, `body.evidence.0.x`). A value of the wrong kind altogether is left to the decoder to report.
 */
export const unknownFieldsOf = (codec: t.Mixed, value: unknown, prefix = 'body'): string[] => {
  const found = new Set<string>();
  const walk = (codecs: readonly t.Mixed[], v: unknown, path: string): void => {
    const shapes = codecs.flatMap((c) => shapesFor(c, v));
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const items = itemCodecs(shapes, i);
        if (items.length > 0) walk(items, item, `${path}.${i}`);
      });
      return;
    }
    if (!isPlainObject(v)) return;
    if (shapes.some((s) => openTags.has((s as Walkable)._tag ?? ''))) return;
    const objects = shapes.filter((s) => objectTags.has((s as Walkable)._tag ?? ''));
    const dictionaries = shapes.flatMap((s) =>
      (s as Walkable)._tag === 'DictionaryType' ? [(s as Walkable).codomain!] : [],
    );
    if (objects.length === 0 && dictionaries.length === 0) return;
    const declared = new Map<string, t.Mixed[]>();
    for (const o of objects)
      for (const [k, p] of Object.entries((o as Walkable).props ?? {}))
        declared.set(k, [...(declared.get(k) ?? []), p]);
    for (const [k, item] of Object.entries(v)) {
      const props = declared.get(k) ?? (dictionaries.length > 0 ? dictionaries : undefined);
      if (props === undefined) found.add(`${path}.${k}`);
      else walk(props, item, `${path}.${k}`);
    }
  };
  walk([codec], value, prefix);
  return [...found];
};
