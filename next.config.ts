import type { NextConfig } from 'next'

const config: NextConfig = {
  // Server-only packages that load WASM or native sockets: required at run time, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', '@hubspot/api-client'],
  poweredByHeader: false,
  // No other site may frame the dashboard (clickjacking its Disconnect or Apply buttons).
  // https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/frame-ancestors
  async headers() {
    return [{ source: '/:path*', headers: [
      { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
      { key: 'X-Frame-Options', value: 'DENY' },
    ] }]
  },
}

export default config
