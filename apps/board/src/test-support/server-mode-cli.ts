// CI's server-mode smoke test drives its PostgreSQL through this (.ci/run): `load` writes the demo
// backlog into EVENT_STORE_SCHEMA and prints the held-back problem's id, `append` appends that problem,
// `drop` removes the two schemas (and the read models' build schemas) named in the environment.
import pg from 'pg';
import { appendHeldBack, demoWithOneProblemHeldBack, dropServerModeSchemas, loadBacklog } from './server-mode.js';

const [command] = process.argv.slice(2);
const { DATABASE_URL: url, EVENT_STORE_SCHEMA: eventSchema, READ_MODEL_SCHEMA: readModelSchema } = process.env;
if (url === undefined || eventSchema === undefined || readModelSchema === undefined || command === undefined) {
  process.stderr.write(
    'usage: DATABASE_URL=… EVENT_STORE_SCHEMA=… READ_MODEL_SCHEMA=… server-mode-cli load|append|drop\n',
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
  } else if (command === 'drop') {
    console.log((await dropServerModeSchemas(pool, eventSchema, readModelSchema)).join(' '));
  } else {
    process.stderr.write(`unknown command ${JSON.stringify(command)}: expected load, append or drop\n`);
    process.exitCode = 2;
  }
} finally {
  await pool.end();
}
