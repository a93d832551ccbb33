// The read-model database as kysely sees it: one interface per table, so every query is checked
// against the schema. Projection tables are read through views in the read-model schema that point at
// the live build (runtime/builds.ts); the control tables live beside them.
import type { ColumnType, Generated } from 'kysely';
import type { DirectoryTables } from './projections/directory.js';
import type { DisclosureTables } from './projections/disclosure.js';
import type { ServiceTables } from './projections/enterprise-service.js';
import type { EvaluationTables } from './projections/evaluation.js';
import type { PairingTables } from './projections/pairing.js';
import type { RaiserTables } from './projections/raisers.js';
import type { VisitTables } from './projections/visits.js';

/** Timestamps are read as ISO-8601 strings (sql/types.ts) and written as strings too. */
export type Timestamp = ColumnType<string, string, string>;

export type BuildStatus = 'building' | 'live' | 'retired';

export interface ProjectionBuildsTable {
  readonly projection: string;
  /** 1, 2, 3… per projection: each rebuild is a new build beside the live one. */
  readonly build: number;
  /** The projection's code version the build was made with. */
  readonly version: number;
  readonly schema_name: string;
  status: BuildStatus;
  /** Global position of the last event applied; events at or below it are skipped. */
  position: Generated<number>;
  /** The store's opaque resume token matching `position`. */
  checkpoint: string | null;
  events_applied: Generated<number>;
  /** Store time of the last applied event: how old the build's picture of the world is. */
  last_recorded_at: Timestamp | null;
  readonly created_at: Generated<string>;
  updated_at: Generated<string>;
  live_since: Timestamp | null;
}

export interface ProjectionVersionsTable {
  readonly projection: string;
  live_build: number;
  switched_at: Generated<string>;
}

export interface ControlTables {
  projection_builds: ProjectionBuildsTable;
  projection_versions: ProjectionVersionsTable;
}

/** Everything a reader may query in the read-model schema: control tables and the live views. */
export type Database = ControlTables &
  DirectoryTables &
  DisclosureTables &
  EvaluationTables &
  PairingTables &
  RaiserTables &
  ServiceTables &
  VisitTables;
