import { defineConfig } from 'vitest/config'
import path from 'node:path'

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts', 'lib/**/*.test.ts', 'sandbox/**/*.test.ts', 'components/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    globalSetup: ['tests/setup/global-db.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests share one database per run; files run one at a time so they
    // never race on it, and each test uses its own tenant.
    fileParallelism: false,
  },
})
