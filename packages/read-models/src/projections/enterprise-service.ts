// 企业服务 rows: each enterprise's service (its unit, current officer, contact counts, last contact), every
// officer's term of service, every contact as a public fact (day, kind, the roles it covered, how many needs
// it found — never the needs' words nor the person met), and the problems the services' needs became, with
// their solved state. Cadence is derived from these at query time (queries/enterprise-service.ts), as overdue is.
import {
  calendarDateOf,
  createEventRegistry,
  type ProblemEvent,
  problemEvents,
  type ServiceEvent,
  serviceEvents,
} from '@banshishi/core';
import type { Transaction } from 'kysely';
import { defineProjection, type Projected } from '../runtime/projection.js';
import { publicPart } from './public-fields.js';
import { insertOnce, rowCache, upsertRows } from './rows.js';

export interface ServicesTable {
  enterprise_id: string;
  enterprise_name: string;
  unit_id: string;
  status: 'active' | 'ended';
  /** The officer serving now; while ended, the last one. */
  officer_id: string;
  officer_role: string;
  officer_unit_id: string;
  /** When the current officer's term began. */
  officer_since: string;
  /** Terms so far: the current one is number `term_count`. */
  term_count: number;
  /** When this period of service began (a new assignment after an end starts a new one): cadence runs from it. */
  period_since: string;
  /**
   * The local calendar days of `period_since` and `ended_at`, as written: what cadence counts in. Calendar days
   * are `YYYY-MM-DD` text here, not `date`: a row read back and compared or written again must stay the very
   * string, whichever driver's parsers (or none) the connection has.
   */
  period_start: string;
  ended_at: string | null;
  ended_on: string | null;
  contacts: number;
  on_site: number;
  last_contact: string | null;
}

export interface ServiceTermsTable {
  enterprise_id: string;
  term: number;
  officer_id: string;
  officer_role: string;
  officer_unit_id: string;
  from: string;
  until: string | null;
}

export interface ServiceContactsTable {
  enterprise_id: string;
  contact_id: string;
  officer_id: string;
  contact_date: string;
  kind: string;
  /** The roles the contact covered, in the order given: `policy,research`. */
  roles: string;
  needs: number;
  recorded_at: string;
}

export interface ServiceProblemsTable {
  problem_id: string;
  enterprise_id: string;
  contact_id: string | null;
  /** The officer the problem counts for: who linked it, else who served the enterprise when it was raised. */
  officer_id: string | null;
  title: string | null;
  unit_id: string | null;
  /** open · solved · closed · rejected; `unknown` until the problem's own stream is seen. */
  problem_status: string;
  solved_at: string | null;
}

export interface ServiceTables {
  services: ServicesTable;
  service_terms: ServiceTermsTable;
  service_contacts: ServiceContactsTable;
  service_problems: ServiceProblemsTable;
}

type ReadEvent = ServiceEvent | ProblemEvent;
const followedProblemEvents = new Set([
  'ProblemSolicited',
  'ProblemSolved',
  'ProblemReopened',
  'ProblemClosed',
  'ProblemRejected',
]);
const registry = createEventRegistry([
  ...serviceEvents,
  ...problemEvents.filter((definition) => followedProblemEvents.has(definition.type)),
]);

interface OfficerPart {
  readonly personId: string;
  readonly role: string;
  readonly unitId: string;
}

export const enterpriseServiceProjection = defineProjection<ReadEvent, ServiceTables>({
  name: 'service',
  version: 1,
  categories: ['service', 'problem'],
  events: registry,
  tables: {
    services: async (db) => {
      await db.schema
        .createTable('services')
        .addColumn('enterprise_id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_name', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('officer_id', 'text', (c) => c.notNull())
        .addColumn('officer_role', 'text', (c) => c.notNull())
        .addColumn('officer_unit_id', 'text', (c) => c.notNull())
        .addColumn('officer_since', 'timestamptz', (c) => c.notNull())
        .addColumn('term_count', 'integer', (c) => c.notNull())
        .addColumn('period_since', 'timestamptz', (c) => c.notNull())
        .addColumn('period_start', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'timestamptz')
        .addColumn('ended_on', 'text')
        .addColumn('contacts', 'integer', (c) => c.notNull())
        .addColumn('on_site', 'integer', (c) => c.notNull())
        .addColumn('last_contact', 'text')
        .execute();
      await db.schema.createIndex('services_officer').on('services').column('officer_id').execute();
      await db.schema.createIndex('services_unit').on('services').column('unit_id').execute();
    },
    service_terms: async (db) => {
      await db.schema
        .createTable('service_terms')
        .addColumn('enterprise_id', 'text', (c) => c.notNull())
        .addColumn('term', 'integer', (c) => c.notNull())
        .addColumn('officer_id', 'text', (c) => c.notNull())
        .addColumn('officer_role', 'text', (c) => c.notNull())
        .addColumn('officer_unit_id', 'text', (c) => c.notNull())
        .addColumn('from', 'timestamptz', (c) => c.notNull())
        .addColumn('until', 'timestamptz')
        .addPrimaryKeyConstraint('service_terms_pk', ['enterprise_id', 'term'])
        .execute();
      await db.schema.createIndex('service_terms_officer').on('service_terms').column('officer_id').execute();
    },
    service_contacts: async (db) => {
      await db.schema
        .createTable('service_contacts')
        .addColumn('enterprise_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('officer_id', 'text', (c) => c.notNull())
        .addColumn('contact_date', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('needs', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('service_contacts_pk', ['enterprise_id', 'contact_id'])
        .execute();
    },
    service_problems: async (db) => {
      await db.schema
        .createTable('service_problems')
        .addColumn('problem_id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text')
        .addColumn('officer_id', 'text')
        .addColumn('title', 'text')
        .addColumn('unit_id', 'text')
        .addColumn('problem_status', 'text', (c) => c.notNull())
        .addColumn('solved_at', 'timestamptz')
        .execute();
      await db.schema
        .createIndex('service_problems_enterprise')
        .on('service_problems')
        .column('enterprise_id')
        .execute();
    },
  },
  async apply(trx, events, build) {
    const t = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const services = rowCache<ServicesTable>(t, 'services', 'enterprise_id');
    const problems = rowCache<ServiceProblemsTable>(t, 'service_problems', 'problem_id');
    const terms = new Map<string, ServiceTermsTable>();
    const contacts: ServiceContactsTable[] = [];

    const enterpriseOf = (e: Projected<ReadEvent>): string | undefined => {
      if (e.type === 'ProblemSolicited') {
        const origin = e.data.origin;
        return origin?.kind === 'enterprise_service' ? origin.enterpriseId : undefined;
      }
      return 'enterpriseId' in e.data ? (e.data as { enterpriseId: string }).enterpriseId : undefined;
    };
    await services.load(events.flatMap((e) => enterpriseOf(e) ?? []));
    await problems.load(
      events.flatMap((e) =>
        e.type.startsWith('Problem') || e.type === 'ServiceNeedRaisedAsProblem'
          ? [(e.data as { problemId: string }).problemId]
          : [],
      ),
    );

    const closeTerm = (row: ServicesTable, until: string) =>
      terms.set(`${row.enterprise_id}/${row.term_count}`, {
        enterprise_id: row.enterprise_id,
        term: row.term_count,
        officer_id: row.officer_id,
        officer_role: row.officer_role,
        officer_unit_id: row.officer_unit_id,
        from: row.officer_since,
        until,
      });
    const openTerm = (enterpriseId: string, term: number, officer: OfficerPart, from: string) =>
      terms.set(`${enterpriseId}/${term}`, {
        enterprise_id: enterpriseId,
        term,
        officer_id: officer.personId,
        officer_role: officer.role,
        officer_unit_id: officer.unitId,
        from,
        until: null,
      });
    const setProblem = (problemId: string, change: (row: ServiceProblemsTable) => ServiceProblemsTable) => {
      const row = problems.get(problemId);
      if (row !== undefined) problems.set(problemId, change(row));
    };
    const newProblem = (problemId: string, enterpriseId: string): ServiceProblemsTable => ({
      problem_id: problemId,
      enterprise_id: enterpriseId,
      contact_id: null,
      officer_id: null,
      title: null,
      unit_id: null,
      problem_status: 'unknown',
      solved_at: null,
    });

    for (const e of events) {
      switch (e.type) {
        case 'ServiceAssigned': {
          const d = publicPart(e.type, e.data) as {
            enterpriseId: string;
            enterpriseName: string;
            unitId: string;
            officer: OfficerPart;
            since: string;
          };
          const before = services.get(d.enterpriseId);
          const term = (before?.term_count ?? 0) + 1;
          services.set(d.enterpriseId, {
            enterprise_id: d.enterpriseId,
            enterprise_name: d.enterpriseName,
            unit_id: d.unitId,
            status: 'active',
            officer_id: d.officer.personId,
            officer_role: d.officer.role,
            officer_unit_id: d.officer.unitId,
            officer_since: d.since,
            term_count: term,
            period_since: d.since,
            period_start: calendarDateOf(d.since),
            ended_at: null,
            ended_on: null,
            contacts: before?.contacts ?? 0,
            on_site: before?.on_site ?? 0,
            last_contact: before?.last_contact ?? null,
          });
          openTerm(d.enterpriseId, term, d.officer, d.since);
          break;
        }
        case 'ServiceOfficerReplaced': {
          const d = publicPart(e.type, e.data) as { enterpriseId: string; officer: OfficerPart; since: string };
          const row = services.get(d.enterpriseId);
          if (row === undefined) break;
          closeTerm(row, d.since);
          const term = row.term_count + 1;
          services.set(d.enterpriseId, {
            ...row,
            officer_id: d.officer.personId,
            officer_role: d.officer.role,
            officer_unit_id: d.officer.unitId,
            officer_since: d.since,
            term_count: term,
          });
          openTerm(d.enterpriseId, term, d.officer, d.since);
          break;
        }
        case 'ServiceEnded': {
          const d = publicPart(e.type, e.data) as { enterpriseId: string; until: string };
          const row = services.get(d.enterpriseId);
          if (row === undefined) break;
          closeTerm(row, d.until);
          services.set(d.enterpriseId, {
            ...row,
            status: 'ended',
            ended_at: d.until,
            ended_on: calendarDateOf(d.until),
          });
          break;
        }
        case 'ServiceContactRecorded': {
          const d = publicPart(e.type, e.data) as {
            enterpriseId: string;
            contactId: string;
            officerId: string;
            date: string;
            kind: string;
            work: { role: string }[];
          };
          const row = services.get(d.enterpriseId);
          if (row === undefined) break;
          contacts.push({
            enterprise_id: d.enterpriseId,
            contact_id: d.contactId,
            officer_id: d.officerId,
            contact_date: d.date,
            kind: d.kind,
            roles: d.work.map((w) => w.role).join(','),
            // How many, never what: the needs' words stay in the stream.
            needs: e.data.needs.length,
            recorded_at: e.occurredAt,
          });
          services.set(d.enterpriseId, {
            ...row,
            contacts: row.contacts + 1,
            on_site: row.on_site + (d.kind === 'on_site' ? 1 : 0),
            last_contact: row.last_contact === null || d.date > row.last_contact ? d.date : row.last_contact,
          });
          break;
        }
        case 'ServiceNeedRaisedAsProblem': {
          const d = publicPart(e.type, e.data) as {
            enterpriseId: string;
            contactId: string;
            problemId: string;
            officerId: string;
          };
          const row = problems.get(d.problemId) ?? newProblem(d.problemId, d.enterpriseId);
          problems.set(d.problemId, { ...row, contact_id: d.contactId, officer_id: d.officerId });
          break;
        }
        case 'ProblemSolicited': {
          const origin = e.data.origin;
          if (origin?.kind !== 'enterprise_service') break;
          const d = publicPart(e.type, e.data) as { problemId: string; unitId: string; title: string };
          const row = problems.get(d.problemId) ?? newProblem(d.problemId, origin.enterpriseId);
          const serving = services.get(origin.enterpriseId);
          problems.set(d.problemId, {
            ...row,
            contact_id: row.contact_id ?? origin.contactId ?? null,
            officer_id: row.officer_id ?? (serving?.status === 'active' ? serving.officer_id : null),
            title: d.title,
            unit_id: d.unitId,
            problem_status: 'open',
          });
          break;
        }
        case 'ProblemSolved':
          setProblem(e.data.problemId, (row) => ({ ...row, problem_status: 'solved', solved_at: e.occurredAt }));
          break;
        case 'ProblemReopened':
          setProblem(e.data.problemId, (row) => ({ ...row, problem_status: 'open', solved_at: null }));
          break;
        case 'ProblemClosed':
          setProblem(e.data.problemId, (row) => ({ ...row, problem_status: 'closed' }));
          break;
        case 'ProblemRejected':
          setProblem(e.data.problemId, (row) => ({ ...row, problem_status: 'rejected' }));
          break;
        default:
          break;
      }
    }
    await services.flush();
    await problems.flush();
    await upsertRows(t, 'service_terms', ['enterprise_id', 'term'], [...terms.values()]);
    await insertOnce(t, 'service_contacts', ['enterprise_id', 'contact_id'], contacts);
  },
});
