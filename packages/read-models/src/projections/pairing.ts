// 党员干部结新亲 as the public may see it: pairings by unit and category, visits by unit and month with
// their check-in results, and the anonymised diary excerpts — counts and ids only, never the household's
// name, phone, address, location, nor the diary itself (docs/privacy.md, "Read models").
//
// The excerpts are held in `pairing_excerpts` whatever the household's consent, and shown only through
// `consentedPairingExcerpts` (queries/pairing.ts), which reads the consent as it stands at read time: a
// withdrawal hides them at once and a consent given again shows them again. Forgetting the household
// (SubjectForgotten of `pairing-<id>#household`) deletes them for good.
import {
  calendarDateOf,
  createEventRegistry,
  type ForgettingEvent,
  forgettingEvents,
  type PairingEvent,
  pairingEvents,
} from '@banshishi/core';
import { sql, type Transaction } from 'kysely';
import { defineProjection } from '../runtime/projection.js';
import { insertOnce, rowCache } from './rows.js';

export interface PairingsTable {
  pairing_id: string;
  unit_id: string;
  category: string;
  status: 'active' | 'ended';
  /** The household's consent to excerpts being shown, as last recorded: `given` or `withdrawn`. */
  consent: string;
  /** The household was forgotten: its excerpts are gone and none is kept again. */
  forgotten: boolean;
  paired_at: string;
}

export interface PairingVisitsTable {
  pairing_id: string;
  visit_id: string;
  unit_id: string;
  visited_at: string;
  /** `YYYY-MM` of the visit in the local time it was recorded in. */
  visited_month: string;
  /** near / far / unchecked, or none when the visitor did not check in. */
  check_in: string;
}

export interface PairingExcerptsTable {
  pairing_id: string;
  visit_id: string;
  unit_id: string;
  visited_month: string;
  excerpt: string;
}

export interface PairingTables {
  pairings: PairingsTable;
  pairing_visits: PairingVisitsTable;
  pairing_excerpts: PairingExcerptsTable;
}

/** Tables whose rows are shown only while the household's consent holds, through their query alone. */
export const consentBoundTables: readonly string[] = ['pairing_excerpts'];

const householdSubject = /^pairing-(.+)#household$/;

type Event = PairingEvent | ForgettingEvent;
const registry = createEventRegistry([
  ...pairingEvents.filter((d) => d.type !== 'PairingNeedLinked'),
  ...forgettingEvents.filter((d) => d.type === 'SubjectForgotten'),
]);

export const pairingProjection = defineProjection<Event, PairingTables>({
  name: 'pairing',
  version: 1,
  categories: ['pairing', 'forgotten'],
  events: registry,
  tables: {
    pairings: async (db) => {
      await db.schema
        .createTable('pairings')
        .addColumn('pairing_id', 'text', (c) => c.primaryKey())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('consent', 'text', (c) => c.notNull())
        .addColumn('forgotten', 'boolean', (c) => c.notNull())
        .addColumn('paired_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
    pairing_visits: async (db) => {
      await db.schema
        .createTable('pairing_visits')
        .addColumn('pairing_id', 'text', (c) => c.notNull())
        .addColumn('visit_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('visited_at', 'timestamptz', (c) => c.notNull())
        .addColumn('visited_month', 'text', (c) => c.notNull())
        .addColumn('check_in', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pairing_visits_pk', ['pairing_id', 'visit_id'])
        .execute();
      await db.schema.createIndex('pairing_visits_month').on('pairing_visits').columns(['visited_month']).execute();
    },
    pairing_excerpts: async (db) => {
      await db.schema
        .createTable('pairing_excerpts')
        .addColumn('pairing_id', 'text', (c) => c.notNull())
        .addColumn('visit_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('visited_month', 'text', (c) => c.notNull())
        .addColumn('excerpt', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pairing_excerpts_pk', ['pairing_id', 'visit_id'])
        .execute();
    },
  },
  async apply(trx, events, build) {
    const t = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const pairings = rowCache<PairingsTable>(t, 'pairings', 'pairing_id');
    const pairingIdOf = (e: (typeof events)[number]): string | undefined =>
      e.type === 'SubjectForgotten'
        ? householdSubject.exec(e.data.subject)?.[1]
        : e.type === 'PersonalDataRevealed'
          ? undefined
          : e.data.pairingId;
    await pairings.load(events.map(pairingIdOf).filter((id): id is string => id !== undefined));
    const visits: PairingVisitsTable[] = [];
    const excerpts = new Map<string, PairingExcerptsTable>();
    const forgotten = new Set<string>();
    const update = (id: string, change: Partial<PairingsTable>) => {
      const row = pairings.get(id);
      if (row !== undefined) pairings.set(id, { ...row, ...change });
    };
    for (const e of events) {
      switch (e.type) {
        case 'HouseholdPaired':
          if (pairings.get(e.data.pairingId) !== undefined) break;
          pairings.set(e.data.pairingId, {
            pairing_id: e.data.pairingId,
            unit_id: e.data.unitId,
            category: e.data.category,
            status: 'active',
            consent: 'withdrawn',
            forgotten: false,
            paired_at: e.data.pairedAt,
          });
          break;
        case 'PairingEnded':
          update(e.data.pairingId, { status: 'ended' });
          break;
        case 'HouseholdConsentRecorded':
          update(e.data.pairingId, { consent: e.data.consent });
          break;
        case 'PairingVisitRecorded': {
          const month = calendarDateOf(e.data.visitedAt).slice(0, 7);
          visits.push({
            pairing_id: e.data.pairingId,
            visit_id: e.data.visitId,
            unit_id: e.data.unitId,
            visited_at: e.data.visitedAt,
            visited_month: month,
            check_in: e.data.checkIn?.result ?? 'none',
          });
          if (e.data.excerpt !== null && pairings.get(e.data.pairingId)?.forgotten !== true)
            excerpts.set(`${e.data.pairingId}/${e.data.visitId}`, {
              pairing_id: e.data.pairingId,
              visit_id: e.data.visitId,
              unit_id: e.data.unitId,
              visited_month: month,
              excerpt: e.data.excerpt,
            });
          break;
        }
        case 'SubjectForgotten': {
          const id = pairingIdOf(e);
          if (id === undefined) break;
          update(id, { forgotten: true });
          forgotten.add(id);
          for (const [key, row] of excerpts) if (row.pairing_id === id) excerpts.delete(key);
          break;
        }
        default:
          break;
      }
    }
    await pairings.flush();
    await insertOnce(t, 'pairing_visits', ['pairing_id', 'visit_id'], visits);
    await insertOnce(t, 'pairing_excerpts', ['pairing_id', 'visit_id'], [...excerpts.values()]);
    if (forgotten.size > 0)
      await sql`delete from ${sql.id(build.schema, 'pairing_excerpts')} where pairing_id = any(${[...forgotten]}::text[])`.execute(
        t.trx,
      );
  },
});
