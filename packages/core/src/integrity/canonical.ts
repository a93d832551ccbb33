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
        return `[${value
          .map((item, i) => {
            if (item === undefined) throw new TypeError(`canonical encoding: undefined at array index ${i}`);
            return canonicalEncode(item);
          })
          .join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalEncode(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical encoding: cannot encode a ${typeof value}`);
  }
};
