// The OAuth nonce cookie: httpOnly, scoped to the callback, SameSite=Lax so HubSpot's
// top-level redirect back carries it, gone after 10 minutes or the first callback.
export const OAUTH_COOKIE = 'syncline_oauth_nonce'
const PATH = '/api/crm/oauth'

const secure = (appUrl: string) => (appUrl.startsWith('https:') ? '; Secure' : '')

export const oauthNonceCookie = (nonce: string, appUrl: string) =>
  `${OAUTH_COOKIE}=${nonce}; Path=${PATH}; HttpOnly; SameSite=Lax; Max-Age=600${secure(appUrl)}`

export const clearOauthNonceCookie = (appUrl: string) => `${OAUTH_COOKIE}=; Path=${PATH}; HttpOnly; SameSite=Lax; Max-Age=0${secure(appUrl)}`

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}
