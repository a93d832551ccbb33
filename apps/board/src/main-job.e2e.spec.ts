// The main job (`pnpm start`) loads no test tooling. It is run as `pnpm start` runs it — through tsx, on
// an in-memory PGlite and the smallest demo — to its end, and every module it loaded is listed: none may
// come from vitest, fast-check or the testkit, however deep in the dependency graph it is imported.
import { fileURLToPath } from 'node:url';
import { loadedModulesOf } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const testTooling = /\/node_modules\/(?:vitest|@vitest\/[^/]+|fast-check|@fast-check\/[^/]+)\/|\/packages\/testkit\//;

describe('the main job', () => {
  it('runs to its end without loading vitest, fast-check or the testkit', async () => {
    const run = await loadedModulesOf('apps/board/src/main.ts', {
      cwd: root,
      env: { PGLITE_DIR: 'memory://', BANSHISHI_DEMO_SCALE: '300' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('seeded the demo campaign');
    // The record is of the real graph: it holds the demo generator and the database the job runs on.
    expect(run.modules).toContain(`${root}packages/demo/src/seed.ts`);
    expect(run.modules.some((m) => m.includes('/node_modules/@electric-sql/pglite/'))).toBe(true);
    expect(run.modules.filter((m) => testTooling.test(m))).toEqual([]);
  });
});
