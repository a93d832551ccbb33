// The module hook `record-modules.mjs` registers: it lets the rest of the chain (tsx, then Node) resolve
// each import and appends the resolved URL to the log file, one a line. It runs on the hooks thread.
import { appendFileSync } from 'node:fs';

let log;

export const initialize = (data) => {
  log = data.log;
};

export const resolve = async (specifier, context, nextResolve) => {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
};
