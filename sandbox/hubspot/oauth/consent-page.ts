const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** The consent screen a person clicks through; a form POST back to /oauth/authorize decides. */
export function consentPage(p: { appName: string; portalId: number; userEmail: string; scopes: string[]; params: URLSearchParams }): string {
  const hidden = [...p.params].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n      ')
  const scopes = p.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Connect ${esc(p.appName)} to HubSpot (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;color:#33475b}
.card{border:1px solid #cbd6e2;border-radius:8px;padding:1.5rem}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:0;cursor:pointer}
.primary{background:#ff7a59;color:#fff}.secondary{background:#eaf0f6;color:#33475b;margin-left:.5rem}small{color:#7c98b6}</style></head>
<body><div class="card">
  <h1>Connect app</h1>
  <p><strong>${esc(p.appName)}</strong> wants to access HubSpot account <strong>${p.portalId}</strong> as <strong>${esc(p.userEmail)}</strong>.</p>
  <p>It is asking for:</p><ul>${scopes}</ul>
  <form method="post" action="/oauth/authorize">
      ${hidden}
      <button class="primary" type="submit" name="decision" value="allow">Connect app</button>
      <button class="secondary" type="submit" name="decision" value="deny">Cancel</button>
  </form>
  <p><small>HubSpot sandbox — an offline stand-in for app.hubspot.com.</small></p>
</div></body></html>`
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Authorization error</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto"><h1>Authorization error</h1><p>${esc(message)}</p></body></html>`
}
