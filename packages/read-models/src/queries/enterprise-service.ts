// The 企业服务 board's figures: each service with its cadence as of now (core's `serviceCadence`, applied here
// as overdue is), and the same rolled up per officer and per unit — contacts, enterprises served, problems
// raised and solved, cadence compliance. From public tables only; the rule values are configuration.
import { type CadenceStatus, defaultServiceCadence, type ServiceCadenceRules, serviceCadence } from '@banshishi/core';
import type {
  ServiceContactsTable,
  ServiceProblemsTable,
  ServicesTable,
  ServiceTermsTable,
} from '../projections/enterprise-service.js';
import type { ReadModels } from '../runtime/builds.js';
import { views, withinUnit } from './views.js';

export interface ServiceRow {
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly unitId: string;
  readonly unitName: string | null;
  readonly status: 'active' | 'ended';
  readonly officerId: string;
  readonly officerName: string | null;
  readonly officerRole: string;
  readonly officerSince: string;
  readonly contacts: number;
  readonly onSite: number;
  readonly lastContact: string | null;
  readonly problemsRaised: number;
  readonly problemsSolved: number;
  readonly cadence: CadenceStatus;
}

export interface ServiceFigures {
  readonly enterprises: number;
  readonly contacts: number;
  readonly onSite: number;
  readonly problemsRaised: number;
  readonly problemsSolved: number;
  /** Active services whose cadence holds so far. */
  readonly compliant: number;
}

export interface OfficerServiceFigures extends ServiceFigures {
  readonly officerId: string;
  readonly officerName: string | null;
}

export interface UnitServiceFigures extends ServiceFigures {
  readonly unitId: string;
  readonly unitName: string | null;
}

export interface ServiceBoard {
  readonly services: readonly ServiceRow[];
  readonly officers: readonly OfficerServiceFigures[];
  readonly units: readonly UnitServiceFigures[];
  readonly totals: ServiceFigures;
}

export interface ServiceBoardQuery {
  /** As of when cadence is judged: an ISO-8601 timestamp. */
  readonly now: string;
  /** Only enterprises in this unit or below it. */
  readonly unitId?: string;
  readonly rules?: ServiceCadenceRules;
}

const isSolved = (p: Pick<ServiceProblemsTable, 'problem_status'>) =>
  p.problem_status === 'solved' || p.problem_status === 'closed';

const empty = (): { -readonly [K in keyof ServiceFigures]: number } => ({
  enterprises: 0,
  contacts: 0,
  onSite: 0,
  problemsRaised: 0,
  problemsSolved: 0,
  compliant: 0,
});

/** Every service under `unitId` with its cadence, and the figures per officer and per unit. */
export const serviceBoard = async (rm: ReadModels, q: ServiceBoardQuery): Promise<ServiceBoard> => {
  const db = views(rm);
  let services = db
    .selectFrom('services as s')
    .innerJoin('units as u', 'u.unit_id', 's.unit_id')
    .leftJoin('people as p', 'p.person_id', 's.officer_id')
    .selectAll('s')
    .select(['u.name as unit_name', 'p.public_name as officer_name']);
  if (q.unitId !== undefined) services = services.where(withinUnit(q.unitId));
  const rows = await services.orderBy('s.unit_id').orderBy('s.enterprise_name').orderBy('s.enterprise_id').execute();
  const ids = rows.map((r) => r.enterprise_id);
  const [contacts, problems, names] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .selectFrom('service_contacts')
          .select(['enterprise_id', 'officer_id', 'contact_date', 'kind'])
          .where('enterprise_id', 'in', ids)
          .execute(),
    ids.length === 0
      ? []
      : db
          .selectFrom('service_problems')
          .select(['enterprise_id', 'officer_id', 'problem_status'])
          .where('enterprise_id', 'in', ids)
          .execute(),
    db.selectFrom('people').select(['person_id', 'public_name']).execute(),
  ]);
  const nameOf = new Map(names.map((n) => [n.person_id, n.public_name]));
  const contactsOf = new Map<string, Pick<ServiceContactsTable, 'contact_date' | 'kind'>[]>();
  for (const c of contacts) contactsOf.set(c.enterprise_id, [...(contactsOf.get(c.enterprise_id) ?? []), c]);
  const problemsOf = new Map<string, typeof problems>();
  for (const p of problems) problemsOf.set(p.enterprise_id, [...(problemsOf.get(p.enterprise_id) ?? []), p]);

  const rules = q.rules ?? defaultServiceCadence;
  const serviceRows: ServiceRow[] = rows.map((r) => {
    const own = problemsOf.get(r.enterprise_id) ?? [];
    return {
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterprise_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      status: r.status,
      officerId: r.officer_id,
      officerName: r.officer_name,
      officerRole: r.officer_role,
      officerSince: r.officer_since,
      contacts: r.contacts,
      onSite: r.on_site,
      lastContact: r.last_contact,
      problemsRaised: own.length,
      problemsSolved: own.filter(isSolved).length,
      cadence: serviceCadence(
        {
          since: r.period_start,
          until: r.ended_on,
          contacts: (contactsOf.get(r.enterprise_id) ?? []).map((c) => ({
            date: c.contact_date,
            kind: c.kind as 'phone',
          })),
        },
        q.now,
        rules,
      ),
    };
  });

  // Per officer: the enterprises they serve now, and what they did themselves (contacts, problems), whoever
  // serves the enterprise today.
  const officers = new Map<string, ReturnType<typeof empty>>();
  const officer = (id: string) => officers.get(id) ?? officers.set(id, empty()).get(id)!;
  const units = new Map<string, ReturnType<typeof empty> & { unitName: string | null }>();
  const unit = (row: ServiceRow) =>
    units.get(row.unitId) ?? units.set(row.unitId, { ...empty(), unitName: row.unitName }).get(row.unitId)!;
  const totals = empty();
  for (const row of serviceRows) {
    const u = unit(row);
    for (const figures of [u, totals]) {
      figures.contacts += row.contacts;
      figures.onSite += row.onSite;
      figures.problemsRaised += row.problemsRaised;
      figures.problemsSolved += row.problemsSolved;
    }
    if (row.status !== 'active') continue;
    const o = officer(row.officerId);
    for (const figures of [o, u, totals]) {
      figures.enterprises += 1;
      if (row.cadence.compliant) figures.compliant += 1;
    }
  }
  for (const c of contacts) {
    const o = officer(c.officer_id);
    o.contacts += 1;
    if (c.kind === 'on_site') o.onSite += 1;
  }
  for (const p of problems) {
    if (p.officer_id === null) continue;
    const o = officer(p.officer_id);
    o.problemsRaised += 1;
    if (isSolved(p)) o.problemsSolved += 1;
  }

  return {
    services: serviceRows,
    officers: [...officers]
      .map(([officerId, f]) => ({ officerId, officerName: nameOf.get(officerId) ?? null, ...f }))
      .sort((a, b) => b.contacts - a.contacts || a.officerId.localeCompare(b.officerId)),
    units: [...units].map(([unitId, f]) => ({ unitId, ...f })).sort((a, b) => a.unitId.localeCompare(b.unitId)),
    totals,
  };
};

export interface ServiceHistory {
  readonly service: ServicesTable;
  readonly terms: readonly ServiceTermsTable[];
  readonly contacts: readonly ServiceContactsTable[];
  readonly problems: readonly ServiceProblemsTable[];
}

/** One enterprise's service: who served it from when to when, its contacts and the problems its needs became. */
export const serviceHistory = async (rm: ReadModels, enterpriseId: string): Promise<ServiceHistory | undefined> => {
  const db = views(rm);
  const service = await db
    .selectFrom('services')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .executeTakeFirst();
  if (service === undefined) return undefined;
  const [terms, contacts, problems] = await Promise.all([
    db.selectFrom('service_terms').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('term').execute(),
    db
      .selectFrom('service_contacts')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('contact_date', 'desc')
      .orderBy('contact_id')
      .execute(),
    db
      .selectFrom('service_problems')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('problem_id')
      .execute(),
  ]);
  return { service, terms, contacts, problems };
};
