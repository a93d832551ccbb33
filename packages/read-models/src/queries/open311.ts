// Open311 GeoReport v2 queries: the problem categories in use as services, each with a stable service
// code, and the public problems as service requests. Only public_problems columns are read, so nothing
// a resident said or where they live can reach an Open311 answer.
import { createHash } from 'node:crypto';
import type { PublicProblemsTable } from '../projections/disclosure.js';
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';
import { momentValue, views } from './views.js';

/** The service code of problems raised without a category. */
export const uncategorizedServiceCode = 'uncategorized';

/**
 * A category's service code: `c` and 12 hex digits of the SHA-256 of its name. Categories are free Chinese
 * text, so the code is derived rather than assigned: the same name gives the same code on every board
 * and after every rebuild, it is URL- and XML-safe, and it never starts with 0 (which XML-to-number
 * clients would strip).
 */
export const open311ServiceCode = (category: string | null): string =>
  category === null
    ? uncategorizedServiceCode
    : `c${createHash('sha256').update(category, 'utf8').digest('hex').slice(0, 12)}`;

export interface Open311Service {
  readonly service_code: string;
  /** null for problems raised without a category. */
  readonly category: string | null;
  readonly problems: number;
}

/** Every category at least one public problem is in, by name (Chinese collation), uncategorized last. */
export const open311Services = async (rm: ReadModels): Promise<Open311Service[]> => {
  const rows = await views(rm)
    .selectFrom('public_problems')
    .select((eb) => ['category', eb.cast<number>(eb.fn.countAll(), 'integer').as('n')])
    .groupBy('category')
    .execute();
  return rows
    .map((r) => ({ service_code: open311ServiceCode(r.category), category: r.category, problems: r.n }))
    .sort((a, b) => (a.category === null ? 1 : b.category === null ? -1 : a.category.localeCompare(b.category, 'zh')));
};

export interface Open311RequestQuery {
  /** Raised at or after this moment (ISO-8601 with offset). */
  readonly raisedFrom?: string;
  /** Raised before this moment. */
  readonly raisedBefore?: string;
  readonly statuses?: readonly PublicProblemsTable['status'][];
  /** Categories to include; null stands for problems without one. */
  readonly categories?: readonly (string | null)[];
  readonly problemIds?: readonly string[];
  readonly limit: number;
  readonly offset?: number;
  /** The moment the overdue flag is taken at. */
  readonly asOf: string;
  readonly config?: Partial<EvaluationConfig>;
}

export interface Open311RequestRow extends PublicProblemsTable {
  readonly unit_name: string | null;
  /** 督办's rule as of the query's `asOf`, as on the 公示栏. */
  readonly overdue: boolean;
}

/** Public problems newest first (by when they were raised), with the name of the unit they sit in now. */
export const open311Requests = async (rm: ReadModels, q: Open311RequestQuery): Promise<Open311RequestRow[]> => {
  const { raisedFrom, raisedBefore, statuses, categories, problemIds } = q;
  const named = (categories ?? []).filter((c): c is string => c !== null);
  const withoutCategory = categories?.includes(null) ?? false;
  return views(rm)
    .selectFrom('public_problems as p')
    .leftJoin('units as u', 'u.unit_id', 'p.unit_id')
    .selectAll('p')
    .select(['u.name as unit_name', overdueAsOf(withDefaults(q.config), q.asOf).as('overdue')])
    .$if(statuses !== undefined, (qb) =>
      statuses!.length === 0 ? qb.where((eb) => eb.lit(false)) : qb.where('p.status', 'in', statuses!),
    )
    .$if(categories !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          ...(named.length > 0 ? [eb('p.category', 'in', named)] : []),
          ...(withoutCategory ? [eb('p.category', 'is', null)] : []),
        ]),
      ),
    )
    .$if(problemIds !== undefined, (qb) =>
      problemIds!.length === 0 ? qb.where((eb) => eb.lit(false)) : qb.where('p.problem_id', 'in', problemIds!),
    )
    .$if(raisedFrom != null, (qb) => qb.where('p.solicited_at', '>=', momentValue(raisedFrom!)))
    .$if(raisedBefore != null, (qb) => qb.where('p.solicited_at', '<', momentValue(raisedBefore!)))
    .orderBy('p.solicited_at', 'desc')
    .orderBy('p.problem_id', 'desc')
    .limit(q.limit)
    .offset(q.offset ?? 0)
    .execute();
};
