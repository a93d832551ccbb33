// Runs every benchmark (bench/*.bench.ts), one process each so memory figures are their own.
// `pnpm bench` runs all; `pnpm bench <name>` runs those whose file name contains <name>; then the
// performance aims are printed from bench/results (bench/aims.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (run.status !== 0) failed++;
}
if (files.length === 0) console.log(`no benchmark matches ${filter ?? '*'}`);
// The aims, from the results just written and those of earlier runs (each line says when).
spawnSync(process.execPath, ['--import', 'tsx', join(here, 'aims.ts')], { stdio: 'inherit', env: process.env });
process.exit(failed === 0 ? 0 : 1);
