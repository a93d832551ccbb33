// CI's server-mode smoke test drives its PostgreSQL through this (.ci/run): `load` writes the demo
// backlog into EVENT_STORE_SCHEMA and prints the held-back problem's id, `append` appends that problem,
// `office-token` prints a token for the demo's office (signed with API_JWT_SECRET) and its district,
// `count` prints how many events the log holds, `drop` removes the schemas (and the read models' build schemas) named in the environment.
import { demoOfficeHolder, issueDevToken } from '@banshishi/api';
import pg from 'pg';
import {
  appendHeldBack,
  demoWithOneProblemHeldBack,
  dropServerModeSchemas,
  heldBackDemo,
  loadBacklog,
} from './server-mode.js';

const [command] = process.argv.slice(2);
const { DATABASE_URL: url, EVENT_STORE_SCHEMA: eventSchema, READ_MODEL_SCHEMA: readModelSchema } = process.env;
if (url === undefined || eventSchema === undefined || readModelSchema === undefined || command === undefined) {
  process.stderr.write(
    'usage: DATABASE_URL=… EVENT_STORE_SCHEMA=… READ_MODEL_SCHEMA=… server-mode-cli load|append|office-token|count|drop\n',
  );
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'banshishi-ci-smoke' });
try {
  if (command === 'load') {
    const history = demoWithOneProblemHeldBack();
    await loadBacklog(pool, eventSchema, history);
    console.log(history.problemId);
  } else if (command === 'append') {
    await appendHeldBack(pool, eventSchema, demoWithOneProblemHeldBack());
  } else if (command === 'office-token') {
    const secret = process.env.API_JWT_SECRET;
    if (secret === undefined) throw new Error('office-token needs API_JWT_SECRET');
    const office = demoOfficeHolder(heldBackDemo);
    const token = await issueDevToken(new TextEncoder().encode(secret), { personId: office.personId });
    console.log(`${token} ${office.unitId}`);
  } else if (command === 'count') {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${eventSchema}".events`);
    console.log(rows[0]!.n);
  } else if (command === 'drop') {
    const extra = [process.env.KEY_STORE_SCHEMA, process.env.TRANSPARENCY_SCHEMA].filter(
      (s): s is string => s !== undefined && s !== '',
    );
    console.log((await dropServerModeSchemas(pool, eventSchema, readModelSchema, extra)).join(' '));
  } else {
    process.stderr.write(
      `unknown command ${JSON.stringify(command)}: expected load, append, office-token, count or drop\n`,
    );
    process.exitCode = 2;
  }
} finally {
  await pool.end();
}
