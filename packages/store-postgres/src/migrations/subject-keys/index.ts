// The subject-key store's migrations, in the same shape as the event store's (a shipped file never
// changes, new DDL goes into a new file listed at the end) and recorded in a ledger of their own, so the
// two never mistake each other's versions even if someone gives both stores one schema.
import type { Migration } from '../migration.js';
import { subjectKeys } from './0001-subject-keys.js';

export const subjectKeyMigrations: readonly Migration[] = [subjectKeys];

/** The table in the key store's schema that records which of them are applied. */
export const subjectKeyLedger = 'subject_key_migrations';
