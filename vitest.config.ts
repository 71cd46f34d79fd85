import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // 2-core CI machines: keep parallelism modest so socket-heavy tests do not starve each other.
    maxWorkers: 2,
  },
});
