import type { IncomingMessage } from 'node:http'
import type { Reply } from './http.js'
import type { AuthInfo } from './auth.js'
import type { Sandbox } from './state.js'
import { canonicalType } from './object-types.js'

/** How a route is authenticated: CRM token, developer API key (`hapikey`), or not at all. */
export type AuthKind = 'token' | 'devkey' | 'none'
/** Which HubSpot limit a call counts against; search has its own 5/s bucket. */
export type LimitKind = 'standard' | 'search' | 'none'

export interface Ctx {
  req: IncomingMessage
  method: string
  path: string
  params: Record<string, string>
  query: URLSearchParams
  rawBody: string
  body: () => unknown
  form: () => URLSearchParams
  auth?: AuthInfo
  sb: Sandbox
  baseUrl: string
}

export interface Route {
  method: string
  pattern: string
  auth: AuthKind
  limit: LimitKind
  handler: (ctx: Ctx) => Reply | Promise<Reply>
}

interface Compiled extends Route {
  regex: RegExp
  names: string[]
}

export class Router {
  private routes: Compiled[] = []

  add(routes: Route[]): void {
    for (const r of routes) {
      const names: string[] = []
      const src = r.pattern.replace(/:(\w+)/g, (_m, name: string) => {
        names.push(name)
        return '([^/]+)'
      })
      this.routes.push({ ...r, names, regex: new RegExp(`^${src}/?$`) })
    }
  }

  match(method: string, path: string): { route: Compiled; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = []
    for (const route of this.routes) {
      const m = route.regex.exec(path)
      if (!m) continue
      if (route.method !== method) {
        allowed.push(route.method)
        continue
      }
      const params: Record<string, string> = {}
      route.names.forEach((n, i) => {
        // HubSpot decodes path segments, so `/contacts/a%40b.com?idProperty=email` finds a@b.com.
        params[n] = safeDecode(m[i + 1])
      })
      return { route, params }
    }
    return allowed.length ? { allowed } : null
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Counter key for `/_sandbox/stats`: the route with its object type spelled out, other ids elided. */
export function statsKey(method: string, route: Route, params: Record<string, string>): string {
  const path = route.pattern.replace(/:(\w+)/g, (_m, name: string) => {
    if ((name === 'type' || name === 'fromType' || name === 'toType') && params[name]) {
      return canonicalType(params[name]) ?? params[name]
    }
    return `{${name}}`
  })
  return `${method} ${path}`
}
