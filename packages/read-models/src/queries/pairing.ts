// What 探亲动态 shows (docs/domain.md, "Pairing"): visits per unit and month with their check-in results,
// pairings per unit and category, and the diary excerpts whose household consents now. Counts and
// anonymised excerpts only; no household is named, placed or linked to its official here.
import { sql } from 'kysely';
import type { ReadModels } from '../runtime/builds.js';
import { views } from './views.js';

export interface PairingVisitCounts {
  readonly unitId: string;
  readonly unitName: string;
  readonly month: string;
  readonly visits: number;
  readonly near: number;
  readonly far: number;
  readonly unchecked: number;
  /** Visits recorded without a check-in. */
  readonly none: number;
}

export interface PairingVisitQuery {
  /** The level the counts roll up to: 1 district, 2 street, 3 community (default 2). */
  readonly level?: 1 | 2 | 3 | 4;
  readonly fromMonth?: string;
  readonly toMonth?: string;
}

const count = (checkIn: string) => sql<number>`count(*) filter (where v.check_in = ${checkIn})::int`;

/** Visits per unit of one level and per month, newest month first. */
export const pairingVisitCounts = async (rm: ReadModels, q: PairingVisitQuery = {}): Promise<PairingVisitCounts[]> => {
  const group = `u.level${q.level ?? 2}_id` as const;
  const rows = await views(rm)
    .selectFrom('pairing_visits as v')
    .innerJoin('units as u', 'u.unit_id', 'v.unit_id')
    .innerJoin('units as g', 'g.unit_id', group)
    .select([
      'g.unit_id as unitId',
      'g.name as unitName',
      'v.visited_month as month',
      sql<number>`count(*)::int`.as('visits'),
      count('near').as('near'),
      count('far').as('far'),
      count('unchecked').as('unchecked'),
      count('none').as('none'),
    ])
    .$if(q.fromMonth !== undefined, (qb) => qb.where('v.visited_month', '>=', q.fromMonth!))
    .$if(q.toMonth !== undefined, (qb) => qb.where('v.visited_month', '<=', q.toMonth!))
    .groupBy(['g.unit_id', 'g.name', 'v.visited_month'])
    .orderBy('v.visited_month', 'desc')
    .orderBy('g.unit_id')
    .execute();
  return rows;
};

export interface PairingCategoryCounts {
  readonly unitId: string;
  readonly unitName: string;
  readonly category: string;
  /** Pairings not ended. */
  readonly active: number;
  readonly ended: number;
}

/** Pairings per unit of one level and per category. */
export const pairingCategoryCounts = async (
  rm: ReadModels,
  q: { readonly level?: 1 | 2 | 3 | 4 } = {},
): Promise<PairingCategoryCounts[]> => {
  const group = `u.level${q.level ?? 2}_id` as const;
  return views(rm)
    .selectFrom('pairings as p')
    .innerJoin('units as u', 'u.unit_id', 'p.unit_id')
    .innerJoin('units as g', 'g.unit_id', group)
    .select([
      'g.unit_id as unitId',
      'g.name as unitName',
      'p.category as category',
      sql<number>`count(*) filter (where p.status = 'active')::int`.as('active'),
      sql<number>`count(*) filter (where p.status = 'ended')::int`.as('ended'),
    ])
    .groupBy(['g.unit_id', 'g.name', 'p.category'])
    .orderBy('g.unit_id')
    .orderBy('p.category')
    .execute();
};

export interface PairingExcerpt {
  readonly visitId: string;
  readonly unitId: string;
  readonly unitName: string;
  readonly month: string;
  readonly category: string;
  readonly excerpt: string;
}

/**
 * The excerpts whose household consents at read time and is not forgotten, newest month first. No
 * pairing id is given out: with it, excerpts of one household could be strung together.
 */
export const consentedPairingExcerpts = async (
  rm: ReadModels,
  q: { readonly limit?: number } = {},
): Promise<PairingExcerpt[]> =>
  views(rm)
    .selectFrom('pairing_excerpts as x')
    .innerJoin('pairings as p', 'p.pairing_id', 'x.pairing_id')
    .innerJoin('units as u', 'u.unit_id', 'x.unit_id')
    .select([
      'x.visit_id as visitId',
      'u.unit_id as unitId',
      'u.name as unitName',
      'x.visited_month as month',
      'p.category as category',
      'x.excerpt as excerpt',
    ])
    .where('p.consent', '=', 'given')
    .where('p.forgotten', '=', false)
    .orderBy('x.visited_month', 'desc')
    .orderBy('x.visit_id')
    .limit(q.limit ?? 50)
    .execute();
