// Preloaded with `--import` by `loadedModulesOf`, before the program's first module: registers the
// resolve hook that records every ES module the program loads, and at exit adds every CommonJS module
// in require's cache (require calls do not pass through resolve hooks on Node 20). Plain JavaScript, so
// it loads before any TypeScript loader is in place.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.BANSHISHI_MODULE_LOG;
if (log === undefined) throw new Error('record-modules: BANSHISHI_MODULE_LOG names the file to record into');

register('./resolve-hook.mjs', import.meta.url, { data: { log } });

const { cache } = createRequire(import.meta.url);
process.on('exit', () => {
  const files = Object.keys(cache);
  if (files.length > 0) appendFileSync(log, `${files.join('\n')}\n`);
});
