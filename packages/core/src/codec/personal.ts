// Personal data of residents is marked in the codecs themselves, so every consumer (read models,
// exports, public feeds) can ask a codec which of its fields must never reach a public table.
import * as t from 'io-ts';

export type PersonalKind = 'name' | 'phone' | 'id_number' | 'address' | 'free_text_contact';

/** A codec that carries the mark "this is personal data of kind K". Decodes exactly as its base. */
export interface PersonalCodec<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly personal: PersonalKind;
  readonly base: C;
}

export const personal = <C extends t.Mixed>(base: C, kind: PersonalKind): PersonalCodec<C> =>
  Object.assign(new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(base.name, base.is, base.validate, base.encode), {
    personal: kind,
    base,
  });

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
      if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
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
