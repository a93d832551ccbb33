// 走访 as the public may count it: visits per unit, month, kind and topic (五问五解决), visits per visitor
// and month (what the quota is read against: core's visitQuotaOf and visitQuotaStanding, applied by the
// query), and problems met on a visit with whether they were solved on site (现场解决). Counts and public
// ids only: no household's address or name, no notes, no check-in position, not even the day of a visit.
import {
  createEventRegistry,
  type ProblemEvent,
  ProblemSolicited,
  ProblemSolved,
  type VisitEvent,
  visitEvents,
  visitMonthOf,
} from '@banshishi/core';
import { sql, type Transaction } from 'kysely';
import { defineProjection } from '../runtime/projection.js';
import { type BuildTables, upsertRows } from './rows.js';

/** One row per visit, the fields counts are made of (public: officials and ids, month, kind, topics). */
export interface VisitRecordsTable {
  visit_id: string;
  unit_id: string;
  /** `YYYY-MM`: the month, not the day, so a row does not date a household's visit. */
  month: string;
  kind: string;
  /** The topics of 五问五解决, comma-separated in the order of the five questions; '' for other kinds. */
  topics: string;
  visitor_id: string;
  visitor_role: string;
  visitor_unit_id: string;
  /** near, far, unchecked, or null when the visitor did not check in. */
  check_in: string | null;
  cancelled: boolean;
}

/** Visits that stand (not cancelled) per unit, month and kind; `topic` '' counts every visit of the kind. */
export interface VisitCountsTable {
  unit_id: string;
  month: string;
  kind: string;
  topic: string;
  visits: number;
}

/** Visits that stand per visitor, the holding they visited in, and month. */
export interface VisitorMonthsTable {
  visitor_id: string;
  visitor_role: string;
  visitor_unit_id: string;
  month: string;
  visits: number;
}

/** Problems whose origin is a visit, and whether they were solved on site (现场解决). */
export interface VisitProblemsTable {
  problem_id: string;
  unit_id: string;
  visit_id: string;
  on_site: boolean;
}

export interface VisitTables {
  visit_records: VisitRecordsTable;
  visit_counts: VisitCountsTable;
  visitor_months: VisitorMonthsTable;
  visit_problems: VisitProblemsTable;
}

type Event = VisitEvent | ProblemEvent;
const registry = createEventRegistry([...visitEvents, ProblemSolicited, ProblemSolved]);

const table = (target: BuildTables, name: keyof VisitTables) => sql.id(target.schema, name);

/** Recomputes the counts of every unit-month and visitor-month the given visits fall in, from the records. */
const recount = async (target: BuildTables, visitIds: readonly string[]): Promise<void> => {
  if (visitIds.length === 0) return;
  const records = table(target, 'visit_records');
  const touched = sql`(select distinct unit_id, month from ${records} where visit_id = any(${visitIds}::text[]))`;
  await sql`delete from ${table(target, 'visit_counts')} c using ${touched} k
    where c.unit_id = k.unit_id and c.month = k.month`.execute(target.trx);
  await sql`insert into ${table(target, 'visit_counts')} (unit_id, month, kind, topic, visits)
    select r.unit_id, r.month, r.kind, '', count(*)::int from ${records} r
      join ${touched} k on k.unit_id = r.unit_id and k.month = r.month
      where not r.cancelled group by r.unit_id, r.month, r.kind
    union all
    select r.unit_id, r.month, r.kind, t.topic, count(*)::int from ${records} r
      join ${touched} k on k.unit_id = r.unit_id and k.month = r.month
      cross join lateral unnest(string_to_array(r.topics, ',')) as t(topic)
      where not r.cancelled and r.topics <> '' group by r.unit_id, r.month, r.kind, t.topic`.execute(target.trx);
  const visitors = sql`(select distinct visitor_id, visitor_role, visitor_unit_id, month from ${records}
    where visit_id = any(${visitIds}::text[]))`;
  await sql`delete from ${table(target, 'visitor_months')} v using ${visitors} k
    where v.visitor_id = k.visitor_id and v.visitor_role = k.visitor_role
      and v.visitor_unit_id = k.visitor_unit_id and v.month = k.month`.execute(target.trx);
  await sql`insert into ${table(target, 'visitor_months')} (visitor_id, visitor_role, visitor_unit_id, month, visits)
    select k.visitor_id, k.visitor_role, k.visitor_unit_id, k.month,
      (select count(*)::int from ${records} r where not r.cancelled and r.visitor_id = k.visitor_id
        and r.visitor_role = k.visitor_role and r.visitor_unit_id = k.visitor_unit_id and r.month = k.month)
    from ${visitors} k`.execute(target.trx);
};

export const visitsProjection = defineProjection<Event, VisitTables>({
  name: 'visits',
  version: 1,
  categories: ['visit', 'problem'],
  events: registry,
  tables: {
    visit_records: async (db) => {
      await db.schema
        .createTable('visit_records')
        .addColumn('visit_id', 'text', (c) => c.primaryKey())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('topics', 'text', (c) => c.notNull())
        .addColumn('visitor_id', 'text', (c) => c.notNull())
        .addColumn('visitor_role', 'text', (c) => c.notNull())
        .addColumn('visitor_unit_id', 'text', (c) => c.notNull())
        .addColumn('check_in', 'text')
        .addColumn('cancelled', 'boolean', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visit_records_unit_month')
        .on('visit_records')
        .columns(['unit_id', 'month'])
        .execute();
    },
    visit_counts: async (db) => {
      await db.schema
        .createTable('visit_counts')
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('visits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('visit_counts_pk', ['unit_id', 'month', 'kind', 'topic'])
        .execute();
    },
    visitor_months: async (db) => {
      await db.schema
        .createTable('visitor_months')
        .addColumn('visitor_id', 'text', (c) => c.notNull())
        .addColumn('visitor_role', 'text', (c) => c.notNull())
        .addColumn('visitor_unit_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('visits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('visitor_months_pk', ['visitor_id', 'visitor_role', 'visitor_unit_id', 'month'])
        .execute();
    },
    visit_problems: async (db) => {
      await db.schema
        .createTable('visit_problems')
        .addColumn('problem_id', 'text', (c) => c.primaryKey())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('visit_id', 'text', (c) => c.notNull())
        .addColumn('on_site', 'boolean', (c) => c.notNull())
        .execute();
    },
  },
  async apply(trx, events, build) {
    const target: BuildTables = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const records = new Map<string, VisitRecordsTable>();
    const cancelled = new Set<string>();
    const problems = new Map<string, VisitProblemsTable>();
    const solvedOnSite = new Set<string>();
    for (const event of events) {
      switch (event.type) {
        case 'VisitRecorded': {
          const d = event.data;
          records.set(d.visitId, {
            visit_id: d.visitId,
            unit_id: d.unitId,
            month: visitMonthOf(d.date),
            kind: d.kind,
            topics: d.topics.join(','),
            visitor_id: d.visitor.personId,
            visitor_role: d.visitor.role,
            visitor_unit_id: d.visitor.unitId,
            check_in: d.checkIn?.result ?? null,
            cancelled: cancelled.has(d.visitId),
          });
          break;
        }
        case 'VisitCancelled': {
          cancelled.add(event.data.visitId);
          const row = records.get(event.data.visitId);
          if (row !== undefined) records.set(row.visit_id, { ...row, cancelled: true });
          break;
        }
        case 'ProblemSolicited': {
          const origin = event.data.origin;
          if (origin?.kind === 'visit')
            problems.set(event.data.problemId, {
              problem_id: event.data.problemId,
              unit_id: event.data.unitId,
              visit_id: origin.visitId,
              on_site: false,
            });
          break;
        }
        case 'ProblemSolved': {
          if (event.data.onSite !== true) break;
          const row = problems.get(event.data.problemId);
          if (row === undefined) solvedOnSite.add(event.data.problemId);
          else problems.set(row.problem_id, { ...row, on_site: true });
          break;
        }
        default:
          break;
      }
    }
    // A record re-applied (the same batch twice) must not undo a cancellation already stored.
    const stored =
      records.size === 0
        ? []
        : (
            await sql<{ visit_id: string }>`select visit_id from ${table(target, 'visit_records')}
              where cancelled and visit_id = any(${[...records.keys()]}::text[])`.execute(target.trx)
          ).rows;
    for (const { visit_id } of stored) {
      const row = records.get(visit_id);
      if (row !== undefined) records.set(visit_id, { ...row, cancelled: true });
    }
    await upsertRows(target, 'visit_records', ['visit_id'], [...records.values()]);
    const cancelledElsewhere = [...cancelled].filter((id) => !records.has(id));
    if (cancelledElsewhere.length > 0)
      await sql`update ${table(target, 'visit_records')} set cancelled = true
        where visit_id = any(${cancelledElsewhere}::text[])`.execute(target.trx);
    await recount(target, [...new Set([...records.keys(), ...cancelled])]);

    // A problem re-applied must not lose an on-site mark already stored.
    const marked =
      problems.size === 0
        ? []
        : (
            await sql<{ problem_id: string }>`select problem_id from ${table(target, 'visit_problems')}
              where on_site and problem_id = any(${[...problems.keys()]}::text[])`.execute(target.trx)
          ).rows;
    for (const { problem_id } of marked) {
      const row = problems.get(problem_id);
      if (row !== undefined) problems.set(problem_id, { ...row, on_site: true });
    }
    await upsertRows(target, 'visit_problems', ['problem_id'], [...problems.values()]);
    if (solvedOnSite.size > 0)
      await sql`update ${table(target, 'visit_problems')} set on_site = true
        where problem_id = any(${[...solvedOnSite]}::text[])`.execute(target.trx);
  },
});
