// vitest.config.ts: one setup file pins Sentra's clock for every test (test/helpers/pin-clock.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/helpers/pin-clock.ts'],
  },
});
