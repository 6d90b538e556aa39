import type { NextConfig } from 'next'

const config: NextConfig = {
  // Server-only packages that load WASM or native sockets: required at run time, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', '@hubspot/api-client'],
  poweredByHeader: false,
}

export default config
