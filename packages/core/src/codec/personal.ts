// Personal data of residents is marked in the codecs themselves, so every consumer (read models,
// exports, public feeds) can ask a codec which of its fields must never reach a public table.
import * as t from 'io-ts';
import {
  isForgottenPlaceholder,
  isSealedValue,
  isWithheldValue,
  personalDataMarkers,
} from '../privacy/sealed-value.js';

/** `location` is where a resident stood or points to (a map pin): it leads to their door as an address does. */
export type PersonalKind = 'name' | 'phone' | 'id_number' | 'address' | 'email' | 'location' | 'free_text_contact';

/** A codec that carries the mark "this is personal data of kind K". Decodes exactly as its base. */
export interface PersonalCodec<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly personal: PersonalKind;
  readonly base: C;
}

/**
 * Marks a codec as personal data of kind K. It decodes as its base, except that a sealed value (stored
 * encrypted, docs/privacy.md) decodes as the `sealed` marker, and the markers themselves are refused as
 * input: nobody's name may be "⟦forgotten⟧".
 */
export const personal = <C extends t.Mixed>(base: C, kind: PersonalKind): PersonalCodec<C> =>
  Object.assign(
    new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
      base.name,
      (u): u is t.TypeOf<C> => isSealedValue(u) || isForgottenPlaceholder(u) || base.is(u),
      (u, c) => {
        if (isSealedValue(u)) return t.success(personalDataMarkers.sealed as t.TypeOf<C>);
        if (isForgottenPlaceholder(u)) return t.success(personalDataMarkers.forgotten as t.TypeOf<C>);
        if (isWithheldValue(u)) return t.failure(u, c, 'a marker of withheld personal data is not a value');
        return base.validate(u, c);
      },
      base.encode,
    ),
    { personal: kind, base },
  );

export const isPersonal = (codec: unknown): codec is PersonalCodec<t.Mixed> =>
  typeof codec === 'object' && codec !== null && typeof (codec as { personal?: unknown }).personal === 'string';

export interface PersonalField {
  /** Dotted path into the decoded value; `[]` marks array elements. */
  readonly path: string;
  readonly kind: PersonalKind;
}

/** Lists every personal field a codec can contain, by walking its structure. */
export const personalFields = (codec: t.Mixed, prefix = ''): PersonalField[] => {
  if (isPersonal(codec)) return [{ path: prefix, kind: codec.personal }];
  const join = (key: string) => (prefix === '' ? key : `${prefix}.${key}`);
  const c = codec as t.Mixed & {
    _tag?: string;
    props?: Record<string, t.Mixed>;
    types?: t.Mixed[];
    type?: t.Mixed;
    codomain?: t.Mixed;
  };
  switch (c._tag) {
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType':
      return Object.entries(c.props ?? {}).flatMap(([k, v]) => personalFields(v, join(k)));
    case 'ExactType':
    case 'ReadonlyType':
    case 'RefinementType':
      return c.type === undefined ? [] : personalFields(c.type, prefix);
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return c.type === undefined ? [] : personalFields(c.type, `${prefix}[]`);
    case 'DictionaryType':
      return c.codomain === undefined ? [] : personalFields(c.codomain, `${prefix}.*`);
    case 'IntersectionType':
    case 'UnionType':
    case 'TupleType': {
      const seen = new Map<string, PersonalField>();
      for (const member of c.types ?? []) for (const f of personalFields(member, prefix)) seen.set(f.path, f);
      return [...seen.values()];
    }
    default:
      return [];
  }
};

/**
 * Collects the personal values present in a decoded value, for checks that they never leak. Walks the
 * codec and the value together, so a union contributes only the branch the value actually is (an
 * enterprise's public name is not reported because a resident's name in another branch is personal).
 */
export const personalValues = (codec: t.Mixed, value: unknown): string[] => {
  const out: string[] = [];
  const walk = (c: t.Mixed, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (isPersonal(c)) {
      if ((typeof v === 'string' && !isWithheldValue(v)) || typeof v === 'number') out.push(String(v));
      return;
    }
    const inner = c as t.Mixed & {
      _tag?: string;
      props?: Record<string, t.Mixed>;
      types?: t.Mixed[];
      type?: t.Mixed;
      codomain?: t.Mixed;
    };
    switch (inner._tag) {
      case 'InterfaceType':
      case 'PartialType':
      case 'StrictType':
        if (typeof v === 'object')
          for (const [k, p] of Object.entries(inner.props ?? {})) walk(p, (v as Record<string, unknown>)[k]);
        return;
      case 'ExactType':
      case 'ReadonlyType':
      case 'RefinementType':
        if (inner.type !== undefined) walk(inner.type, v);
        return;
      case 'ArrayType':
      case 'ReadonlyArrayType':
        if (Array.isArray(v) && inner.type !== undefined) for (const item of v) walk(inner.type, item);
        return;
      case 'DictionaryType':
        if (typeof v === 'object' && inner.codomain !== undefined)
          for (const item of Object.values(v)) walk(inner.codomain, item);
        return;
      case 'IntersectionType':
        for (const member of inner.types ?? []) walk(member, v);
        return;
      case 'UnionType': {
        const branch = (inner.types ?? []).find((member) => member.is(v));
        if (branch !== undefined) walk(branch, v);
        return;
      }
      case 'TupleType':
        if (Array.isArray(v)) for (const [i, member] of (inner.types ?? []).entries()) walk(member, v[i]);
        return;
      default:
        return;
    }
  };
  walk(codec, value);
  return out;
};

type Walkable = t.Mixed & {
  _tag?: string;
  props?: Record<string, t.Mixed>;
  types?: t.Mixed[];
  type?: t.Mixed;
  codomain?: t.Mixed;
};

/**
 * Rebuilds a value with every personal field (present and not null) replaced by `f(value, path, kind)`,
 * walking the codec and the value together as `personalValues` does. Paths are those of the JSON value,
 * `raiser.name`, `items[2].phone`, so a sealed value can be bound to the place it was sealed in.
 */
export const mapPersonal = (
  codec: t.Mixed,
  value: unknown,
  f: (value: unknown, path: string, kind: PersonalKind) => unknown,
): unknown => {
  const walk = (c: t.Mixed, v: unknown, path: string): unknown => {
    if (v === undefined || v === null) return v;
    if (isPersonal(c)) return f(v, path, c.personal);
    const inner = c as Walkable;
    const join = (key: string) => (path === '' ? key : `${path}.${key}`);
    switch (inner._tag) {
      case 'InterfaceType':
      case 'PartialType':
      case 'StrictType': {
        if (typeof v !== 'object' || Array.isArray(v)) return v;
        const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        for (const [k, p] of Object.entries(inner.props ?? {})) if (k in out) out[k] = walk(p, out[k], join(k));
        return out;
      }
      case 'ExactType':
      case 'ReadonlyType':
      case 'RefinementType':
        return inner.type === undefined ? v : walk(inner.type, v, path);
      case 'ArrayType':
      case 'ReadonlyArrayType':
        return Array.isArray(v) && inner.type !== undefined
          ? v.map((item, i) => walk(inner.type!, item, `${path}[${i}]`))
          : v;
      case 'DictionaryType':
        if (typeof v !== 'object' || Array.isArray(v) || inner.codomain === undefined) return v;
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, walk(inner.codomain!, item, join(k))]),
        );
      case 'IntersectionType':
        return (inner.types ?? []).reduce<unknown>((acc, member) => walk(member, acc, path), v);
      case 'UnionType': {
        const branch = (inner.types ?? []).find((member) => member.is(v));
        return branch === undefined ? v : walk(branch, v, path);
      }
      case 'TupleType':
        return Array.isArray(v)
          ? v.map((item, i) => {
              const member = inner.types?.[i];
              return member === undefined ? item : walk(member, item, `${path}[${i}]`);
            })
          : v;
      default:
        return v;
    }
  };
  return walk(codec, value, '');
};
