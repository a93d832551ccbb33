// The main job (`pnpm start`) loads no test tooling, and Ctrl-C stops it cleanly. It is run as `pnpm start`
// runs it — through tsx, on an in-memory PGlite and the smallest demo — until it serves the board, then
// sent SIGINT (once it has printed the transparency log's key with the URL); every module it loaded is listed: none may come from vitest, fast-check or the testkit,
// however deep in the dependency graph it is imported.
import { fileURLToPath } from 'node:url';
import { loadedModulesOf } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const testTooling = /\/node_modules\/(?:vitest|@vitest\/[^/]+|fast-check|@fast-check\/[^/]+)\/|\/packages\/testkit\//;

describe('the main job', () => {
  it('serves the board until Ctrl-C, then stops cleanly, without loading vitest, fast-check or the testkit', async () => {
    const run = await loadedModulesOf('apps/board/src/main.ts', {
      cwd: root,
      env: { PGLITE_DIR: 'memory://', BANSHISHI_DEMO_SCALE: '300', PORT: '0' },
      stopWhen: /公开账本 transparency log: .*verifier\.key: \S+/,
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('seeded the demo campaign');
    // The transparency log caught up and signed before the URL, its public key printed with it.
    expect(run.stdout).toMatch(/transparency log signed at [1-9]\d* events in [\d.]+ s; checkpoints in \S+/);
    expect(run.stdout).toMatch(
      /公开账本 transparency log: http:\/\/127\.0\.0\.1:\d+\/transparency {2}\(public key \S+\/verifier\.key: banshishi\.localhost\/demo\+[0-9a-f]{8}\+\S+\)/,
    );
    expect(run.stdout.indexOf('transparency log signed at')).toBeLessThan(run.stdout.indexOf('公示 board:'));
    // It got as far as serving, and its stop ran to the end (a crash on the way out would not say so).
    expect(run.stdout).toMatch(/公示 board: http:\/\/127\.0\.0\.1:\d+\/[\s\S]*stopping…\s+stopped/);
    // The record is of the real graph: it holds the demo generator, the database and the web server.
    expect(run.modules).toContain(`${root}packages/demo/src/seed.ts`);
    expect(run.modules.some((m) => m.includes('/node_modules/@electric-sql/pglite/'))).toBe(true);
    expect(run.modules.some((m) => m.includes('/node_modules/express/'))).toBe(true);
    expect(run.modules.filter((m) => testTooling.test(m))).toEqual([]);
  });
});
