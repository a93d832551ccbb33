// What the API's handlers share, built once by createApiApp from its dependencies.
import type {
  CommandMetadata,
  DecisionContext,
  DirectoryView,
  EventStore,
  PersonalDataSealer,
  SubjectKeyStore,
} from '@banshishi/core';
import type { ReadModels } from '@banshishi/read-models';
import type { Principal } from '../actors.js';

/** The read models' freshness, as the board's note computes it (apps/board/src/http/freshness.ts). */
export interface ReadModelFreshness {
  readonly dataAsOf: string | null;
  readonly lagEvents: number | null;
  readonly lagSeconds: number | null;
}

export interface ApiContext {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  /** Seals what commands store; its reveals (亮梦's check) are recorded in the log. */
  readonly personalData: PersonalDataSealer;
  readonly readModels: ReadModels;
  readonly freshness: () => Promise<ReadModelFreshness>;
  /** The directory as the loader last read it, without reading the log again: a first look, rechecked. */
  readonly directorySoFar: () => DirectoryView;
  /** The directory as it stands now (or as of a command's time), caught up with the store. */
  readonly directoryContext: (command?: { readonly metadata: CommandMetadata }) => Promise<DecisionContext>;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** How far back an integration may date an act made offline; undefined: not at all. */
  readonly maxBackdateMsOf: (principal: Principal) => number | undefined;
  /** Where the public board shows items (links in answers). */
  readonly boardUrl: string;
}
