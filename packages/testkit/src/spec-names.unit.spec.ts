// The spec-file suffix says what a spec needs to run (docs/architecture.md, "Testing"): `.unit.spec.ts`
// no database server (PGlite in process is fine), `.int.spec.ts` the test PostgreSQL, `.e2e.spec.ts` a
// browser or a whole process. One optional middle word may say what kind of spec it is
// (`problem.property.unit.spec.ts`). vitest runs every `*.spec.ts`, so a misnamed file still runs, and
// fails here.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const rule = /^[a-z0-9-]+(\.[a-z0-9-]+)?\.(unit|int|e2e)\.spec\.ts$/;

const specsUnder = (folder: string): string[] =>
  (existsSync(folder) ? readdirSync(folder, { withFileTypes: true }) : []).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : specsUnder(path);
    return entry.name.endsWith('.spec.ts') ? [relative(root, path)] : [];
  });

describe('spec-file names', () => {
  it('every spec file says by its suffix whether it needs no database, the test PostgreSQL, or a browser or process', () => {
    const specs = ['packages', 'apps'].flatMap((group) =>
      readdirSync(join(root, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => specsUnder(join(root, group, entry.name, 'src'))),
    );
    expect(specs.length).toBeGreaterThan(40);
    expect(specs.filter((path) => !rule.test(path.split('/').at(-1)!))).toEqual([]);
  });
});
