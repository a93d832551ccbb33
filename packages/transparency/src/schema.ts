// The transparency log's tables, in a schema of their own in the read-model database (docs/auditing.md,
// "The transparency log"). Versioned like the other stores' migrations: a shipped statement never changes,
// new DDL is added at the end under a new version; applied once, in one transaction, under an advisory lock.
//
//   leaves       one row per event, in log order: its facts and its leaf hash (the perfect subtrees of level 0)
//   nodes        every perfect subtree of level ≥ 1, completed as leaves arrive
//   state        the tree's size, the store cursor after its last leaf, and its right edge (to resume)
//   checkpoints  every signed checkpoint
// leaves, nodes and checkpoints are append-only: triggers refuse UPDATE, DELETE and TRUNCATE. That stops a
// mistake, not an operator (who can drop a trigger): against them stand the receipts outsiders keep.
import { type Kysely, sql } from 'kysely';

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (schema: string) => readonly ReturnType<typeof sql>[];
}

const tables: Migration = {
  version: 1,
  name: 'tree-and-checkpoints',
  statements: (schema) => {
    const s = sql.id(schema);
    return [
      sql`CREATE TABLE ${s}.leaves (
            leaf_index      bigint  PRIMARY KEY,
            event_id        text    NOT NULL UNIQUE,
            stream_id       text    NOT NULL,
            revision        integer NOT NULL,
            global_position bigint  NOT NULL,
            event_hash      text    NOT NULL,
            leaf_hash       bytea   NOT NULL
          )`,
      sql`CREATE INDEX leaves_by_stream ON ${s}.leaves (stream_id, revision)`,
      sql`CREATE TABLE ${s}.nodes (
            level      smallint NOT NULL CHECK (level > 0),
            node_index bigint   NOT NULL,
            hash       bytea    NOT NULL,
            PRIMARY KEY (level, node_index)
          )`,
      sql`CREATE TABLE ${s}.state (
            one    boolean PRIMARY KEY DEFAULT true CHECK (one),
            size   bigint  NOT NULL,
            cursor text,
            edge   jsonb   NOT NULL
          )`,
      sql`INSERT INTO ${s}.state (size, cursor, edge) VALUES (0, NULL, '[]')`,
      sql`CREATE TABLE ${s}.checkpoints (
            tree_size   bigint      PRIMARY KEY,
            root        bytea       NOT NULL,
            signed_note text        NOT NULL,
            made_at     timestamptz NOT NULL DEFAULT now()
          )`,
      sql`CREATE FUNCTION ${s}.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'transparency % are append-only: % refused', TG_TABLE_NAME, TG_OP
              USING ERRCODE = 'integrity_constraint_violation';
          END $$`,
      ...['leaves', 'nodes', 'checkpoints'].flatMap((table) => [
        sql`CREATE TRIGGER ${sql.id(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${s}.${sql.id(table)}
              FOR EACH ROW EXECUTE FUNCTION ${s}.append_only()`,
        sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${s}.${sql.id(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION ${s}.append_only()`,
      ]),
    ];
  },
};

const migrations: readonly Migration[] = [tables];

/** Advisory-lock namespace of the transparency log's migrations (the first key of a two-key lock). */
const migrateLock = 0x62_74_6c_01;

/** Applies the migrations the schema lacks, once, however many processes start at the same moment. */
export const migrateTransparency = async (db: Kysely<unknown>, schema: string): Promise<number[]> =>
  db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${migrateLock}, hashtext(${schema}))`.execute(tx);
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS ${sql.id(schema)}.transparency_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
              )`.execute(tx);
    const done = new Set(
      (
        await sql<{ version: number }>`SELECT version FROM ${sql.id(schema)}.transparency_migrations`.execute(tx)
      ).rows.map((r) => Number(r.version)),
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements(schema)) await statement.execute(tx);
      await sql`INSERT INTO ${sql.id(schema)}.transparency_migrations (version, name)
                VALUES (${migration.version}, ${migration.name})`.execute(tx);
      applied.push(migration.version);
    }
    return applied;
  });
