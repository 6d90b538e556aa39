import { describe, expect, it } from 'vitest'
import { refuseCrossSite } from './http'

// Which browser requests the routes accept, by the page that sent them (Origin).
const APP = 'https://app.example.com'

describe('refuseCrossSite', () => {
  it.each([
    { name: 'the app itself', method: 'POST', url: `${APP}/api/crm/sync`, origin: APP, refused: false },
    { name: 'the address it was reached at (a preview deployment)', method: 'POST', url: 'https://preview-1.vercel.app/api/crm/sync', origin: 'https://preview-1.vercel.app', refused: false },
    { name: 'no Origin (webhooks, cron, the CLI, curl)', method: 'POST', url: `${APP}/api/webhooks/hubspot`, origin: null, refused: false },
    { name: 'another site', method: 'POST', url: `${APP}/api/crm/sync`, origin: 'https://evil.example', refused: true },
    { name: 'a sibling subdomain (same site to SameSite cookies)', method: 'POST', url: `${APP}/api/crm/disconnect`, origin: 'https://blog.example.com', refused: true },
    { name: 'another port of the same host', method: 'PATCH', url: `${APP}/api/crm/leads/x`, origin: 'https://app.example.com:8443', refused: true },
    { name: 'an opaque origin (sandboxed frame)', method: 'DELETE', url: `${APP}/api/crm/leads/x`, origin: 'null', refused: true },
    { name: 'a read from another site (CORS keeps its answer from that page)', method: 'GET', url: `${APP}/api/crm/status`, origin: 'https://evil.example', refused: false },
    // npm run dev opened at 127.0.0.1 while next dev reports localhost in req.url.
    { name: 'the address the browser sent to (Host), when req.url names another', method: 'POST', url: 'http://localhost:3000/api/crm/sync',
      origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', refused: false },
    { name: 'behind a proxy: the forwarded host and scheme', method: 'POST', url: 'http://10.0.0.5:3000/api/crm/sync',
      origin: 'https://crm.example.org', host: '10.0.0.5:3000', forwarded: { 'x-forwarded-host': 'crm.example.org', 'x-forwarded-proto': 'https' }, refused: false },
    { name: 'another site, whatever Host the request carries', method: 'POST', url: 'http://localhost:3000/api/crm/sync',
      origin: 'http://evil.example', host: '127.0.0.1:3000', refused: true },
  ] as { name: string; method: string; url: string; origin: string | null; host?: string; forwarded?: Record<string, string>; refused: boolean }[])('$name', ({ method, url, origin, host, forwarded, refused }) => {
    const req = new Request(url, { method, headers: { ...(origin === null ? {} : { origin }), ...(host ? { host } : {}), ...forwarded } })
    const attempt = () => refuseCrossSite(req, APP)
    if (refused) expect(attempt).toThrow(expect.objectContaining({ status: 403, code: 'cross_origin' }))
    else expect(attempt).not.toThrow()
  })
})
