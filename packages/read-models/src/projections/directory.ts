// The directory as the public may see it: units with their place in the four levels, people with a
// public name only where they act as officials or enterprises, and who held which role where and when.
// Disclosure and evaluation queries join these views for unit names, levels and claimants.
import {
  createEventRegistry,
  type DirectoryEvent,
  directoryEventDefinitions,
  levelOf,
  type UnitKind,
} from '@banshishi/core';
import { defineProjection } from '../runtime/projection.js';
import { publicNameOf, publicPart } from './public-fields.js';

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
  kind: 'resident' | 'enterprise' | 'official';
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

const registry = createEventRegistry(directoryEventDefinitions);

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
  async apply(trx, events) {
    // Directory events are few next to item events, so one statement per event keeps this plain.
    for (const event of events) {
      switch (event.type) {
        case 'UnitRegistered': {
          const d = publicPart(event.type, event.data) as {
            unitId: string;
            name: string;
            kind: UnitKind;
            parentId: string | null;
          };
          const parent =
            d.parentId === null
              ? undefined
              : await trx.selectFrom('units').selectAll().where('unit_id', '=', d.parentId).executeTakeFirst();
          const level = levelOf(d.kind);
          const path = [
            parent?.level1_id ?? null,
            parent?.level2_id ?? null,
            parent?.level3_id ?? null,
            parent?.level4_id ?? null,
          ];
          path[level - 1] = d.unitId;
          for (let l = level; l < 4; l++) path[l] = null;
          const row = {
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
          };
          await trx
            .insertInto('units')
            .values(row)
            .onConflict((oc) => oc.column('unit_id').doUpdateSet(row))
            .execute();
          break;
        }
        case 'UnitRenamed':
          await trx
            .updateTable('units')
            .set({ name: event.data.name })
            .where('unit_id', '=', event.data.unitId)
            .execute();
          break;
        case 'UnitRetired':
          await trx.updateTable('units').set({ retired: true }).where('unit_id', '=', event.data.unitId).execute();
          break;
        case 'PersonRegistered': {
          const row = {
            person_id: event.data.personId,
            kind: event.data.kind,
            public_name: publicNameOf(event.data),
            active: true,
          };
          await trx
            .insertInto('people')
            .values(row)
            .onConflict((oc) => oc.column('person_id').doUpdateSet(row))
            .execute();
          break;
        }
        case 'PersonDeactivated':
          await trx.updateTable('people').set({ active: false }).where('person_id', '=', event.data.personId).execute();
          await trx
            .updateTable('role_holdings')
            .set({ until: event.occurredAt })
            .where('person_id', '=', event.data.personId)
            .where('until', 'is', null)
            .execute();
          break;
        case 'RoleGranted':
          await trx
            .insertInto('role_holdings')
            .values({
              person_id: event.data.personId,
              role: event.data.role,
              unit_id: event.data.unitId,
              since: event.data.since,
              until: null,
            })
            .onConflict((oc) => oc.columns(['person_id', 'role', 'unit_id', 'since']).doNothing())
            .execute();
          break;
        case 'RoleRevoked':
          await trx
            .updateTable('role_holdings')
            .set({ until: event.data.until })
            .where('person_id', '=', event.data.personId)
            .where('role', '=', event.data.role)
            .where('unit_id', '=', event.data.unitId)
            .where('until', 'is', null)
            .execute();
          break;
      }
    }
  },
});
