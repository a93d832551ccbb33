// The directory as the public may see it: units with their place in the four levels, people with a
// public name only where they act as officials or enterprises, and who held which role where and when.
// Disclosure and evaluation queries join these views for unit names, levels and claimants.
import {
  createEventRegistry,
  type DirectoryEvent,
  directoryEvents,
  levelOf,
  type PersonKind,
  type UnitKind,
} from '@banshishi/core';
import type { Transaction } from 'kysely';
import { defineProjection } from '../runtime/projection.js';
import { publicNameOf, publicPart } from './public-fields.js';
import { rowCache, selectWhereIn, upsertRows } from './rows.js';

export interface UnitsTable {
  unit_id: string;
  name: string;
  kind: UnitKind;
  /** 1 district 区, 2 street 街镇 or department 部门, 3 community 社区/村居, 4 grid 网格. */
  level: number;
  parent_id: string | null;
  /** The unit's ancestors and itself by level, so a figure rolls up with one equality per level. */
  level1_id: string | null;
  level2_id: string | null;
  level3_id: string | null;
  level4_id: string | null;
  retired: boolean;
}

export interface PeopleTable {
  person_id: string;
  kind: PersonKind;
  /** Null for residents: their names are personal data, whatever role they hold. */
  public_name: string | null;
  active: boolean;
}

export interface RoleHoldingsTable {
  person_id: string;
  role: string;
  unit_id: string;
  since: string;
  until: string | null;
}

export interface DirectoryTables {
  units: UnitsTable;
  people: PeopleTable;
  role_holdings: RoleHoldingsTable;
}

const registry = createEventRegistry(directoryEvents);

export const directoryProjection = defineProjection<DirectoryEvent, DirectoryTables>({
  name: 'directory',
  version: 1,
  categories: ['unit', 'person'],
  events: registry,
  tables: {
    units: async (db) => {
      await db.schema
        .createTable('units')
        .addColumn('unit_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('level1_id', 'text')
        .addColumn('level2_id', 'text')
        .addColumn('level3_id', 'text')
        .addColumn('level4_id', 'text')
        .addColumn('retired', 'boolean', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('units_parent').on('units').column('parent_id').execute();
    },
    people: async (db) => {
      await db.schema
        .createTable('people')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('public_name', 'text')
        .addColumn('active', 'boolean', (c) => c.notNull())
        .execute();
    },
    role_holdings: async (db) => {
      await db.schema
        .createTable('role_holdings')
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('since', 'timestamptz', (c) => c.notNull())
        .addColumn('until', 'timestamptz')
        .addPrimaryKeyConstraint('role_holdings_pk', ['person_id', 'role', 'unit_id', 'since'])
        .execute();
      await db.schema.createIndex('role_holdings_role_unit').on('role_holdings').columns(['role', 'unit_id']).execute();
    },
  },
  async apply(trx, events, build) {
    const t = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const units = rowCache<UnitsTable>(t, 'units', 'unit_id');
    const people = rowCache<PeopleTable>(t, 'people', 'person_id');
    const unitIds: string[] = [];
    const personIds: string[] = [];
    for (const event of events) {
      if (event.type === 'UnitRegistered' && event.data.parentId !== null) unitIds.push(event.data.parentId);
      if ('unitId' in event.data && event.type.startsWith('Unit')) unitIds.push(event.data.unitId);
      else if ('personId' in event.data) personIds.push(event.data.personId);
    }
    await units.load(unitIds);
    await people.load(personIds);
    // A person's holdings, loaded whole, so grants, revocations and deactivations fold in memory. The key
    // takes `since` as an instant: the event's spelling and the database's differ for the same moment.
    const holdings = new Map<string, RoleHoldingsTable>();
    const dirtyHoldings = new Set<string>();
    const holdingKey = (h: Pick<RoleHoldingsTable, 'person_id' | 'role' | 'unit_id' | 'since'>) =>
      JSON.stringify([h.person_id, h.role, h.unit_id, Date.parse(h.since)]);
    for (const h of await selectWhereIn<RoleHoldingsTable>(t, 'role_holdings', 'person_id', [...new Set(personIds)])) {
      holdings.set(holdingKey(h), h);
    }
    const closeHoldings = (match: (h: RoleHoldingsTable) => boolean, until: string) => {
      for (const [key, h] of holdings) {
        if (h.until !== null || !match(h)) continue;
        holdings.set(key, { ...h, until });
        dirtyHoldings.add(key);
      }
    };

    for (const event of events) {
      switch (event.type) {
        case 'UnitRegistered': {
          const d = publicPart(event.type, event.data) as {
            unitId: string;
            name: string;
            kind: UnitKind;
            parentId: string | null;
          };
          const parent = d.parentId === null ? undefined : units.get(d.parentId);
          const level = levelOf(d.kind);
          const path = [
            parent?.level1_id ?? null,
            parent?.level2_id ?? null,
            parent?.level3_id ?? null,
            parent?.level4_id ?? null,
          ];
          path[level - 1] = d.unitId;
          for (let l = level; l < 4; l++) path[l] = null;
          units.set(d.unitId, {
            unit_id: d.unitId,
            name: d.name,
            kind: d.kind,
            level,
            parent_id: d.parentId,
            level1_id: path[0] ?? null,
            level2_id: path[1] ?? null,
            level3_id: path[2] ?? null,
            level4_id: path[3] ?? null,
            retired: false,
          });
          break;
        }
        case 'UnitRenamed': {
          const unit = units.get(event.data.unitId);
          if (unit !== undefined) units.set(unit.unit_id, { ...unit, name: event.data.name });
          break;
        }
        case 'UnitRetired': {
          const unit = units.get(event.data.unitId);
          if (unit !== undefined) units.set(unit.unit_id, { ...unit, retired: true });
          break;
        }
        case 'PersonRegistered':
          people.set(event.data.personId, {
            person_id: event.data.personId,
            kind: event.data.kind,
            public_name: publicNameOf(event.data),
            active: true,
          });
          break;
        case 'PersonDeactivated': {
          const person = people.get(event.data.personId);
          if (person !== undefined) people.set(person.person_id, { ...person, active: false });
          closeHoldings((h) => h.person_id === event.data.personId, event.occurredAt);
          break;
        }
        case 'RoleGranted': {
          const holding = {
            person_id: event.data.personId,
            role: event.data.role,
            unit_id: event.data.unitId,
            since: event.data.since,
            until: null,
          };
          const key = holdingKey(holding);
          // The first grant of a tenure stands; a repeat changes nothing.
          if (holdings.has(key)) break;
          holdings.set(key, holding);
          dirtyHoldings.add(key);
          break;
        }
        case 'RoleRevoked':
          closeHoldings(
            (h) => h.person_id === event.data.personId && h.role === event.data.role && h.unit_id === event.data.unitId,
            event.data.until,
          );
          break;
      }
    }
    await units.flush();
    await people.flush();
    await upsertRows(
      t,
      'role_holdings',
      ['person_id', 'role', 'unit_id', 'since'],
      [...dirtyHoldings].map((key) => holdings.get(key)!),
    );
  },
});
