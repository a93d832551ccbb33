// Makes the cluster template for the installed PGlite (pglite-template.ts): a database created by
// initdb in memory, dumped as PGlite's gzipped data-folder archive. Run after upgrading PGlite:
// `npx -y pnpm@10.34.8 pglite-template`; the template of the previous version can then be deleted.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { clusterTemplatePath, installedPgliteVersion } from './pglite-template.js';

const version = await installedPgliteVersion();
const target = clusterTemplatePath(version);
const pglite = await PGlite.create();
const archive = await pglite.dumpDataDir('gzip');
await pglite.close();
await mkdir(dirname(target), { recursive: true });
for (const old of await readdir(dirname(target)))
  if (old.startsWith('cluster-') && old !== basename(target)) await rm(`${dirname(target)}/${old}`);
await writeFile(target, Buffer.from(await archive.arrayBuffer()));
console.log(`wrote ${target} (PGlite ${version}, ${(archive.size / 1024 / 1024).toFixed(1)} MiB)`);
