// The cluster template: what `initdb` writes for a new PGlite database, made once per PGlite version and
// kept in the repository (`pglite-template/cluster-<version>.tar.gz`), so that a first start loads a
// cluster instead of running initdb in WebAssembly (about 2.5 s of the embedded first start on 2 cores,
// docs/performance.md). It holds no data of ours: an empty cluster as `PGlite.create` leaves it. A template
// made by another PGlite version is never used (its catalog may not match); without one, PGlite runs initdb
// as before. `pnpm pglite-template` makes the template for the installed version.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const templateFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'pglite-template');

/** The installed PGlite's version, read from its package.json (its exports do not include the file). */
export const installedPgliteVersion = async (): Promise<string> => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let folder = dirname(entry);
  for (;;) {
    try {
      const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@electric-sql/pglite' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not this folder: go up
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error('the installed @electric-sql/pglite has no package.json with its version');
    folder = parent;
  }
};

export const clusterTemplatePath = (version: string): string => join(templateFolder, `cluster-${version}.tar.gz`);

/** The template for the installed PGlite, or null when there is none for that version. */
export const readClusterTemplate = async (): Promise<Buffer | null> => {
  try {
    return await readFile(clusterTemplatePath(await installedPgliteVersion()));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};
