// @banshishi/store-postgres — the event store on PostgreSQL (server mode) and PGlite (embedded), with
// its migrations. Both pass the conformance suite in @banshishi/testkit.
export {
  type AuditEvent,
  type AuditHead,
  type AuditLog,
  type AuditLogOptions,
  type AuditSnapshot,
  type AuditStream,
  type FrontierState,
  getPGliteAuditLog,
  getPostgresAuditLog,
  getSqlAuditLog,
  type PGliteAuditLogOptions,
  type PostgresAuditLogOptions,
} from './audit-read.js';
export { type BulkLoadOptions, type BulkLoadResult, type BulkSegment, bulkLoadDemo } from './bulk-import.js';
export {
  type ConnectionErrorHandler,
  type ConnectionErrorReport,
  connectionErrorReport,
  isConnectionLost,
} from './connection.js';
export { getSqlEventStore, type LogHead, type SqlEventStore, type SqlEventStoreOptions } from './event-store.js';
export {
  type PgExecutorOptions,
  pgExecutor,
  pgliteExecutor,
  type Row,
  type SqlExecutor,
  type SqlQuery,
} from './executor.js';
export { type Migration, migrate, migrations } from './migrations/index.js';
export {
  getPGliteEventStore,
  getPostgresEventStore,
  type PGliteEventStoreOptions,
  type PostgresEventStoreOptions,
} from './postgres.js';
