import { defineConfig } from 'vitest/config';

// Generous timeouts: the machine is small and shared; the Kusto parser and DuckDB take a moment to warm up.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
