// What the integration specs share: the PostgreSQL that CI provides (the one default DATABASE_URL of every
// spec, and of the benchmarks), reached loudly or not at all, and a fresh schema per store so spec files
// running in parallel never see each other's events.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL every integration spec and benchmark talks to. */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A pool on the test database; throws with instructions when PostgreSQL is not reachable. */
export const connectTestDatabase = async (
  options: {
    max?: number;
    /** Skip the WAL flush at COMMIT: durability is not what these specs test, ordering is unaffected. */
    asyncCommit?: boolean;
  } = {},
): Promise<pg.Pool> => {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 20,
    ...(options.asyncCommit === true ? { options: '-c synchronous_commit=off' } : {}),
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `PostgreSQL is required by the integration specs (*.int.spec.ts) and is not reachable at ${databaseUrl} ` +
        `(${error instanceof Error ? error.message : String(error)}). Start it, or point DATABASE_URL at one.`,
    );
  }
  return pool;
};

export const freshSchemaName = (label: string): string => `test_${label}_${randomBytes(6).toString('hex')}`;

export const dropSchema = async (db: { query: (text: string) => Promise<unknown> }, schema: string) => {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
};

/**
 * An application name of its own, so a spec can find its connections in pg_stat_activity: other spec
 * files, and other people's processes, share the database and must never have theirs cut.
 */
export const freshApplicationName = (label: string): string => `spec_${label}_${randomBytes(4).toString('hex')}`;

/** The test database URL with `application_name` set; pg lets the URL's value win over the pool's. */
export const urlNamed = (applicationName: string): string => {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
};

/** Cuts every backend that carries `applicationName` (and only those); resolves with how many. */
export const terminateBackends = async (admin: pg.Pool, applicationName: string): Promise<number> => {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = $1 AND pid <> pg_backend_pid()) AS cut`,
    [applicationName],
  );
  return rows[0]!.n;
};
