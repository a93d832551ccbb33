// A bounded map that forgets the least recently used entry first: the command handler's memory of the
// streams it folded lately. A Map keeps insertion order, so moving an entry to the end on use is enough.

export interface StateCache<V> {
  /** The entry, marked as just used. */
  get(key: string): V | undefined;
  /** The entry, leaving its place in the order as it is. */
  peek(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  readonly size: number;
}

/** At most `capacity` entries (0: none are kept). */
export const createStateCache = <V>(capacity: number): StateCache<V> => {
  const entries = new Map<string, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    peek: (key) => entries.get(key),
    set(key, value) {
      if (capacity <= 0) return;
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
};
