import { configDefaults, defineConfig } from 'vitest/config';

// Workspace sources are imported as TypeScript through the "@learning/source"
// export condition, so tests never depend on a prior build.
const sourceConditions = ['@learning/source', 'node', 'default'];

const shared = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
};

const integrationFiles = [
  '{libs,services}/*/test/integration/**/*.test.ts',
  'infra/local/test/integration/**/*.test.ts',
  'tools/*/test/integration/**/*.test.ts',
];
const exclusiveFiles = '**/*.exclusive.test.ts';

const integration = {
  environment: 'node',
  // vitest loads globalSetup's workspace imports from their build output (dist/),
  // not through the source condition; `pnpm test` therefore runs `tsc -b` first.
  // Every integration project lists it; the servers start once for the run.
  globalSetup: ['./libs/testing/src/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Files share one broker, one Mongo stand-in and one Redis, each under names of its
  // own; a worker keeps the drivers and the workspace's modules loaded between files.
  isolate: false,
  sequence: { groupOrder: 1 },
} as const;

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
          // The groups run one after another (unit, integration, the exclusive files, e2e):
          // what one group runs shares its workers, so each has the machine to itself.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The portal's components and composables: Vue's compiler and Element Plus's
        // on-demand imports come from the portal's own Vite config.
        extends: './web/vite.config.ts',
        test: {
          name: 'unit-web',
          root: './web',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
          // Element Plus's components import their CSS: Vite transforms it, Node would not.
          server: { deps: { inline: ['element-plus'] } },
          // Runs beside the unit project, which vitest allows only with the same number of workers.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...shared,
        test: {
          ...integration,
          name: 'integration',
          include: integrationFiles,
          exclude: [...configDefaults.exclude, exclusiveFiles],
          // The files mostly wait on the servers: two at a time keep two cores busy.
          maxWorkers: 2,
        },
      },
      {
        ...shared,
        test: {
          ...integration,
          name: 'integration-exclusive',
          // Files that take the shared servers down or wipe them (a broker outage, a
          // flushed Redis) run alone, after every other integration file.
          include: integrationFiles.map((pattern) =>
            pattern.replace(/\.test\.ts$/, '.exclusive.test.ts'),
          ),
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['e2e/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'e2e/test/browser/**'],
          environment: 'node',
          // The five services run as processes from their build output (dist/), like globalSetup.
          globalSetup: ['./libs/testing/src/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // Last and alone: the journey starts five services on a 2-core machine and cuts the broker.
          sequence: { groupOrder: 3 },
        },
      },
      {
        ...shared,
        test: {
          name: 'browser',
          // The portal in Debian's Chromium against the services run as the journey runs them.
          include: ['e2e/test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./libs/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 200_000,
          // One browser and five services are all two cores take.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
