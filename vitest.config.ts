import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run in parallel; each gets its own SQLite file or PostgreSQL schema.
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
