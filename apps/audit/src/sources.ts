// Where the audit reads: the embedded PGlite folder, a PostgreSQL database or an EventStoreDB server, named by
// the same environment the projector reads (docs/operations.md): EVENTS_URL (postgres://…, esdb://… or
// pglite:<folder>), else DATABASE_URL, else PGLITE_DIR (default .data/banshishi); EVENT_STORE_SCHEMA,
// KEY_STORE_SCHEMA, READ_MODELS_URL and READ_MODELS_SCHEMA as there; the transparency log's tables are in the
// read-model database, schema TRANSPARENCY_SCHEMA (default `transparency`). Everything one command needs is opened
// together and closed together; a PGlite folder has one user at a time, so all of it shares one instance.
import type { EventStore } from '@banshishi/core';
import { type OpenReadModels, openReadModels, pgKysely, pgliteKysely } from '@banshishi/read-models';
import { getEventStoreDBEventStore } from '@banshishi/store-esdb';
import {
  type AuditCount,
  type AuditLog,
  type AuditStream,
  getPGliteAuditLog,
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  getPostgresAuditLog,
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
  type SqlSubjectKeyStore,
} from '@banshishi/store-postgres';
import { defaultTransparencySchema, openTransparencyLog, type TransparencyLog } from '@banshishi/transparency';
import type { PGlite } from '@electric-sql/pglite';
import * as E from 'fp-ts/lib/Either.js';
import { type Kysely, sql } from 'kysely';
import { storeAuditLog } from './store-audit-log.js';

export type EventSource =
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly schema: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string }
  | { readonly kind: 'esdb'; readonly url: string; readonly namespace?: string };

export interface AuditConfig {
  readonly events: EventSource;
  readonly keySchema: string;
  /** Absent when the events are in EventStoreDB and no READ_MODELS_URL is given. */
  readonly readModels?:
    | { readonly kind: 'pglite' }
    | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };
  readonly readModelSchema: string;
  readonly transparencySchema: string;
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;
const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** The configuration from the environment, or every problem with it, each naming its variable. */
export const decodeAuditConfig = (env: NodeJS.ProcessEnv): E.Either<readonly string[], AuditConfig> => {
  const problems: string[] = [];
  const given = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const schemaOf = (name: string, fallback: string) => {
    const value = given(name) ?? fallback;
    if (!identifier.test(value))
      problems.push(`${name}: expected a lower-case SQL identifier, got ${JSON.stringify(value)}`);
    return value;
  };
  const schema = schemaOf('EVENT_STORE_SCHEMA', 'event_store');
  const keySchema = schemaOf('KEY_STORE_SCHEMA', 'personal_keys');
  const readModelSchema = schemaOf('READ_MODELS_SCHEMA', 'read_models');
  const transparencySchema = schemaOf('TRANSPARENCY_SCHEMA', defaultTransparencySchema);
  const databaseUrl = given('DATABASE_URL');
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl))
    problems.push(`DATABASE_URL: expected postgres://…, got ${JSON.stringify(databaseUrl)}`);
  const eventsUrl = given('EVENTS_URL') ?? databaseUrl;
  let events: EventSource = { kind: 'pglite', dataDir: given('PGLITE_DIR') ?? '.data/banshishi', schema };
  if (eventsUrl !== undefined) {
    if (isPostgresUrl(eventsUrl)) events = { kind: 'postgres', url: eventsUrl, schema };
    else if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//.test(eventsUrl)) {
      const namespace = given('ESDB_NAMESPACE');
      events = { kind: 'esdb', url: eventsUrl, ...(namespace === undefined ? {} : { namespace }) };
    } else if (eventsUrl.startsWith('pglite:') && eventsUrl.length > 'pglite:'.length)
      events = { kind: 'pglite', dataDir: eventsUrl.slice('pglite:'.length), schema };
    else
      problems.push(`EVENTS_URL: expected postgres://…, esdb://… or pglite:<folder>, got ${JSON.stringify(eventsUrl)}`);
  }
  const readUrl = given('READ_MODELS_URL') ?? databaseUrl;
  if (readUrl !== undefined && !isPostgresUrl(readUrl))
    problems.push(`READ_MODELS_URL: expected postgres://…, got ${JSON.stringify(readUrl)}`);
  const readModels: AuditConfig['readModels'] =
    readUrl !== undefined
      ? { kind: 'postgres', url: readUrl, schema: readModelSchema }
      : events.kind === 'pglite'
        ? { kind: 'pglite' }
        : undefined;
  if (problems.length > 0) return E.left(problems);
  return E.right({
    events,
    keySchema,
    readModelSchema,
    transparencySchema,
    ...(readModels === undefined ? {} : { readModels }),
  });
};

export interface Opened {
  readonly source: EventSource;
  readonly store: EventStore;
  /** The tables as stored, in one snapshot; for EventStoreDB, its streams read through the port. */
  auditLog(): Promise<AuditLog & { count?(): Promise<AuditCount> }>;
  /** One stream as the audit log reads it: its events as stored and its recorded head. */
  auditStream(streamId: string): Promise<AuditStream>;
  /** Null when the database holds no key store (nothing was ever sealed there), or for EventStoreDB without one. */
  keys(): Promise<SqlSubjectKeyStore | null>;
  readModels(): Promise<OpenReadModels | null>;
  /**
   * The transparency log's stored tree and checkpoints; null when the read-model database holds none (an
   * audit creates no schema), or when there is no read-model database (EventStoreDB without READ_MODELS_URL).
   */
  transparency(): Promise<TransparencyLog | null>;
  close(): Promise<void>;
}

const isMissingRelation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '3F000';
};

const orNull = async <A>(open: () => Promise<A>): Promise<A | null> => {
  try {
    return await open();
  } catch (error) {
    if (isMissingRelation(error)) return null;
    throw error;
  }
};

/** Opens the store read-only in spirit: no migration runs, so an audit never changes a schema. */
export const openSource = async (config: AuditConfig): Promise<Opened> => {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const source = config.events;
    let pglite: PGlite | undefined;
    let store: EventStore;
    let auditLog: () => Promise<
      AuditLog & { stream(streamId: string): Promise<AuditStream>; count?(): Promise<AuditCount> }
    >;
    let keys: () => Promise<SqlSubjectKeyStore | null>;
    if (source.kind === 'pglite') {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(source.dataDir);
      pglite = db;
      closers.push(() => db.close());
      store = await getPGliteEventStore({ pglite: db, schema: source.schema, migrate: false });
      auditLog = () => getPGliteAuditLog({ pglite: db, schema: source.schema });
      keys = () => orNull(() => getPGliteSubjectKeyStore({ pglite: db, schema: config.keySchema, migrate: false }));
    } else if (source.kind === 'postgres') {
      store = await getPostgresEventStore({
        connectionString: source.url,
        applicationName: 'banshishi-audit',
        schema: source.schema,
        migrate: false,
      });
      auditLog = async () => getPostgresAuditLog({ connectionString: source.url, schema: source.schema });
      keys = () =>
        orNull(() =>
          getPostgresSubjectKeyStore({
            connectionString: source.url,
            applicationName: 'banshishi-audit',
            schema: config.keySchema,
            migrate: false,
          }),
        );
    } else {
      const esdb = getEventStoreDBEventStore(
        { connectionString: source.url },
        source.namespace === undefined ? {} : { namespace: source.namespace },
      );
      store = esdb;
      auditLog = async () => storeAuditLog(esdb);
      // The keys of an EventStoreDB deployment live in PostgreSQL (KEY_STORE_URL or DATABASE_URL), if anywhere.
      const keyUrl = process.env.KEY_STORE_URL || process.env.DATABASE_URL;
      keys = () =>
        keyUrl === undefined || keyUrl === ''
          ? Promise.resolve(null)
          : orNull(() =>
              getPostgresSubjectKeyStore({
                connectionString: keyUrl,
                applicationName: 'banshishi-audit',
                schema: config.keySchema,
                migrate: false,
              }),
            );
    }
    const opened = store;
    closers.push(() => opened.close());
    let keyStore: Promise<SqlSubjectKeyStore | null> | undefined;
    let readModels: Promise<OpenReadModels | null> | undefined;
    let transparency: Promise<TransparencyLog | null> | undefined;
    return {
      source,
      store,
      auditLog,
      auditStream: async (streamId) => {
        const log = await auditLog();
        try {
          return await log.stream(streamId);
        } finally {
          await log.close();
        }
      },
      keys: () => {
        keyStore ??= keys().then((k) => {
          if (k !== null) closers.push(() => k.close());
          return k;
        });
        return keyStore;
      },
      readModels: () => {
        readModels ??= (async () => {
          const target = config.readModels;
          if (target === undefined) return null;
          const rm =
            target.kind === 'pglite'
              ? pglite === undefined
                ? null
                : await openReadModels({ kind: 'pglite', pglite }, config.readModelSchema)
              : await openReadModels({ kind: 'postgres', connectionString: target.url, max: 2 }, target.schema);
          if (rm !== null) closers.push(() => rm.close());
          return rm;
        })();
        return readModels;
      },
      transparency: () => {
        transparency ??= (async () => {
          const target = config.readModels;
          if (target === undefined || (target.kind === 'pglite' && pglite === undefined)) return null;
          const db: Kysely<unknown> =
            target.kind === 'pglite'
              ? pgliteKysely<unknown>(pglite!)
              : pgKysely<unknown>({ connectionString: target.url, max: 2, applicationName: 'banshishi-audit' });
          closers.push(() => db.destroy());
          // Looked for first: opening the log would create its tables, and an audit changes no schema.
          const state = `${config.transparencySchema}.state`;
          const found = (await sql<{ found: string | null }>`SELECT to_regclass(${state})::text AS found`.execute(db))
            .rows[0]?.found;
          if (found === null || found === undefined) return null;
          return openTransparencyLog({ db, schema: config.transparencySchema });
        })();
        return transparency;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};
