import { z } from 'zod'
import { importBodySchema, importLeads } from '@/lib/crm/import-leads'
import { parseLeadBody } from '@/lib/crm/lead-fields'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

/**
 * Manual import: a JSON array of contacts (≤ 1000, ≤ 1 MB), all or nothing. Answers 201 with
 * { imported, ids, skippedExisting (already in the app), skippedDuplicates (the same person
 * as an earlier contact of this import), skipped: [{ index, reason, field, message, leadId |
 * duplicateOf }] } (ImportReport).
 */
export const POST = route(async (req: Request) => {
  // Parsed by parseLeadBody, whose refusals name fields as the form labels them.
  const leads = parseLeadBody(importBodySchema, await readJson(req, z.unknown(), 1024 * 1024))
  const report = await importLeads(await getSql(), await currentTenantId(), leads)
  return Response.json(report, { status: 201 })
})
