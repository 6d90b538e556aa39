'use client'
import { useRouter } from 'next/navigation'
import { useRef, useState } from 'react'
import { LEAD_MAX_LENGTH } from '@/lib/crm/lead-limits'
import type { PhoneCountry } from '@/lib/crm/phone-country'
import type { NewLead } from '@/lib/store/local-writes'
import { postJson } from './format'
import { OPTION_FIELDS, optionLabel, optionsFor, type OptionField, type PortalOptions } from './hubspot-options'
import { fieldLabel } from './field-labels'
import { phoneHint, pushNote, singleLeadError } from './lead-form'
import { useLiveStatus } from './LiveStatus'
import { usePostThenRefresh } from './use-post-then-refresh'

// Add a lead, or edit one, in the app: what the app's own users do in its tables. The
// write is the app's own, so the outbox captures it and the next sync (Refresh CRM, the
// cron) takes it to HubSpot, through the conflict strategy if a rep changed it meanwhile;
// not for a connection set to HubSpot → app only, and the form says so (pushNote).

/** A lead's editable fields, as the app's tables hold them (the description is left to the app). */
export type EditableLead = { id: string } & Omit<NewLead, 'description'>

type Field = Exclude<keyof EditableLead, 'id'>
const FIELDS = ([
  ['email', 'email'], ['phone', 'tel'], ['firstName', 'text'], ['lastName', 'text'],
  ['jobTitle', 'text'], ['companyName', 'text'], ['lifecycleStage', 'text'], ['leadStatus', 'text'],
] as Array<[Field, string]>).map(([f, type]): [Field, string, string] => [f, fieldLabel(f), type])

// The portal's options (HubSpot's defaults until a sync has read them), offered and shown
// by their labels, as the leads table shows them: the server stores a label as its value,
// and refuses one the portal's options lack (lib/crm/lead-options.ts).
const isSuggested = (f: Field): f is OptionField => (OPTION_FIELDS as string[]).includes(f)

const input = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-normal'

/**
 * A button that opens the lead form: edits `lead`, or adds a new one without it. An edited
 * lead's extra HubSpot properties (`crmProperties`) show read-only: HubSpot writes them, the
 * app never sends them back.
 */
export function LeadDialog({ lead, crmProperties = {}, linkedCompany, phoneCountry, options, deletedInCrm = false }: {
  lead?: EditableLead; crmProperties?: Record<string, string>; phoneCountry: PhoneCountry; options?: PortalOptions
  /** The company record the lead is associated with, when it is not what the Company field says (the table shows it). */
  linkedCompany?: string | null
  /** HubSpot deleted the lead's record (LeadRow.deletedInCrm): an edit stays in the app. */
  deletedInCrm?: boolean
}) {
  const router = useRouter()
  const { status } = useLiveStatus()
  // "Send to HubSpot again" (a lead HubSpot deleted): the next sync creates it there anew.
  const [resending, resend] = usePostThenRefresh()
  const dialog = useRef<HTMLDialogElement>(null)
  const initial = Object.fromEntries(FIELDS.map(([f]) => [f, (isSuggested(f) ? optionLabel(f, lead?.[f] ?? null, options) : lead?.[f]) ?? ''])) as Record<Field, string>
  const [form, setForm] = useState(initial)
  const [state, setState] = useState<{ saving: boolean; error: string | null }>({ saving: false, error: null })
  // The form exists only while open: a page of rows does not carry a page of hidden forms.
  const [isOpen, setOpen] = useState(false)
  const listId = `lead-${lead?.id ?? 'new'}-options`
  const title = lead ? `Edit ${[lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email || 'lead'}` : 'Add a lead'

  const open = () => {
    setForm(initial)
    setState({ saving: false, error: null })
    setOpen(true)
    dialog.current?.showModal()
  }

  const save = async () => {
    setState({ saving: true, error: null })
    try {
      if (lead) {
        // Only what the person changed: an untouched field is not the app's edit.
        const changed = Object.fromEntries(FIELDS.flatMap(([f]) => (form[f].trim() !== initial[f].trim() ? [[f, form[f].trim() || null]] : [])))
        if (Object.keys(changed).length > 0) await postJson(`/api/crm/leads/${lead.id}`, changed, 'PATCH')
      } else {
        const fields = Object.fromEntries(FIELDS.flatMap(([f]) => (form[f].trim() ? [[f, form[f].trim()]] : [])))
        // The import says this too, of "contact 0": said here as a person adding one lead reads it.
        if (!fields.email && !fields.phone) throw new Error('Give the lead an email or a phone.')
        const report = await postJson<{ imported: number; skipped?: Array<{ message: string }> }>('/api/crm/import', [fields])
        // The import names the lead it matched (by email, or by phone): "contact 0: a lead with this phone is already in the app: …".
        if (report.imported === 0) throw new Error(report.skipped?.[0]?.message ?? 'This lead is already in the app.')
      }
      setState({ saving: false, error: null })
      dialog.current?.close()
      router.refresh()
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      setState({ saving: false, error: lead ? message : singleLeadError(message) })
    }
  }

  return (
    <>
      <button type="button" onClick={open}
        className={lead ? 'text-xs font-normal text-sky-700 hover:underline' : 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50'}
        aria-label={lead ? title : undefined}>
        {lead ? 'Edit' : 'Add lead'}
      </button>
      <dialog ref={dialog} aria-label={title} onClose={() => setOpen(false)}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg p-0 text-left font-normal shadow-xl backdrop:bg-slate-900/40">
        {isOpen && <form className="grid gap-3 p-5 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void save() }}>
          <h3 className="font-semibold sm:col-span-2">{title}</h3>
          {/* The form mounts after showModal() has focused the empty dialog: the first field takes the focus then.
              Escape and the focus back on the opening button on close are the <dialog>'s own. */}
          {FIELDS.map(([f, label, type], i) => (
            <label key={f} className="space-y-1 text-xs font-medium text-slate-600">{label}
              <input className={input} type={type} name={f} value={form[f]} autoFocus={i === 0} list={isSuggested(f) ? `${listId}-${f}` : undefined} maxLength={LEAD_MAX_LENGTH[f]}
                onChange={(e) => setForm({ ...form, [f]: e.target.value })} />
            </label>
          ))}
          {OPTION_FIELDS.map((f) => (
            <datalist key={f} id={`${listId}-${f}`}>{optionsFor(f, options).map(([value, label]) => <option key={value} value={label} />)}</datalist>
          ))}
          {linkedCompany && (
            <p className="text-xs text-slate-500 sm:col-span-2" data-testid="linked-company">
              Linked to the company {linkedCompany}. Company here is the contact&apos;s own company name (HubSpot&apos;s company property): changing it
              does not move the lead to another company.
            </p>
          )}
          <p className={`text-xs sm:col-span-2 ${phoneCountry.from === 'disagreement' ? 'text-amber-700' : 'text-slate-500'}`} data-testid="phone-hint">
            {phoneHint(phoneCountry)}
          </p>
          {deletedInCrm && lead ? (
            <p className="text-xs text-rose-700 sm:col-span-2" data-testid="push-note">
              Deleted in HubSpot — edits stay in the app. The sync keeps this lead but no longer sends its changes to HubSpot.{' '}
              <button type="button" disabled={resending} onClick={() => resend(() => postJson(`/api/crm/leads/${lead.id}/resend`, {}))}
                className="text-sky-700 underline disabled:opacity-60">
                {resending ? 'Sending…' : 'Send to HubSpot again'}
              </button>
            </p>
          ) : <p className="text-xs text-slate-500 sm:col-span-2" data-testid="push-note">{pushNote(status.connections, status.disconnected)}</p>}
          {Object.keys(crmProperties).length > 0 && (
            <section className="text-xs sm:col-span-2" data-testid="crm-properties" aria-label="From HubSpot">
              <h4 className="font-medium text-slate-600">From HubSpot <span className="font-normal text-slate-500">(read only)</span></h4>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
                {Object.entries(crmProperties).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => (
                  <div key={name} className="contents">
                    <dt className="font-mono text-slate-500">{name}</dt>
                    <dd className="break-words text-slate-700">{String(value)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          {state.error && <p className="text-sm text-rose-600 sm:col-span-2" role="alert">{state.error}</p>}
          <div className="flex justify-end gap-2 sm:col-span-2">
            <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">Cancel</button>
            <button type="submit" disabled={state.saving} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">
              {state.saving ? 'Saving…' : 'Save lead'}
            </button>
          </div>
        </form>}
      </dialog>
    </>
  )
}
