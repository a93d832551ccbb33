// Checking the read models against the log: each projection is rebuilt from the log into a scratch schema
// (never registered as a build, so neither readers nor projectors see it) up to exactly the live build's
// position, and every table is compared row by row with the live one. Nothing is repaired here; the
// projector's rebuild uses the same comparison to say what it replaced.
import { randomBytes } from 'node:crypto';
import type { EventStore } from '@banshishi/core';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { decodeForProjection } from './batch.js';
import { type BuildRow, liveBuild, type ReadModels } from './builds.js';
import type { AnyProjection, CreateTable, ProjectionShape } from './projection.js';

/**
 * The columns whose values a difference may show, per table. Every other column (free text written by
 * or about a resident, names, the raiser behind an item, the timeline's details) is reported only as
 * differing: a check's output goes to terminals and logs, and a tampered live row may hold anything.
 * A table or column not listed here is withheld, so a new one is private until someone decides.
 */
export const shownColumns: Readonly<Record<string, readonly string[]>> = {
  units: [
    'unit_id',
    'name',
    'kind',
    'level',
    'parent_id',
    'level1_id',
    'level2_id',
    'level3_id',
    'level4_id',
    'retired',
  ],
  // public_name is withheld: it is null for residents, and a value there is exactly what must not leak.
  people: ['person_id', 'kind', 'active'],
  role_holdings: ['person_id', 'role', 'unit_id', 'since', 'until'],
  // title, plan, solution_summary, rejection_reason and enterprise_name are free text: withheld.
  public_problems: [
    'problem_id',
    'status',
    'source',
    'grade',
    'category',
    'raiser_kind',
    'origin_unit_id',
    'unit_id',
    'solicited_at',
    'solicited_date',
    'claimant_id',
    'claimant_role',
    'claimant_unit_id',
    'promised_by',
    'first_claimed_at',
    'claimed_at',
    'solved_at',
    'solved_date',
    'evidence_count',
    'closed_at',
    'closed_date',
    'close_basis',
    'closing_verdict',
    'rejected_at',
    'rejection_ground',
    'duplicate_of',
    'escalation_count',
    'rework_count',
    'supervision_count',
    'evaluation_count',
    'last_verdict',
    'last_verdict_kind',
    'last_event_at',
    'revision',
  ],
  // description (the resident's own words) and fulfilment_summary are withheld.
  public_wishes: [
    'wish_id',
    'status',
    'category',
    'consent',
    'unit_id',
    'collected_at',
    'collected_date',
    'collector_id',
    'collector_role',
    'collector_unit_id',
    'claimant_id',
    'home_district_id',
    'first_claimed_at',
    'claimed_at',
    'fulfilled_at',
    'fulfilled_date',
    'evidence_count',
    'confirmed_at',
    'confirmed_on_behalf',
    'reopen_count',
    'release_count',
    'showcased_at',
    'cancelled_at',
    'cancel_grounds',
    'last_event_at',
    'revision',
  ],
  // details carries the event's public text (plans, summaries): withheld.
  public_timeline: [
    'stream_id',
    'revision',
    'item_kind',
    'item_id',
    'event_type',
    'occurred_at',
    'actor_role',
    'actor_id',
    'global_position',
  ],
  // story and masked_name (张**) are withheld.
  showcase: ['wish_id', 'category', 'unit_id', 'member_id', 'shown_as', 'fulfilled_at', 'showcased_at'],
  problem_ratings: ['problem_id', 'revision', 'kind', 'verdict', 'evaluated_at'],
  claims: ['stream_id', 'revision', 'item_kind', 'item_id', 'claimant_id', 'claimed_at', 'claimed_date'],
  campaigns: [
    'campaign_id',
    'name',
    'district_id',
    'period_from',
    'period_to',
    'target_problems_solved',
    'target_wishes_fulfilled',
    'quota_secretary_problems',
    'quota_member_wishes',
    'closed_at',
  ],
  // Not public: which person raised which item. The item is named by the key; the raiser never.
  item_raisers: ['item_kind', 'item_id'],
  // Enterprise service: no contact person, no need's words (they are sealed in the log, counted here). A linked
  // problem's title is withheld as public_problems' is.
  services: [
    'enterprise_id',
    'enterprise_name',
    'unit_id',
    'status',
    'officer_id',
    'officer_role',
    'officer_unit_id',
    'officer_since',
    'term_count',
    'period_since',
    'period_start',
    'ended_at',
    'ended_on',
    'contacts',
    'on_site',
    'last_contact',
  ],
  service_terms: ['enterprise_id', 'term', 'officer_id', 'officer_role', 'officer_unit_id', 'from', 'until'],
  service_contacts: [
    'enterprise_id',
    'contact_id',
    'officer_id',
    'contact_date',
    'kind',
    'roles',
    'needs',
    'recorded_at',
  ],
  service_problems: [
    'problem_id',
    'enterprise_id',
    'contact_id',
    'officer_id',
    'unit_id',
    'problem_status',
    'solved_at',
  ],
  pairings: ['pairing_id', 'unit_id', 'category', 'status', 'consent', 'forgotten', 'paired_at'],
  pairing_visits: ['pairing_id', 'visit_id', 'unit_id', 'visited_at', 'visited_month', 'check_in'],
  // The excerpt is shown only while the household consents: a difference names the row, not the text.
  pairing_excerpts: ['pairing_id', 'visit_id', 'unit_id', 'visited_month'],
  // Visits: ids, months, kinds and counts only; nothing of the household is in these tables.
  visit_records: [
    'visit_id',
    'unit_id',
    'month',
    'kind',
    'topics',
    'visitor_id',
    'visitor_role',
    'visitor_unit_id',
    'check_in',
    'cancelled',
  ],
  visit_counts: ['unit_id', 'month', 'kind', 'topic', 'visits'],
  visitor_months: ['visitor_id', 'visitor_role', 'visitor_unit_id', 'month', 'visits'],
  visit_problems: ['problem_id', 'unit_id', 'visit_id', 'on_site'],
};

/** A value as read (strings, numbers, booleans, ISO timestamps, JSON); null for SQL NULL. */
export type CheckValue = unknown;

export type ColumnDifference =
  | { readonly column: string; readonly live: CheckValue; readonly rebuilt: CheckValue }
  | { readonly column: string; readonly withheld: true };

export type RowDifferenceKind = 'missing' | 'extra' | 'changed';

export interface RowDifference {
  readonly table: string;
  /** The primary key, column by column (ids only, so always shown). */
  readonly key: Readonly<Record<string, CheckValue>>;
  /** `missing`: rebuilt from the log, absent from live; `extra`: in live only; `changed`: both, differing. */
  readonly kind: RowDifferenceKind;
  /** For `changed`: each differing column. */
  readonly columns: readonly ColumnDifference[];
}

export interface TableComparison {
  readonly table: string;
  /** The primary key, read from the catalog of the rebuilt table (made by the projection's own DDL). */
  readonly key: readonly string[];
  /** Null when the live build has no such table. */
  readonly liveRows: number | null;
  readonly rebuiltRows: number;
  /** Columns of one side only (an altered live table); rows are compared on the columns both have. */
  readonly columnsOnlyLive: readonly string[];
  readonly columnsOnlyRebuilt: readonly string[];
  /** Every differing row, counted; `differences` lists at most `maxRowsPerTable` of them, by key. */
  readonly differenceCount: number;
  readonly differences: readonly RowDifference[];
}

export type ProjectionCheck =
  | {
      readonly projection: string;
      readonly status: 'compared';
      readonly build: number;
      readonly version: number;
      readonly position: number;
      /** Events the rebuild read from the log (of the projection's categories, up to `position`). */
      readonly events: number;
      readonly tables: readonly TableComparison[];
    }
  | { readonly projection: string; readonly status: 'not_built' }
  | {
      readonly projection: string;
      readonly status: 'other_version';
      readonly build: number;
      readonly liveVersion: number;
      readonly codeVersion: number;
    };

export interface ReadModelCheckReport {
  readonly projections: readonly ProjectionCheck[];
  /** Differing rows plus differing table shapes, over every projection. */
  readonly differences: number;
}

export interface CompareOptions {
  /** Differences listed per table (all are counted); default 1000. */
  readonly maxRowsPerTable?: number;
}

type Db = Kysely<Database> | Transaction<Database>;

const columnsOf = async (db: Db, schema: string, table: string): Promise<string[]> => {
  const { rows } = await sql<{ name: string }>`
    select a.attname as name
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${table} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(db);
  return rows.map((r) => r.name);
};

const primaryKeyOf = async (db: Db, schema: string, table: string): Promise<string[]> => {
  const { rows } = await sql<{ name: string }>`
    select a.attname as name
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where n.nspname = ${schema} and c.relname = ${table} and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
  return rows.map((r) => r.name);
};

const countRows = async (db: Db, schema: string, table: string): Promise<number> => {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
};

const joinSql = (parts: readonly RawBuilder<unknown>[], separator: string): RawBuilder<unknown> =>
  sql.join(parts, sql.raw(separator));

/**
 * Compares one table of two schemas by primary key, in the database: a full join on the key, keeping
 * rows present on one side only or differing in any shared column (`is distinct from`, so NULLs compare).
 * Withheld columns are compared but their values are never selected.
 */
export const compareTable = async (
  db: Db,
  table: string,
  schemas: { readonly live: string; readonly rebuilt: string },
  options: CompareOptions = {},
): Promise<TableComparison> => {
  const rebuiltColumns = await columnsOf(db, schemas.rebuilt, table);
  const key = await primaryKeyOf(db, schemas.rebuilt, table);
  if (key.length === 0) throw new Error(`read-model check: table ${table} has no primary key to compare rows by`);
  const rebuiltRows = await countRows(db, schemas.rebuilt, table);
  const liveColumns = await columnsOf(db, schemas.live, table);
  const base = { table, key, rebuiltRows };
  if (liveColumns.length === 0) {
    return {
      ...base,
      liveRows: null,
      columnsOnlyLive: [],
      columnsOnlyRebuilt: rebuiltColumns,
      differenceCount: 0,
      differences: [],
    };
  }
  const liveRows = await countRows(db, schemas.live, table);
  const shared = rebuiltColumns.filter((c) => liveColumns.includes(c));
  const columnsOnlyLive = liveColumns.filter((c) => !rebuiltColumns.includes(c));
  const columnsOnlyRebuilt = rebuiltColumns.filter((c) => !liveColumns.includes(c));
  if (!key.every((k) => shared.includes(k))) {
    // Without the key on both sides no row can be matched; the shape difference is the finding.
    return { ...base, liveRows, columnsOnlyLive, columnsOnlyRebuilt, differenceCount: 0, differences: [] };
  }
  const shown = new Set(shownColumns[table] ?? []);
  const valueColumns = shared.filter((c) => !key.includes(c));
  const l = (c: string) => sql.ref(`l.${c}`);
  const r = (c: string) => sql.ref(`r.${c}`);
  const here = '__check_row';
  const selections: RawBuilder<unknown>[] = [
    sql`case when l.${sql.id(here)} is null then 'missing' when r.${sql.id(here)} is null then 'extra' else 'changed' end as kind`,
    ...key.map((k, i) => sql`coalesce(${r(k)}, ${l(k)}) as ${sql.id(`k${i}`)}`),
    ...valueColumns.flatMap((c, i) => [
      sql`(${l(c)} is distinct from ${r(c)}) as ${sql.id(`d${i}`)}`,
      ...(shown.has(c) ? [sql`${l(c)} as ${sql.id(`l${i}`)}`, sql`${r(c)} as ${sql.id(`r${i}`)}`] : []),
    ]),
    sql`count(*) over () as total`,
  ];
  const on = joinSql(
    key.map((k) => sql`${l(k)} = ${r(k)}`),
    ' and ',
  );
  const differs = joinSql(
    [
      sql`l.${sql.id(here)} is null`,
      sql`r.${sql.id(here)} is null`,
      ...valueColumns.map((c) => sql`${l(c)} is distinct from ${r(c)}`),
    ],
    ' or ',
  );
  const order = joinSql(
    key.map((_, i) => sql.id(`k${i}`)),
    ', ',
  );
  const side = (schema: string) => sql`(select t.*, 1 as ${sql.id(here)} from ${sql.id(schema, table)} t)`;
  const { rows } = await sql<Record<string, unknown>>`
    select ${joinSql(selections, ', ')}
    from ${side(schemas.live)} l
    full join ${side(schemas.rebuilt)} r on ${on}
    where ${differs}
    order by ${order}
    limit ${options.maxRowsPerTable ?? 1000}`.execute(db);
  const differences = rows.map((row): RowDifference => {
    const kind = row.kind as RowDifferenceKind;
    const columns: ColumnDifference[] = [];
    if (kind === 'changed') {
      valueColumns.forEach((column, i) => {
        if (row[`d${i}`] !== true) return;
        columns.push(
          shown.has(column) ? { column, live: row[`l${i}`], rebuilt: row[`r${i}`] } : { column, withheld: true },
        );
      });
    }
    return { table, key: Object.fromEntries(key.map((k, i) => [k, row[`k${i}`]])), kind, columns };
  });
  return {
    ...base,
    liveRows,
    columnsOnlyLive,
    columnsOnlyRebuilt,
    differenceCount: Number(rows[0]?.total ?? 0),
    differences,
  };
};

/** Compares every table of a projection between two schemas (two builds, or a build and a scratch rebuild). */
export const compareSchemas = async (
  db: Db,
  projection: ProjectionShape,
  schemas: { readonly live: string; readonly rebuilt: string },
  options: CompareOptions = {},
): Promise<TableComparison[]> => {
  const out: TableComparison[] = [];
  for (const table of Object.keys(projection.tables)) out.push(await compareTable(db, table, schemas, options));
  return out;
};

export const scratchSchemaName = (root: string, projection: string): string =>
  `${root}_${projection}_check_${randomBytes(4).toString('hex')}`;

const createScratch = async (rm: ReadModels, projection: ProjectionShape, schema: string) =>
  rm.db.transaction().execute(async (trx) => {
    await sql`create schema ${sql.id(schema)}`.execute(trx);
    const scoped = trx.withSchema(schema) as unknown as Kysely<unknown>;
    for (const create of Object.values<CreateTable>(projection.tables)) await create(scoped);
  });

interface Filler {
  /** Applies the log to the scratch schema up to and including `position`; resumes where it stopped. */
  fillTo(position: number): Promise<void>;
  readonly events: number;
}

const scratchFiller = (options: CheckReadModelsOptions, projection: AnyProjection, schema: string): Filler => {
  let checkpoint: string | null = null;
  let reached = 0;
  let events = 0;
  return {
    get events() {
      return events;
    },
    async fillTo(position) {
      while (reached < position) {
        const batch = await options.store.readAll({
          after: checkpoint,
          limit: options.batchSize ?? 2000,
          categories: projection.categories,
        });
        // Not beyond the live build's position: events appended since would show as false differences.
        const upTo = batch.events.filter((e) => e.globalPosition <= position);
        const last = upTo[upTo.length - 1];
        if (last !== undefined) {
          const decoded = decodeForProjection(projection, upTo);
          if (decoded.length > 0) {
            await options.readModels.db.transaction().execute(async (trx) => {
              // A scratch schema lost in a crash is simply not there: no WAL flush to wait for.
              await sql`set local synchronous_commit = off`.execute(trx);
              await projection.apply(trx.withSchema(schema), decoded, { schema });
            });
          }
          checkpoint = last.checkpoint;
          reached = last.globalPosition;
          events += upTo.length;
          options.onProgress?.({ projection: projection.name, events });
        }
        if (upTo.length < batch.events.length) reached = position;
        // A log ending before the live build's position has lost events: the rows they made show as extra.
        else if (batch.events.length === 0) return;
      }
    },
  };
};

export interface CheckReadModelsOptions extends CompareOptions {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly projections: readonly AnyProjection[];
  readonly batchSize?: number;
  /** After each batch applied to a scratch schema: events read so far for that projection. */
  readonly onProgress?: (p: { projection: string; events: number }) => void;
}

/** The live build row, locked against the live projector's next batch (it takes the row FOR UPDATE). */
const lockLive = async (trx: Transaction<Database>, rm: ReadModels, live: BuildRow) => {
  const pointer = await trx
    .withSchema(rm.schema)
    .selectFrom('projection_versions')
    .select('live_build')
    .where('projection', '=', live.projection)
    .forShare()
    .executeTakeFirst();
  const row = await trx
    .withSchema(rm.schema)
    .selectFrom('projection_builds')
    .select('position')
    .where('projection', '=', live.projection)
    .where('build', '=', live.build)
    .forShare()
    .executeTakeFirst();
  return { stillLive: pointer?.live_build === live.build, position: Number(row?.position ?? 0) };
};

const checkProjection = async (
  options: CheckReadModelsOptions,
  projection: AnyProjection,
  attemptsLeft = 5,
): Promise<ProjectionCheck> => {
  const rm = options.readModels;
  const live = await liveBuild(rm, projection.name);
  if (live === undefined) return { projection: projection.name, status: 'not_built' };
  if (live.version !== projection.version) {
    // Another version's rows differ by design: comparing them would report the change of rules.
    return {
      projection: projection.name,
      status: 'other_version',
      build: live.build,
      liveVersion: live.version,
      codeVersion: projection.version,
    };
  }
  const scratch = scratchSchemaName(rm.schema, projection.name);
  try {
    await createScratch(rm, projection, scratch);
    const filler = scratchFiller(options, projection, scratch);
    let target = live.position;
    for (;;) {
      await filler.fillTo(target);
      const outcome = await rm.db.transaction().execute(async (trx) => {
        const now = await lockLive(trx, rm, live);
        if (!now.stillLive) return 'moved' as const;
        // The live projector applied more while we read: read on to where it is now, then compare.
        if (now.position > target) return now.position;
        return compareSchemas(trx, projection, { live: live.schemaName, rebuilt: scratch }, options);
      });
      if (outcome === 'moved') {
        if (attemptsLeft <= 1) throw new Error(`projection ${projection.name}: the live build kept changing`);
        return checkProjection(options, projection, attemptsLeft - 1);
      }
      if (typeof outcome === 'number') {
        target = outcome;
        continue;
      }
      return {
        projection: projection.name,
        status: 'compared',
        build: live.build,
        version: live.version,
        position: target,
        events: filler.events,
        tables: outcome,
      };
    }
  } finally {
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(rm.db);
  }
};

/** Differing rows, plus one for a missing table and one for each column of one side only. */
export const tableDifferences = (t: TableComparison): number =>
  t.liveRows === null ? 1 : t.differenceCount + t.columnsOnlyLive.length + t.columnsOnlyRebuilt.length;

const differencesOf = (check: ProjectionCheck): number =>
  check.status === 'compared' ? check.tables.reduce((n, t) => n + tableDifferences(t), 0) : 0;

/**
 * Rebuilds each projection from the log into a scratch schema, to the live build's position, and lists
 * every row where the live tables differ from it. Repairs nothing.
 */
export const checkReadModels = async (options: CheckReadModelsOptions): Promise<ReadModelCheckReport> => {
  const projections: ProjectionCheck[] = [];
  for (const projection of options.projections) projections.push(await checkProjection(options, projection));
  return { projections, differences: projections.reduce((n, p) => n + differencesOf(p), 0) };
};

const shownValue = (value: CheckValue): string =>
  value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);

const keyText = (key: RowDifference['key']): string =>
  Object.entries(key)
    .map(([k, v]) => `${k}=${shownValue(v)}`)
    .join(' ');

/** One line for a differing row: table, key, kind and, for a changed row, each column. */
export const differenceLine = (d: RowDifference): string => {
  const columns = d.columns.map((c) =>
    'withheld' in c
      ? `${c.column} differs`
      : `${c.column}: live ${shownValue(c.live)}, rebuilt ${shownValue(c.rebuilt)}`,
  );
  return `${d.kind.padEnd(7)}  ${d.table}  ${keyText(d.key)}${columns.length === 0 ? '' : `  ${columns.join('; ')}`}`;
};

/** A table's shape as the live build has it, where it differs: a missing table, columns of one side only. */
export const shapeNotes = (t: TableComparison): string[] => [
  ...(t.liveRows === null ? [`the live build has no table ${t.table}`] : []),
  ...(t.liveRows !== null && t.columnsOnlyRebuilt.length > 0
    ? [`${t.table}: live lacks column(s) ${t.columnsOnlyRebuilt.join(', ')}`]
    : []),
  ...(t.columnsOnlyLive.length > 0 ? [`${t.table}: live has extra column(s) ${t.columnsOnlyLive.join(', ')}`] : []),
];

/** What a table's comparison says beyond the rows it lists: its shape, and rows counted but not listed. */
export const tableNotes = (t: TableComparison): string[] => [
  ...shapeNotes(t),
  ...(t.differenceCount > t.differences.length
    ? [`${t.table}: ${t.differenceCount - t.differences.length} more differing rows not listed`]
    : []),
];

/** The report for people: per projection, its build and each table's counts, then each differing row. */
export const readModelCheckLines = (report: ReadModelCheckReport): string[] => {
  const out: string[] = [];
  for (const p of report.projections) {
    if (p.status === 'not_built') {
      out.push(`${p.projection}: never built, nothing to compare`);
      continue;
    }
    if (p.status === 'other_version') {
      out.push(
        `${p.projection}: live build ${p.build} was made by version ${p.liveVersion}, this code is version ` +
          `${p.codeVersion}; the comparison does not apply (run the projector to rebuild)`,
      );
      continue;
    }
    const differing = p.tables.filter((t) => tableDifferences(t) > 0).length;
    out.push(
      `${p.projection}: live build ${p.build} (version ${p.version}) at position ${p.position}, ` +
        `rebuilt from ${p.events} events: ${differing === 0 ? 'every table matches' : `${differing} table(s) differ`}`,
    );
    for (const t of p.tables) {
      out.push(
        `  ${t.table}: ${t.liveRows ?? 'no'} live rows, ${t.rebuiltRows} rebuilt, ${t.differenceCount} differing` +
          ` (key ${t.key.join(', ')})`,
      );
    }
    for (const t of p.tables) {
      for (const d of t.differences) out.push(`  ${differenceLine(d)}`);
      for (const note of tableNotes(t)) out.push(`  ${note}`);
    }
  }
  out.push(
    report.differences === 0
      ? 'the read models say what the log says'
      : `${report.differences} difference(s): the read models do not say what the log says`,
  );
  return out;
};
