// The dependency rule inside core (docs/architecture.md, "Inside core"), checked on the sources: each module
// imports only its own layer or below, a lifecycle imports no other lifecycle (but campaign/ the directory's
// authority), and core imports no database, HTTP or file-system code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });

const modules = sources(root).map((path) => relative(root, path).split('\\').join('/'));

const importsOf = (module: string): string[] =>
  [...readFileSync(join(root, module), 'utf8').matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1]!,
  );

const resolved = (module: string, specifier: string): string =>
  posix.normalize(posix.join(posix.dirname(module), specifier)).replace(/\.js$/, '.ts');

const lifecycles = [
  'problem',
  'wish',
  'visit',
  'directory',
  'campaign',
  'forgetting',
  'pairing',
  'enterprise-service',
] as const;
const lifecycleOf = (module: string) => lifecycles.find((l) => module.startsWith(`${l}/`));

const layerOf = (module: string): number => {
  if (module === 'index.ts' || module === 'store.ts') return 5;
  if (module === 'handling/view-builder.ts' || module === 'handling/context-loader.ts' || module === 'personal-data.ts')
    return 4;
  if (module === 'directory/view.ts' || module === 'directory/static-view.ts' || module.startsWith('handling/'))
    return 2;
  if (lifecycleOf(module) !== undefined) return 3;
  return 1;
};

/** Packages core may use: it runs in browsers and mini-programs as well as in Node. */
const allowedPackages = /^(fp-ts|io-ts|@noble\/(hashes|ciphers|curves))(\/|$)/;

const edges = modules.flatMap((from) => importsOf(from).map((specifier) => ({ from, specifier })));

describe('the dependency rule inside core', () => {
  it('finds the modules and their imports it checks', () => {
    expect(modules).toContain('wish/claim-quota.ts');
    expect(edges.length).toBeGreaterThan(100);
  });

  it('core imports no Node built-in and no package but fp-ts, io-ts and @noble', () => {
    const foreign = edges.filter(({ specifier }) => !specifier.startsWith('.') && !allowedPackages.test(specifier));
    expect(foreign).toEqual([]);
  });

  it('every module imports only its own layer or below', () => {
    const upwards = edges
      .filter(({ specifier }) => specifier.startsWith('.'))
      .map(({ from, specifier }) => ({ from, to: resolved(from, specifier) }))
      .filter(({ from, to }) => layerOf(to) > layerOf(from));
    expect(upwards).toEqual([]);
  });

  it('a lifecycle imports no other lifecycle, but campaign/ and forgetting/ the directory’s authority', () => {
    const across = edges
      .filter(({ specifier }) => specifier.startsWith('.'))
      .map(({ from, specifier }) => ({ from, to: resolved(from, specifier) }))
      .filter(({ from, to }) => {
        const a = lifecycleOf(from);
        const b = lifecycleOf(to);
        if (a === undefined || b === undefined || a === b || layerOf(to) === 2) return false;
        return !((a === 'campaign' || a === 'forgetting') && to === 'directory/authority.ts');
      });
    expect(across).toEqual([]);
  });
});
