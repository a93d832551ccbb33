// Shipped; never edit. The control tables of the projection runtime: every build of every projection,
// with its checkpoint, and the pointer that says which build readers see.
import { type Kysely, type Migration, sql } from 'kysely';

export const projectionControl = (schema: string): Migration => ({
  async up(db: Kysely<unknown>) {
    const s = db.withSchema(schema).schema;
    await s
      .createTable('projection_builds')
      .addColumn('projection', 'text', (c) => c.notNull())
      .addColumn('build', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('schema_name', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('building', 'live', 'retired')`))
      .addColumn('position', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('checkpoint', 'text')
      .addColumn('events_applied', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('last_recorded_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('live_since', 'timestamptz')
      .addPrimaryKeyConstraint('projection_builds_pk', ['projection', 'build'])
      .execute();
    await s
      .createTable('projection_versions')
      .addColumn('projection', 'text', (c) => c.primaryKey())
      .addColumn('live_build', 'integer', (c) => c.notNull())
      .addColumn('switched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addForeignKeyConstraint('projection_versions_live_build_fk', ['projection', 'live_build'], 'projection_builds', [
        'projection',
        'build',
      ])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    const s = db.withSchema(schema).schema;
    await s.dropTable('projection_versions').execute();
    await s.dropTable('projection_builds').execute();
  },
});
