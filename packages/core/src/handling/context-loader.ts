// The decision context command handling gives a decider, kept up to date from the store: the directory as
// of the command's time (holding only roles still held), the open wish claims per member and the cap on them.
import type { CommandMetadata } from '../decider.js';
import type { DirectoryView } from '../directory/view.js';
import type { Checkpoint, EventStore } from '../store/port.js';
import type { DecisionContext } from './decision-context.js';
import {
  createDirectoryViewBuilder,
  type DirectoryViewBuilder,
  type DirectoryViewBuilderOptions,
  directoryContextCategories,
} from './view-builder.js';

/**
 * The directory as of a command's business time, in which a person holds only the roles they still hold
 * as the command is handled: a role revoked since cannot be used by dating a command before the revocation.
 */
const heldThenAndNow = (then: DirectoryView, now: DirectoryView): DirectoryView => ({
  ...then,
  rolesOf: (personId) => {
    const current = now.rolesOf(personId);
    return then.rolesOf(personId).filter((h) => current.some((c) => c.role === h.role && c.unitId === h.unitId));
  },
});

export interface DirectoryContextLoaderOptions extends DirectoryViewBuilderOptions {
  /** Events read per call to `readAll` while catching up (default 1000). */
  readonly batchSize?: number;
}

export interface DirectoryContextLoader {
  /**
   * Catches up with the store, then gives the context for a command: the directory as it stood at the
   * command's `now`, the open claims per member as they stand, and the cap for the acting member.
   * Without a command, the latest directory and the default cap.
   */
  (command?: { readonly metadata: CommandMetadata }): Promise<DecisionContext>;
  /** Reads whatever the store holds beyond the last checkpoint; concurrent calls share one reader. */
  catchUp(): Promise<void>;
  readonly builder: DirectoryViewBuilder;
}

/**
 * Keeps an in-memory directory up to date from the store, for command handling (`context` of
 * `commandHandler`). Each call reads incrementally from its checkpoint, so a command always sees every
 * directory change stored before it was handled.
 */
export const createDirectoryContextLoader = (
  store: Pick<EventStore, 'readAll'>,
  options: DirectoryContextLoaderOptions = {},
): DirectoryContextLoader => {
  const builder = createDirectoryViewBuilder(options);
  const limit = options.batchSize ?? 1000;
  let checkpoint: Checkpoint | null = null;
  let reading: Promise<void> = Promise.resolve();

  const readToEnd = async (): Promise<void> => {
    for (;;) {
      const batch = await store.readAll({ after: checkpoint, limit, categories: directoryContextCategories });
      builder.apply(batch.events);
      checkpoint = batch.checkpoint;
      if (batch.isEnd) return;
    }
  };

  // One reader at a time: two overlapping catch-ups would fold the same batch from the same checkpoint.
  // A caller must see everything stored before it called, so it waits for a read that starts after its
  // call; every caller arriving while one read runs shares the one read queued behind it, instead of each
  // queueing its own (fifty concurrent commands made fifty reads in a row).
  let next: Promise<void> | null = null;
  const catchUp = (): Promise<void> => {
    if (next !== null) return next;
    const queued = reading
      .catch(() => undefined)
      .then(() => {
        if (next === queued) next = null;
        return readToEnd();
      });
    next = queued;
    reading = queued;
    return queued;
  };

  const load = async (command?: { readonly metadata: CommandMetadata }): Promise<DecisionContext> => {
    await catchUp();
    const at = command?.metadata.now;
    const limitFor = command === undefined ? undefined : builder.wishClaimLimitFor(command.metadata.actor.personId, at);
    return {
      directory: at === undefined ? builder.viewAt() : heldThenAndNow(builder.viewAt(at), builder.viewAt()),
      wishClaims: {
        openClaimsOf: builder.openClaimsOf,
        openWishesOf: builder.openWishesOf,
        limit: limitFor ?? options.defaultWishClaimLimit ?? 3,
      },
    };
  };

  return Object.assign(load, { catchUp, builder });
};
