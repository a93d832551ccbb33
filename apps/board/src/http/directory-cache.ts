// The public directory and vocabularies the pages validate filters against and name units by, read at
// most every few seconds: a filter on an unknown unit is a 400, and a unit's name is one map lookup.
import { type CampaignsTable, itemCategories, listCampaigns, listUnits, type UnitsTable } from '@banshishi/read-models';
import { cachedFor } from './cached.js';
import type { BoardDeps } from './deps.js';

export interface DirectorySnapshot {
  readonly units: readonly UnitsTable[];
  readonly unitById: ReadonlyMap<string, UnitsTable>;
  readonly childrenOf: ReadonlyMap<string | null, readonly UnitsTable[]>;
  readonly campaigns: readonly CampaignsTable[];
  readonly categories: readonly { readonly category: string; readonly problems: number; readonly wishes: number }[];
}

const ttlMs = 5_000;

export const directoryCache = (deps: Pick<BoardDeps, 'readModels'>) => {
  const load = async (): Promise<DirectorySnapshot> => {
    const [units, campaigns, categories] = await Promise.all([
      listUnits(deps.readModels),
      listCampaigns(deps.readModels),
      itemCategories(deps.readModels),
    ]);
    const childrenOf = new Map<string | null, UnitsTable[]>();
    for (const u of units) {
      const siblings = childrenOf.get(u.parent_id) ?? [];
      siblings.push(u);
      childrenOf.set(u.parent_id, siblings);
    }
    return { units, unitById: new Map(units.map((u) => [u.unit_id, u])), childrenOf, campaigns, categories };
  };
  return cachedFor(ttlMs, load);
};

export type DirectoryReader = ReturnType<typeof directoryCache>;
