// Canonical encoding: the one byte sequence an event hashes to, whatever store or language wrote it.
// JSON with object keys sorted by UTF-16 code units, no whitespace, undefined properties omitted.
// Values JSON cannot carry faithfully (NaN, Infinity, bigint, functions, undefined in arrays) are refused.

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

// Built by string concatenation in plain loops: the auditor encodes every event of the log, and the
// intermediate arrays of map/filter/join were a good part of its time.
export const canonicalEncode = (value: unknown): string => {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical encoding: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) throw new TypeError(`canonical encoding: undefined at array index ${i}`);
          out += i === 0 ? canonicalEncode(item) : `,${canonicalEncode(item)}`;
        }
        return `${out}]`;
      }
      return encodeFields(value as Record<string, unknown>, Object.keys(value).sort());
    }
    default:
      throw new TypeError(`canonical encoding: cannot encode a ${typeof value}`);
  }
};

/**
 * The canonical object of `record`'s properties `sortedKeys` (already in canonical order), undefined ones
 * left out: lets a caller that knows its keys skip listing and sorting them.
 */
export const encodeFields = (record: Readonly<Record<string, unknown>>, sortedKeys: readonly string[]): string => {
  let out = '{';
  for (const key of sortedKeys) {
    const field = record[key];
    if (field === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalEncode(field)}`;
  }
  return `${out}}`;
};
