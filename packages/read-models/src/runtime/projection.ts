// What a projection is: a deterministic function from the event sequence to rows. The runtime hands it
// batches of decoded events in global order, inside the transaction that also saves its checkpoint, and
// gives it its own tables in the schema of the build being written (runtime/builds.ts).
import type { DomainEvent, EventRegistry, StoredEvent } from '@banshishi/core';
import type { Kysely, Transaction } from 'kysely';

/** A stored event with its payload decoded (and upcast) to the current shape of its type. */
export type Projected<E extends DomainEvent> = E extends DomainEvent
  ? Omit<StoredEvent, 'type' | 'data'> & { readonly type: E['type']; readonly data: E['data'] }
  : never;

/** The build a batch is written to. */
export interface BuildContext {
  readonly schema: string;
}

/** Creates one table, with its indexes, through a Kysely scoped to the build's schema. */
export type CreateTable = (db: Kysely<unknown>) => Promise<void>;

export interface Projection<E extends DomainEvent = DomainEvent, T = unknown> {
  /** Lower-case identifier; it names the build schemas, so keep it short. */
  readonly name: string;
  /** Bump whenever the rows a given history produces would change: the projector then rebuilds. */
  readonly version: number;
  /** Stream categories read from the store (`problem`, `wish`, `unit`, …). */
  readonly categories: readonly string[];
  /** Decodes the event types the projection understands; events of other types are skipped. */
  readonly events: Pick<EventRegistry<E>, 'has' | 'decode'>;
  /** Every table the projection writes; each is also exposed to readers as a view of the live build. */
  readonly tables: { readonly [K in keyof T & string]: CreateTable };
  /**
   * Applies events in order. Must be a function of the events alone (no clock, no randomness, no reads
   * outside its own tables), and must not care how the sequence is cut into batches. `trx` is scoped to
   * the build's schema; `build.schema` names it for raw SQL, which kysely's scoping does not reach.
   */
  apply(trx: Transaction<T>, events: readonly Projected<E>[], build: BuildContext): Promise<void>;
}

/** What builds need to know of a projection: its name, version and tables, whatever its events. */
export interface ProjectionShape {
  readonly name: string;
  readonly version: number;
  readonly tables: Readonly<Record<string, CreateTable>>;
}

const identifier = /^[a-z][a-z0-9_]{0,29}$/;

/** Checks the names a projection brings into SQL identifiers once, where it is defined. */
export const defineProjection = <E extends DomainEvent, T>(projection: Projection<E, T>): Projection<E, T> => {
  if (!identifier.test(projection.name)) {
    throw new Error(`projection name ${JSON.stringify(projection.name)} must match ${identifier}`);
  }
  if (!Number.isInteger(projection.version) || projection.version < 1) {
    throw new Error(`projection ${projection.name}: version must be a positive integer`);
  }
  for (const table of Object.keys(projection.tables)) {
    if (!/^[a-z][a-z0-9_]{0,50}$/.test(table)) throw new Error(`projection ${projection.name}: bad table ${table}`);
  }
  return projection;
};

/**
 * A projection of any events and tables, for lists of projections (the projector's registry). Each one
 * is type-checked where it is defined; a list of them can only be typed this loosely.
 */
// biome-ignore lint/suspicious/noExplicitAny: contravariant `apply` makes a heterogeneous list impossible to type otherwise
export type AnyProjection = Projection<any, any>;
