import { fieldOfColumn } from '../../store/columns'
import type { Db } from '../../store/db'
import { deleteLink, loadLinksByLocal, upsertLinks, type LinkWrite } from '../../store/links'
import { ackEntries, failEntries, loadPending } from '../../store/outbox'
import { loadLocalRecords, markOrigin } from '../../store/records'
import type { CrmAdapter, PushResult } from '../adapters/types'
import { hashFieldValue } from '../hash'
import { normalizeFields } from '../normalize'
import { asSyncWriter, type PageContext } from '../pull/apply-page'
import { CANONICAL_FIELDS, type Fields } from '../types'
import { coalesce, type CoalescedChange } from './coalesce'

/** Fields the CRM maintains; never pushed. */
const NOT_PUSHED = new Set(['lastActivityAt', 'leadSourceSystem'])
const EXISTING_ID = /Existing ID: (\d+)/

/**
 * Sends the outbox to the CRM: entries coalesced per record, creates as upserts keyed by
 * our local id (a crash after the CRM's ack cannot duplicate), updates by remote id, 100
 * per call. An entry leaves the outbox only once the CRM acknowledged it; a rejected
 * record stays queued with its error and a growing delay, and the rest go through.
 */
export async function pushOutbox(ctx: PageContext, adapter: CrmAdapter, onBatch: () => Promise<void>): Promise<void> {
  const { sql, connectionId, type, tenantId } = ctx
  const seen = new Set<number>()
  for (let round = 0; round < 1_000; round++) {
    const entries = (await loadPending(sql, connectionId, type, adapter.maxBatchSize * 5)).filter((e) => !seen.has(e.id))
    if (entries.length === 0) return
    entries.forEach((e) => seen.add(e.id))
    const changes = coalesce(entries)
    const links = await loadLinksByLocal(sql, connectionId, type, changes.map((c) => c.localId))
    const locals = await loadLocalRecords(sql, tenantId, type, changes.map((c) => c.localId))
    const acks: number[] = []
    const fails: Array<{ id: number; error: string }> = []
    const linkWrites: LinkWrite[] = []
    const deletes: CoalescedChange[] = []
    const creates: Array<{ change: CoalescedChange; fields: Fields }> = []
    const updates: Array<{ change: CoalescedChange; fields: Fields; remoteId: string; base: Record<string, string> }> = []
    for (const c of changes) {
      const link = links.get(c.localId)
      const local = locals.get(c.localId)
      if (c.deleted || !local || (local.archivedAt && c.columns.has('archived_at'))) {
        if (link && !link.archivedAt) deletes.push(c)
        else acks.push(...c.entryIds)
        continue
      }
      const fields = normalizeFields(type, pushable(type, local.fields), { defaultCountry: ctx.defaultCountry })
      if (!link) {
        creates.push({ change: c, fields })
        continue
      }
      const changed: Fields = {}
      for (const col of c.columns) {
        const f = fieldOfColumn(type, col)
        if (f && f in fields && hashFieldValue(fields[f]) !== link.fieldHashes[f]) changed[f] = fields[f]
      }
      if (Object.keys(changed).length === 0) acks.push(...c.entryIds) // already in the CRM: nothing to send
      else updates.push({ change: c, fields: changed, remoteId: link.remoteId, base: link.fieldHashes })
    }

    for (let i = 0; i < deletes.length; i += adapter.maxBatchSize) {
      const batch = deletes.slice(i, i + adapter.maxBatchSize)
      await adapter.archiveBatch(type, batch.map((c) => links.get(c.localId)!.remoteId))
      await sql.begin(async (tx) => {
        for (const c of batch) await deleteLink(tx, connectionId, type, links.get(c.localId)!.remoteId)
        await ackEntries(tx, batch.flatMap((c) => c.entryIds))
      })
      ctx.counts.pushed += batch.length
      await onBatch()
    }
    if (creates.length) await adapter.ensureSchema()
    for (let i = 0; i < creates.length; i += adapter.maxBatchSize) {
      const batch = creates.slice(i, i + adapter.maxBatchSize)
      const results = await adapter.upsertBatch(type, batch.map((b) => ({ localId: b.change.localId, fields: b.fields })))
      const relinked = settle(ctx, results, batch.map((b) => ({ change: b.change, fields: b.fields, base: {} })), acks, fails, linkWrites, 'created')
      for (const id of relinked) seen.delete(id)
      await onBatch()
    }
    for (let i = 0; i < updates.length; i += adapter.maxBatchSize) {
      const batch = updates.slice(i, i + adapter.maxBatchSize)
      const results = await adapter.updateBatch(type, batch.map((b) => ({ localId: b.change.localId, remoteId: b.remoteId, fields: b.fields })))
      settle(ctx, results, batch, acks, fails, linkWrites, 'updated')
      await onBatch()
    }
    await sql.begin(async (tx) => {
      await asSyncWriter(tx)
      await upsertLinks(tx, tenantId, connectionId, type, linkWrites)
      if (type === 'contact') await markOrigin(tx, tenantId, linkWrites.filter((l) => l.matchReason === 'pushed').map((l) => l.localId))
      await ackEntries(tx, acks)
      await failEntries(tx, fails)
    })
  }
}

function pushable(type: PageContext['type'], fields: Fields): Fields {
  const out: Fields = {}
  for (const f of CANONICAL_FIELDS[type]) if (!NOT_PUSHED.has(f)) out[f] = fields[f] ?? null
  return out
}

function settle(ctx: PageContext, results: PushResult[], batch: Array<{ change: CoalescedChange; fields: Fields; base: Record<string, string> }>,
  acks: number[], fails: Array<{ id: number; error: string }>, linkWrites: LinkWrite[], kind: 'created' | 'updated'): number[] {
  const relinked: number[] = []
  const byLocal = new Map(results.map((r) => [r.localId, r]))
  for (const b of batch) {
    const r = byLocal.get(b.change.localId)
    if (r?.ok && r.remoteId && r.record) {
      const fieldHashes = { ...b.base }
      for (const [f, v] of Object.entries(b.fields)) fieldHashes[f] = hashFieldValue(v)
      if (kind === 'created') for (const f of CANONICAL_FIELDS[ctx.type]) fieldHashes[f] ??= hashFieldValue(r.record.fields[f])
      linkWrites.push({
        localId: b.change.localId, remoteId: r.remoteId, remoteUpdatedAt: r.record.updatedAt,
        // null: the next pull compares field by field and recognises our write as an echo.
        syncedHash: '', fieldHashes, origin: kind === 'created' ? 'app' : 'crm', matchReason: kind === 'created' ? 'pushed' : 'link', direction: 'push',
      })
      acks.push(...b.change.entryIds)
      ctx.counts.pushed++
      continue
    }
    const error = r?.error ?? 'no result'
    const existing = kind === 'created' ? EXISTING_ID.exec(error)?.[1] : undefined
    if (existing) {
      // The CRM already has this contact (same email): link to it; the next round updates it.
      linkWrites.push({ localId: b.change.localId, remoteId: existing, remoteUpdatedAt: new Date(0), syncedHash: '', fieldHashes: {},
        origin: 'crm', matchReason: 'email', direction: 'pull' })
      relinked.push(...b.change.entryIds)
      continue
    }
    ctx.counts.failed++
    ctx.errors.push({ localId: b.change.localId, message: error })
    for (const id of b.change.entryIds) fails.push({ id, error })
  }
  return relinked
}
