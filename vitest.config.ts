import { defineConfig } from 'vitest/config';

// One test command for the whole workspace: unit specs (*.unit.spec.ts), integration specs that need
// PostgreSQL (*.int.spec.ts) and browser specs (*.e2e.spec.ts) all run from `pnpm test`.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
