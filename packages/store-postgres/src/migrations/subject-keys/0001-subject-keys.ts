// Shipped; never edit. One row per data subject: the key while they are known, a tombstone (no key,
// the time they were forgotten) after. The checks keep a row from being both or neither, and a key
// from being anything but the 32 bytes the cipher takes.
import type { Migration } from '../migration.js';

export const subjectKeys: Migration = {
  version: 1,
  name: 'subject_keys',
  statements: [
    `CREATE TABLE subject_keys (
       subject      text        PRIMARY KEY CHECK (subject <> ''),
       key          bytea       NULL CHECK (octet_length(key) = 32),
       created_at   timestamptz NOT NULL DEFAULT now(),
       forgotten_at timestamptz NULL,
       CONSTRAINT key_or_tombstone CHECK ((key IS NULL) = (forgotten_at IS NOT NULL))
     )`,
  ],
};
