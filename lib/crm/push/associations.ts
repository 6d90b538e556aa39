import { loadLocalAssociations } from '../../store/local-associations'
import type { LinkWrite } from '../../store/links'
import type { CrmAdapter } from '../adapters/types'
import { hashFieldValue } from '../hash'
import type { PageContext } from '../pull/apply-page'

/**
 * Creates in the CRM the associations the app's tables hold for records just pushed (a
 * contact's company, a deal's company and contacts), and records them in the links'
 * field hashes as '@company' / '@contacts' — the keys the pull planner compares — so
 * they come back as part of our echo. Associating twice is harmless, so a retry after a
 * crash simply does it again. Associations the CRM has and the app doesn't are left alone.
 */
export async function pushAssociations(ctx: PageContext, adapter: CrmAdapter, links: Map<string, LinkWrite>, localIds: string[]): Promise<void> {
  const { type } = ctx
  if (type === 'company' || localIds.length === 0) return
  const assoc = await loadLocalAssociations(ctx.sql, ctx.tenantId, ctx.connectionId, type, localIds)
  const companyPairs: Array<{ fromId: string; toId: string }> = []
  const contactPairs: Array<{ fromId: string; toId: string }> = []
  for (const localId of localIds) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    if (a.companyRemoteId) companyPairs.push({ fromId: link.remoteId, toId: a.companyRemoteId })
    for (const contact of a.contactRemoteIds ?? []) contactPairs.push({ fromId: link.remoteId, toId: contact })
  }
  if (companyPairs.length) await adapter.associateBatch(type, 'company', companyPairs)
  if (contactPairs.length) await adapter.associateBatch('deal', 'contact', contactPairs)
  for (const localId of localIds) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    link.fieldHashes['@company'] = hashFieldValue(a.companyRemoteId)
    if (a.contactRemoteIds) link.fieldHashes['@contacts'] = hashFieldValue([...a.contactRemoteIds].sort().join(',') || null)
  }
}
