import { defineConfig } from 'vitest/config';

// One test command for the whole workspace. A spec's suffix says what it needs: `*.unit.spec.ts` no
// database server (PGlite in process is fine), `*.int.spec.ts` the test PostgreSQL (DATABASE_URL),
// `*.e2e.spec.ts` a browser or a whole process; one optional middle word names the kind of spec
// (`problem.property.unit.spec.ts`). Every `*.spec.ts` runs, so a misnamed one still runs, and fails
// packages/testkit/src/spec-names.unit.spec.ts. Test support is in @banshishi/testkit (docs/architecture.md).
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
