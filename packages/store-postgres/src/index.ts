// @banshishi/store-postgres — the event store and the subject-key store on PostgreSQL (server mode) and
// PGlite (embedded), with their migrations. Both back ends pass the conformance suites in @banshishi/testkit.
export {
  type AuditCount,
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
  type SqlAuditLog,
} from './audit-read.js';
export {
  type BulkLoadOptions,
  type BulkLoadResult,
  type BulkSegment,
  bulkLoadDemo,
  sealedForFirstLoad,
} from './bulk-import.js';
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
export { findBytesInSchemas, findTextsInSchemas } from './forgetting-scan.js';
export {
  type BatchedSubjectKeyStore,
  batchedSubjectKeyStore,
  getPGliteSubjectKeyStore,
  getPostgresSubjectKeyStore,
  getSqlSubjectKeyStore,
  type PGliteSubjectKeyStoreOptions,
  type PostgresSubjectKeyStoreOptions,
  type SqlSubjectKeyStore,
  type SqlSubjectKeyStoreOptions,
  subjectKeyStoreRules,
} from './key-store.js';
export { applyMigrations, type Migration, migrate, migrations } from './migrations/index.js';
export { subjectKeyLedger, subjectKeyMigrations } from './migrations/subject-keys/index.js';
export { nodeSha256Hex } from './node-hash.js';
export {
  getPGliteEventStore,
  getPostgresEventStore,
  type PGliteEventStoreOptions,
  type PostgresEventStoreOptions,
} from './postgres.js';
