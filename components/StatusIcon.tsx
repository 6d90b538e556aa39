const STYLES = {
  success: { icon: '✓', cls: 'bg-emerald-100 text-emerald-700', label: 'Success' },
  partial: { icon: '!', cls: 'bg-amber-100 text-amber-700', label: 'Partial' },
  failed: { icon: '✕', cls: 'bg-rose-100 text-rose-700', label: 'Failed' },
  running: { icon: '↻', cls: 'bg-sky-100 text-sky-700 animate-spin', label: 'Running' },
  never: { icon: '–', cls: 'bg-slate-100 text-slate-500', label: 'Not synced yet' },
} as const

export function StatusIcon({ status }: { status: keyof typeof STYLES }) {
  const s = STYLES[status]
  return (
    <span title={s.label} aria-label={s.label} className={`inline-flex h-6 w-6 items-center justify-center rounded-full text-sm font-bold ${s.cls}`}>
      {s.icon}
    </span>
  )
}
