import type { TokenSource } from '../auth/token-source'
import { createHubSpotAdapter } from './hubspot'
import type { ObjectType } from '../types'
import type { CrmAdapter, ProviderId } from './types'

export interface AdapterOptions {
  baseUrl: string
  tokens: TokenSource
  /** The account's burst budget per 10 seconds. */
  perTenSeconds: number
  /** The connection's extra properties per object type (settings.extraProperties). */
  extraProperties?: Partial<Record<ObjectType, readonly string[]>>
}

// id = folder name = registry key. Adding Pipedrive is a folder and a line here.
export const ADAPTERS: Record<ProviderId, (opts: AdapterOptions) => CrmAdapter> = {
  hubspot: (o) =>
    createHubSpotAdapter({
      basePath: o.baseUrl,
      getAccessToken: () => o.tokens.getAccessToken(),
      refreshAccessToken: o.tokens.refresh ? () => o.tokens.refresh!() : undefined,
      perTenSeconds: o.perTenSeconds,
      extraProperties: o.extraProperties,
    }),
}
