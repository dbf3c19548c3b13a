// vitest.config.ts: one setup file pins Sentra's clock for every test (test/helpers/pin-clock.ts).
// Time limits are there only to end a hung test: generous, so a slow or loaded machine never turns a
// correct result into a failure (tests that need longer set their own, longer limit).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/helpers/pin-clock.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
