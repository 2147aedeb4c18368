import { defineConfig } from 'vitest/config';

// Workspace sources are imported as TypeScript through the "@learning/source"
// export condition, so tests never depend on a prior build.
const sourceConditions = ['@learning/source', 'node', 'default'];

const shared = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
};

export default defineConfig({
  // The root keeps the same conditions: globalSetup files are loaded through it.
  ...shared,
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: [
            '{libs,services}/*/test/unit/**/*.test.ts',
            'proto/test/unit/**/*.test.ts',
            'infra/local/test/unit/**/*.test.ts',
            'infra/deploy/test/unit/**/*.test.ts',
            'tools/*/test/unit/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: [
            '{libs,services}/*/test/integration/**/*.test.ts',
            'infra/local/test/integration/**/*.test.ts',
            'tools/*/test/integration/**/*.test.ts',
          ],
          environment: 'node',
          // vitest loads globalSetup's workspace imports from their build output (dist/),
          // not through the source condition; `pnpm test` therefore runs `tsc -b` first.
          globalSetup: ['./libs/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration files share one broker, one Mongo stand-in and one
          // Redis; running them one at a time keeps failures attributable.
          fileParallelism: false,
        },
      },
    ],
  },
});
