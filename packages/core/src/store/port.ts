// The event-store port: the one small interface every adapter (in-memory, PostgreSQL/PGlite,
// EventStoreDB) implements, and the one conformance suite in @banshishi/testkit checks.
import type { NewEvent, StoredEvent } from '../envelope.js';
import type { StreamHead } from '../integrity/hash-chain.js';

/**
 * - `any`: append whatever the stream holds;
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must hold at least one event;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the first event appended by this call. */
  readonly firstRevision: number;
  /** Revision of the last event in the stream after the append: the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly lastPosition: number;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start; default the first (forwards) or last (backwards) revision. */
  readonly fromRevision?: number;
  readonly limit?: number;
}

/** Opaque resume token: store-specific; callers persist it as-is. */
export type Checkpoint = string;

/** An event read from the global log, with the checkpoint that resumes just after it. */
export interface PositionedEvent extends StoredEvent {
  readonly checkpoint: Checkpoint;
}

export interface ReadAllOptions {
  /** Resume after this checkpoint; null or absent reads from the start. */
  readonly after?: Checkpoint | null;
  readonly limit?: number;
  /** Only streams of these categories (`problem`, `wish`, `unit`, …). */
  readonly categories?: readonly string[];
}

export interface ReadAllBatch {
  readonly events: readonly PositionedEvent[];
  /** Resume here for the next batch; equals `after` when nothing was read. */
  readonly checkpoint: Checkpoint | null;
  /** True when the batch reached the end of what is visible now. */
  readonly isEnd: boolean;
}

export interface SubscribeOptions extends Omit<ReadAllOptions, 'limit'> {
  readonly batchSize?: number;
  /** Called with each batch in order; the next batch waits for its promise. */
  readonly onEvents: (events: readonly PositionedEvent[], checkpoint: Checkpoint) => Promise<void>;
  /** Called once when the subscription stops on an error (a throwing handler, a lost store). */
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once the subscription has delivered everything that was visible when it started. */
  readonly caughtUp: Promise<void>;
  /** Stops delivering; resolves once the handler in flight (if any) has finished. */
  stop(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically, checking `expectedRevision` in the same atomic step. Throws BanshishiError:
   * `conflict`/`store.wrong_expected_revision` on a revision mismatch, `conflict`/`store.duplicate_event`
   * if an event id is already stored — except that re-sending exactly the events an earlier append stored
   * (same ids, same stream, same order) returns that earlier result, so a retry after a lost reply is safe.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]>;
  /** The last revision and hash of a stream, or null when it does not exist. */
  streamHead(streamId: string): Promise<StreamHead | null>;
  readAll(options?: ReadAllOptions): Promise<ReadAllBatch>;
  subscribe(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export const checkExpectedRevision = (expected: ExpectedRevision, current: number | null): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null;
  if (expected === 'stream_exists') return current !== null;
  return current === expected;
};

/**
 * Every event `readAll` gives, batch by batch, in log order (optionally of some categories only): for
 * tools that read a whole log (the office's commands, audits, specs), not for following it live.
 */
export async function* readWholeLog(
  store: Pick<EventStore, 'readAll'>,
  options: { readonly categories?: readonly string[]; readonly batchSize?: number } = {},
): AsyncGenerator<readonly PositionedEvent[], void, undefined> {
  let after: Checkpoint | null = null;
  for (;;) {
    const batch: ReadAllBatch = await store.readAll({
      after,
      limit: options.batchSize ?? 5000,
      ...(options.categories === undefined ? {} : { categories: options.categories }),
    });
    if (batch.events.length > 0) yield batch.events;
    if (batch.isEnd || batch.checkpoint === null) return;
    after = batch.checkpoint;
  }
}

/** The whole log in one array (`readWholeLog`, gathered). */
export const readWholeLogEvents = async (
  store: Pick<EventStore, 'readAll'>,
  options: { readonly categories?: readonly string[] } = {},
): Promise<PositionedEvent[]> => {
  const out: PositionedEvent[] = [];
  for await (const events of readWholeLog(store, options)) out.push(...events);
  return out;
};
