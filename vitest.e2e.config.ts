import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import path from 'node:path'

// The browser pass (`npm test` runs it after the unit/integration pass): one `next build`
// (client-bundle test), then `npm run dev` and a headless Chromium. Heavy, so one file at
// a time, in name order: the build must not run beside the dev server.
class ByName extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId))
  }
}

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    sequence: { sequencer: ByName },
    // A step that waits on the dev server (a save, a page of leads) gets more than the 1 s
    // default: on a loaded machine a server action took longer, and the poll failed while
    // the page was still on its way to the right state.
    expect: { poll: { timeout: 15_000 } },
  },
})
