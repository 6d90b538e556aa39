import { defineConfig } from 'vitest/config'
import path from 'node:path'

// The browser pass (`npm test` runs it after the unit/integration pass): starts
// `npm run dev` and a headless Chromium; heavy, so one file at a time.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
})
