import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { warmUp } from '../../scripts/dev-warm'
import { freePort } from '../helpers/ports'

// npm run dev asks for the dashboard and its status route once `next dev` answers, so the
// first person to open it does not wait for the compile (scripts/dev-warm.ts).

const servers: http.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve))
})

/** A server on `port` that records each path asked, answering with `status`. */
function serve(port: number, status: (path: string) => number, asked: string[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '')
    res.writeHead(status(req.url ?? ''), { location: '/login' }).end('ok')
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

describe('dev warm-up', () => {
  it('waits for a server that is not listening yet, then asks for each path once, in order, and says so in one line', async () => {
    const port = await freePort()
    const asked: string[] = []
    const lines: string[] = []
    const warm = warmUp({ origin: `http://127.0.0.1:${port}`, paths: ['/', '/api/crm/status'], signal: new AbortController().signal, retryMs: 20, log: (l) => lines.push(l) })
    await new Promise((resolve) => setTimeout(resolve, 150)) // next dev still starting: connections refused
    await serve(port, () => 200, asked)
    expect(await warm).toEqual(['/', '/api/crm/status'])
    expect(asked).toEqual(['/', '/api/crm/status'])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^▸ Dashboard compiled: open http://127\\.0\\.0\\.1:${port} \\(\\d+\\.\\d s\\)$`))
  })

  it('any answer counts, a redirect to /login included, and redirects are not followed', async () => {
    const port = await freePort()
    const asked: string[] = []
    await serve(port, (p) => (p === '/' ? 307 : 401), asked)
    expect(await warmUp({ origin: `http://127.0.0.1:${port}`, paths: ['/', '/api/crm/status'], signal: new AbortController().signal })).toEqual(['/', '/api/crm/status'])
    expect(asked).toEqual(['/', '/api/crm/status'])
  })

  it("a dashboard that answers 500 (a compile error, a crash) is not announced as compiled: the line points to its error", async () => {
    const port = await freePort()
    const lines: string[] = []
    await serve(port, (p) => (p === '/' ? 500 : 200), [])
    await warmUp({ origin: `http://127.0.0.1:${port}`, paths: ['/', '/api/crm/status'], signal: new AbortController().signal, log: (l) => lines.push(l) })
    expect(lines).toEqual([`▸ The dashboard answered 500: its error is above. Open http://127.0.0.1:${port} once it is mended; it compiles again then.`])
  })

  it('stopped (npm run dev exiting) while the server never answers: it gives up, asks nothing more, prints nothing', async () => {
    const port = await freePort()
    const stop = new AbortController()
    const lines: string[] = []
    const warm = warmUp({ origin: `http://127.0.0.1:${port}`, paths: ['/', '/api/crm/status'], signal: stop.signal, retryMs: 20, log: (l) => lines.push(l) })
    setTimeout(() => stop.abort(), 100)
    expect(await warm).toEqual([])
    expect(lines).toEqual([])
  })
})
