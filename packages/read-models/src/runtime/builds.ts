// Builds: each projection writes into a schema of its own per build (`<root>_<projection>_b<n>`), and
// readers query views in the read-model schema that point at the live build. A rebuild fills a new build
// beside the live one; switching moves the pointer and re-creates the views in one transaction, so a
// reader sees either the old build or the new one, never a half-built table.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, ProjectionBuildsTable } from '../schema.js';
import type { CreateTable, ProjectionShape } from './projection.js';

/** The read-model database and the schema holding its control tables and reader views. */
export interface ReadModels {
  readonly db: Kysely<Database>;
  readonly schema: string;
}

export interface BuildRow {
  readonly projection: string;
  readonly build: number;
  readonly version: number;
  readonly schemaName: string;
  readonly status: ProjectionBuildsTable['status'];
  readonly position: number;
  readonly checkpoint: string | null;
  readonly eventsApplied: number;
  readonly lastRecordedAt: string | null;
}

export const buildSchemaName = (root: string, projection: string, build: number): string =>
  `${root}_${projection}_b${build}`;

const columns = [
  'projection',
  'build',
  'version',
  'schema_name',
  'status',
  'position',
  'checkpoint',
  'events_applied',
  'last_recorded_at',
] as const;

const toBuildRow = (r: {
  projection: string;
  build: number;
  version: number;
  schema_name: string;
  status: ProjectionBuildsTable['status'];
  position: number;
  checkpoint: string | null;
  events_applied: number;
  last_recorded_at: string | null;
}): BuildRow => ({
  projection: r.projection,
  build: r.build,
  version: r.version,
  schemaName: r.schema_name,
  status: r.status,
  position: Number(r.position),
  checkpoint: r.checkpoint,
  eventsApplied: Number(r.events_applied),
  lastRecordedAt: r.last_recorded_at,
});

const control = (trx: Transaction<Database> | Kysely<Database>, rm: ReadModels) => trx.withSchema(rm.schema);

/** Serialises everyone who creates builds or moves pointers, across processes. */
const lockControl = (trx: Transaction<Database>, rm: ReadModels) =>
  sql`lock table ${sql.id(rm.schema, 'projection_versions')} in share row exclusive mode`.execute(trx);

const createBuildSchema = async (trx: Transaction<Database>, projection: ProjectionShape, schemaName: string) => {
  await sql`create schema ${sql.id(schemaName)}`.execute(trx);
  const scoped = trx.withSchema(schemaName) as unknown as Kysely<unknown>;
  for (const create of Object.values<CreateTable>(projection.tables)) await create(scoped);
};

const pointViews = async (
  trx: Transaction<Database>,
  rm: ReadModels,
  projection: ProjectionShape,
  schemaName: string,
) => {
  for (const table of Object.keys(projection.tables)) {
    await sql`drop view if exists ${sql.id(rm.schema, table)}`.execute(trx);
    await sql`create view ${sql.id(rm.schema, table)} as select * from ${sql.id(schemaName, table)}`.execute(trx);
  }
};

const nextBuildNumber = async (trx: Transaction<Database>, rm: ReadModels, name: string) => {
  const row = await control(trx, rm)
    .selectFrom('projection_builds')
    .select((eb) => eb.fn.max('build').as('max'))
    .where('projection', '=', name)
    .executeTakeFirst();
  return (row?.max ?? 0) + 1;
};

/**
 * The projection's next build: its schema with the projection's tables, and its row in the control table.
 * A build that is live from the start (the first) records since when; a rebuild's records it on switching.
 */
const createBuild = async (
  trx: Transaction<Database>,
  rm: ReadModels,
  projection: ProjectionShape,
  status: 'live' | 'building',
): Promise<{ build: number; schemaName: string }> => {
  const build = await nextBuildNumber(trx, rm, projection.name);
  const schemaName = buildSchemaName(rm.schema, projection.name, build);
  await createBuildSchema(trx, projection, schemaName);
  await control(trx, rm)
    .insertInto('projection_builds')
    .values({
      projection: projection.name,
      build,
      version: projection.version,
      schema_name: schemaName,
      status,
      ...(status === 'live' ? { live_since: new Date().toISOString() } : {}),
    })
    .execute();
  return { build, schemaName };
};

export const getBuild = async (
  db: Transaction<Database> | Kysely<Database>,
  rm: ReadModels,
  name: string,
  build: number,
): Promise<BuildRow | undefined> => {
  const row = await control(db, rm)
    .selectFrom('projection_builds')
    .select(columns)
    .where('projection', '=', name)
    .where('build', '=', build)
    .executeTakeFirst();
  return row === undefined ? undefined : toBuildRow(row);
};

/** The build readers currently see, or undefined when the projection has never been built. */
export const liveBuild = async (rm: ReadModels, name: string): Promise<BuildRow | undefined> => {
  const row = await control(rm.db, rm)
    .selectFrom('projection_versions as v')
    .innerJoin('projection_builds as b', (j) =>
      j.onRef('b.projection', '=', 'v.projection').onRef('b.build', '=', 'v.live_build'),
    )
    .select(columns.map((c) => `b.${c}` as const))
    .where('v.projection', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : toBuildRow(row);
};

/**
 * The live build, creating build 1 (empty, live at once) on first use. An empty build that is live from
 * the start is no half-built table: readers simply see the projection catching up from nothing.
 */
export const ensureProjection = async (rm: ReadModels, projection: ProjectionShape): Promise<BuildRow> => {
  const existing = await liveBuild(rm, projection.name);
  if (existing !== undefined) return existing;
  await rm.db.transaction().execute(async (trx) => {
    await lockControl(trx, rm);
    const pointer = await control(trx, rm)
      .selectFrom('projection_versions')
      .select('live_build')
      .where('projection', '=', projection.name)
      .executeTakeFirst();
    if (pointer !== undefined) return;
    const { build, schemaName } = await createBuild(trx, rm, projection, 'live');
    await control(trx, rm)
      .insertInto('projection_versions')
      .values({ projection: projection.name, live_build: build })
      .execute();
    await pointViews(trx, rm, projection, schemaName);
  });
  const created = await liveBuild(rm, projection.name);
  if (created === undefined) throw new Error(`projection ${projection.name}: live build vanished after creation`);
  return created;
};

/**
 * A new build beside the live one, or the unfinished build of the same version that an interrupted
 * rebuild left behind (so a rebuild resumes instead of starting over). Unfinished builds of other
 * versions are dropped.
 */
export const startBuild = async (rm: ReadModels, projection: ProjectionShape): Promise<BuildRow> => {
  const build = await rm.db.transaction().execute(async (trx) => {
    await lockControl(trx, rm);
    const unfinished = await control(trx, rm)
      .selectFrom('projection_builds')
      .select(['build', 'version', 'schema_name'])
      .where('projection', '=', projection.name)
      .where('status', '=', 'building')
      .orderBy('build')
      .execute();
    let resume: number | undefined;
    for (const u of unfinished) {
      if (u.version === projection.version && resume === undefined) {
        resume = u.build;
        continue;
      }
      await sql`drop schema if exists ${sql.id(u.schema_name)} cascade`.execute(trx);
      await control(trx, rm)
        .updateTable('projection_builds')
        .set({ status: 'retired', updated_at: sql<string>`now()` })
        .where('projection', '=', projection.name)
        .where('build', '=', u.build)
        .execute();
    }
    if (resume !== undefined) return resume;
    return (await createBuild(trx, rm, projection, 'building')).build;
  });
  const row = await getBuild(rm.db, rm, projection.name, build);
  if (row === undefined) throw new Error(`projection ${projection.name}: build ${build} vanished after creation`);
  return row;
};

export type SwitchResult =
  | { readonly switched: true; readonly previous: number | null }
  | { readonly switched: false; readonly behindBy: number; readonly livePosition: number };

/**
 * Makes `build` live if it has caught up with the live build: it must have applied at least as far as
 * the live build (readers never step back in time), unless `caughtUpWithStore` says it has read
 * everything visible and the live build was made by another version (whose categories may differ, so
 * positions are not comparable). The pointer row is locked, so the live projector cannot move on
 * while we compare.
 */
export const switchLive = async (
  rm: ReadModels,
  projection: ProjectionShape,
  build: number,
  caughtUpWithStore: boolean,
): Promise<SwitchResult> =>
  rm.db.transaction().execute(async (trx): Promise<SwitchResult> => {
    const pointer = await control(trx, rm)
      .selectFrom('projection_versions')
      .select('live_build')
      .where('projection', '=', projection.name)
      .forUpdate()
      .executeTakeFirst();
    const candidate = await getBuild(trx, rm, projection.name, build);
    if (candidate === undefined) throw new Error(`projection ${projection.name}: build ${build} does not exist`);
    if (pointer?.live_build === build) return { switched: true, previous: null };
    const live = pointer === undefined ? undefined : await getBuild(trx, rm, projection.name, pointer.live_build);
    if (live !== undefined && candidate.position < live.position) {
      const comparable = live.version === candidate.version;
      if (comparable || !caughtUpWithStore) {
        return { switched: false, behindBy: live.position - candidate.position, livePosition: live.position };
      }
    }
    const now = new Date().toISOString();
    if (live !== undefined) {
      await control(trx, rm)
        .updateTable('projection_builds')
        .set({ status: 'retired', updated_at: now })
        .where('projection', '=', projection.name)
        .where('build', '=', live.build)
        .execute();
    }
    await control(trx, rm)
      .updateTable('projection_builds')
      .set({ status: 'live', live_since: now, updated_at: now })
      .where('projection', '=', projection.name)
      .where('build', '=', build)
      .execute();
    if (pointer === undefined) {
      await control(trx, rm)
        .insertInto('projection_versions')
        .values({ projection: projection.name, live_build: build })
        .execute();
    } else {
      await control(trx, rm)
        .updateTable('projection_versions')
        .set({ live_build: build, switched_at: now })
        .where('projection', '=', projection.name)
        .execute();
    }
    await pointViews(trx, rm, projection, candidate.schemaName);
    return { switched: true, previous: live?.build ?? null };
  });

/** Drops a build's tables once it is no longer live; its row stays, as a record of what was built when. */
export const dropBuild = async (rm: ReadModels, name: string, build: number): Promise<void> =>
  rm.db.transaction().execute(async (trx) => {
    await lockControl(trx, rm);
    const row = await getBuild(trx, rm, name, build);
    if (row === undefined) return;
    if (row.status === 'live') throw new Error(`projection ${name}: build ${build} is live and cannot be dropped`);
    await sql`drop schema if exists ${sql.id(row.schemaName)} cascade`.execute(trx);
    await control(trx, rm)
      .updateTable('projection_builds')
      .set({ status: 'retired', updated_at: new Date().toISOString() })
      .where('projection', '=', name)
      .where('build', '=', build)
      .execute();
  });
