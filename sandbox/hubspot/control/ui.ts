import { HubSpotError } from '../errors.js'
import { DEFAULT_READ_PROPS, OBJECT_TYPES, requireType, type ObjectType } from '../object-types.js'
import { getValue } from '../record.js'
import type { Ctx, Route } from '../router.js'
import { repEdit } from './rep.js'

// A tiny "HubSpot UI" for demos: list records, edit one as a rep (fires CRM_UI webhooks).
const EDITABLE: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'jobtitle', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id'],
  companies: ['name', 'domain', 'phone', 'industry', 'city', 'country', 'description', 'hubspot_owner_id'],
  deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'description', 'hubspot_owner_id'],
}

const esc = (s: string | null): string => (s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const layout = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#33475b}table{border-collapse:collapse}td,th{border-bottom:1px solid #eaf0f6;padding:.3rem .6rem;text-align:left}
nav a{margin-right:1rem}label{display:block;margin:.4rem 0}input{width:22rem;padding:.3rem}button{margin-top:1rem;padding:.5rem 1rem;background:#ff7a59;color:#fff;border:0;border-radius:4px}</style>
</head><body><nav>${OBJECT_TYPES.map((t) => `<a href="/_sandbox/ui?type=${t}">${t}</a>`).join('')}</nav><h1>${esc(title)}</h1>${body}</body></html>`

function listPage(ctx: Ctx) {
  const type = requireType(ctx.query.get('type') ?? 'contacts')
  // Most recently modified first, so a record just synced from the app is at the top.
  const recs = [...ctx.sb.store.all(type).values()].filter((r) => !r.archived && !r.mergedInto).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 100)
  const cols = DEFAULT_READ_PROPS[type].filter((c) => c !== 'hs_object_id' && c !== 'createdate')
  const rows = recs.map((r) => `<tr><td><a href="/_sandbox/ui/${type}/${r.id}">${r.id}</a></td>${cols.map((c) => `<td>${esc(getValue(r, c))}</td>`).join('')}</tr>`).join('')
  return { status: 200, html: layout(`HubSpot sandbox — ${type} (${ctx.sb.store.size(type)})`, `<table><tr><th>id</th>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table>`) }
}

function editPage(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const rec = ctx.sb.store.get(type, ctx.params.id)
  if (!rec || rec.archived) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Record not found')
  const fields = EDITABLE[type].map((p) => `<label>${p}<br><input name="${p}" value="${esc(getValue(rec, p))}"></label>`).join('')
  return { status: 200, html: layout(`Edit ${type} ${rec.id}`, `<form method="post" action="/_sandbox/ui/${type}/${rec.id}">${fields}<button type="submit">Save</button></form><p><a href="/_sandbox/ui?type=${type}">Back</a></p>`) }
}

function save(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const form = ctx.form()
  const props = Object.fromEntries(EDITABLE[type].filter((p) => form.has(p)).map((p) => [p, form.get(p) ?? '']))
  repEdit(ctx.sb, type, ctx.params.id, props)
  return { status: 303, headers: { Location: `/_sandbox/ui?type=${type}` } }
}

const u = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern: `/_sandbox/ui${pattern}`, auth: 'none', limit: 'none', handler })

export const uiRoutes: Route[] = [u('GET', '', listPage), u('GET', '/:type/:id', editPage), u('POST', '/:type/:id', save)]
