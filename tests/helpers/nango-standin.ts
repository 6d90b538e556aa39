import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { resetEnvCache } from '../../lib/env'

export interface NangoStandIn {
  /** The URLs asked of it since the test began. */
  asked: string[]
  /** What it answers every request with; a test sets it. */
  answer: { status: number; body: unknown }
}

/**
 * A stand-in Nango for this test file, at NANGO_HOST (with a NANGO_SECRET_KEY), as @nangohq/node
 * reaches it: Nango's own servers cannot be reached from here. It records what it is asked
 * (cleared before each test) and answers `answer`.
 */
export function useNangoStandIn(): NangoStandIn {
  const standIn: NangoStandIn = { asked: [], answer: { status: 200, body: {} } }
  let server: Server
  beforeAll(async () => {
    server = createServer((req, res) => {
      standIn.asked.push(req.url ?? '')
      res.writeHead(standIn.answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(standIn.answer.body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    Object.assign(process.env, { NANGO_SECRET_KEY: 'test-nango-secret', NANGO_HOST: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
    resetEnvCache()
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  beforeEach(() => { standIn.asked.length = 0 })
  return standIn
}
