// The public directory: units at every level with their parents, and the vocabularies the 公示栏 filters
// offer (categories in use, campaigns).
import type { UnitsTable } from '../projections/directory.js';
import type { CampaignsTable } from '../projections/evaluation.js';
import type { ReadModels } from '../runtime/builds.js';
import { views } from './views.js';

export const listUnits = (rm: ReadModels): Promise<UnitsTable[]> =>
  views(rm).selectFrom('units').selectAll().orderBy('level').orderBy('unit_id').execute();

export const listCampaigns = (rm: ReadModels): Promise<CampaignsTable[]> =>
  views(rm).selectFrom('campaigns').selectAll().orderBy('period_from').orderBy('campaign_id').execute();

/** Categories used by at least one public problem or wish, each with its item counts. */
export const itemCategories = async (
  rm: ReadModels,
): Promise<{ readonly category: string; readonly problems: number; readonly wishes: number }[]> => {
  const [problems, wishes] = await Promise.all([
    views(rm)
      .selectFrom('public_problems')
      .select((eb) => ['category', eb.cast<number>(eb.fn.countAll(), 'integer').as('n')])
      .where('category', 'is not', null)
      .groupBy('category')
      .execute(),
    views(rm)
      .selectFrom('public_wishes')
      .select((eb) => ['category', eb.cast<number>(eb.fn.countAll(), 'integer').as('n')])
      .groupBy('category')
      .execute(),
  ]);
  const out = new Map<string, { category: string; problems: number; wishes: number }>();
  for (const p of problems) out.set(p.category!, { category: p.category!, problems: p.n, wishes: 0 });
  for (const w of wishes) {
    const entry = out.get(w.category) ?? { category: w.category, problems: 0, wishes: 0 };
    out.set(w.category, { ...entry, wishes: w.n });
  }
  return [...out.values()].sort((a, b) => a.category.localeCompare(b.category, 'zh'));
};
