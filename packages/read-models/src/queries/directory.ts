// The public directory: units at every level with their parents, and the vocabularies the 公示栏 filters
// offer (categories in use, campaigns).
import type { PeopleTable, UnitsTable } from '../projections/directory.js';
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

/** A person of the directory with the roles they hold now. Residents' rows carry no name (`public_name`). */
export interface DirectoryPerson extends Pick<PeopleTable, 'person_id' | 'kind' | 'public_name' | 'active'> {
  readonly roles: readonly { readonly role: string; readonly unitId: string; readonly unitName: string | null }[];
}

/** The roles the people hold now (no end date), by person, with the unit's name. */
const currentRoles = async (rm: ReadModels, personIds: readonly string[]) => {
  const holdings =
    personIds.length === 0
      ? []
      : await views(rm)
          .selectFrom('role_holdings as h')
          .leftJoin('units as u', 'u.unit_id', 'h.unit_id')
          .select(['h.person_id', 'h.role', 'h.unit_id', 'u.name as unit_name'])
          .where('h.person_id', 'in', personIds)
          .where('h.until', 'is', null)
          .orderBy('h.role')
          .orderBy('h.unit_id')
          .execute();
  return (personId: string) =>
    holdings
      .filter((h) => h.person_id === personId)
      .map((h) => ({ role: h.role, unitId: h.unit_id, unitName: h.unit_name }));
};

/**
 * Officials by public name, with their current roles: those whose name or id holds `q` (a plain
 * substring; LIKE's own wildcards are taken out), the first `limit` by name, and how many match in all.
 */
export const searchOfficials = async (
  rm: ReadModels,
  q: { readonly text?: string; readonly limit: number },
): Promise<{ readonly people: DirectoryPerson[]; readonly total: number }> => {
  const text = (q.text ?? '').trim();
  const pattern = `%${text.replace(/[%_\\]/g, '')}%`;
  let officials = views(rm).selectFrom('people').where('kind', '=', 'official');
  if (text !== '')
    officials = officials.where((eb) => eb.or([eb('public_name', 'like', pattern), eb('person_id', 'like', pattern)]));
  const [rows, counted] = await Promise.all([
    officials
      .select(['person_id', 'kind', 'public_name', 'active'])
      .orderBy('public_name')
      .orderBy('person_id')
      .limit(q.limit)
      .execute(),
    officials.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  const rolesOf = await currentRoles(
    rm,
    rows.map((r) => r.person_id),
  );
  return { people: rows.map((r) => ({ ...r, roles: rolesOf(r.person_id) })), total: Number(counted?.n ?? 0) };
};

/** One person of the directory by id, with their current roles; undefined when there is none. */
export const directoryPerson = async (rm: ReadModels, personId: string): Promise<DirectoryPerson | undefined> => {
  const row = await views(rm)
    .selectFrom('people')
    .select(['person_id', 'kind', 'public_name', 'active'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { ...row, roles: (await currentRoles(rm, [personId]))(personId) };
};
