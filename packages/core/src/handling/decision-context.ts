// What a decider may consult beyond its own stream, resolved by command handling before deciding
// (`createDirectoryContextLoader` in context-loader.ts builds it from the store). Deciders import only this
// type from handling/, so the dependency between the lifecycles and the loader points one way.
import type { DirectoryView } from '../directory/view.js';

export interface DecisionContext {
  /** The directory as it stands when the command is handled. */
  readonly directory: DirectoryView;
  /** Open wish claims per member, and the campaign's limit on them (default 3). */
  readonly wishClaims: {
    readonly openClaimsOf: (memberId: string) => number;
    /** Which wishes those open claims are on, where the loader knows (command handling's quota guard). */
    readonly openWishesOf?: (memberId: string) => ReadonlySet<string>;
    readonly limit: number;
  };
}
