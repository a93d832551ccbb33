// A codec written by hand (`new t.Type(...)`) has no structure a tool can walk: only its predicate knows
// what it admits. The hint says it once more in JSON Schema's words, beside the predicate, so a
// generated description (an API document) cannot drift from it by guessing at the codec's name.
import type * as t from 'io-ts';

export interface SchemaHint {
  readonly type: 'string' | 'array';
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** An array's items, as the codec that decodes each. */
  readonly items?: t.Mixed;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly description?: string;
}

export type HintedCodec<C extends t.Mixed> = C & { readonly jsonSchema: SchemaHint };

/** Attaches the hint to the codec itself; decoding is untouched. */
export const withSchemaHint = <C extends t.Mixed>(codec: C, hint: SchemaHint): HintedCodec<C> =>
  Object.assign(codec, { jsonSchema: hint });

export const schemaHintOf = (codec: unknown): SchemaHint | undefined => {
  const hint = (codec as { jsonSchema?: unknown } | null)?.jsonSchema;
  return typeof hint === 'object' && hint !== null && typeof (hint as { type?: unknown }).type === 'string'
    ? (hint as SchemaHint)
    : undefined;
};
