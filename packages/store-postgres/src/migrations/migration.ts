// What one migration of a store (the event store, the subject-key store) is: a version (its file's number),
// a name, and DDL run in order.
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Run in order with `search_path` set to the store's schema, so the text names no schema. */
  readonly statements: readonly string[];
}
