import { defineConfig } from 'vitest/config';

// Three tiers, one `npm test`: unit tests on fixtures, integration tests on a real Temporal dev
// server that test/helpers/global-setup.ts starts once per run, and designer end-to-end tests in
// real Chromium. Replay tests are unit-speed but need the workflow bundle, so they sit with unit.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/replay/**/*.test.ts'],
          testTimeout: 60_000,
          // Unit tests run first, then the tiers that need a server.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/faults/**/*.test.ts',
          ],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores: workers and a server compete for them, so keep files few at once.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      // `npm run test:cluster` only (WEFT_CLUSTER_TIER=1): Weft on a multi-service Temporal
      // cluster with PostgreSQL. Its files kill and restart the shared services, so one at a time.
      ...(process.env.WEFT_CLUSTER_TIER === '1'
        ? [
            {
              test: {
                name: 'cluster',
                include: ['test/cluster/**/*.test.ts'],
                globalSetup: ['test/cluster/setup.ts'],
                testTimeout: 600_000,
                hookTimeout: 300_000,
                fileParallelism: false,
                sequence: { groupOrder: 2 },
              },
            },
          ]
        : []),
    ],
  },
});
