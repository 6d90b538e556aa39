const STYLES = {
  success: { icon: '✓', cls: 'bg-emerald-100 text-emerald-700', label: 'Success' },
  partial: { icon: '!', cls: 'bg-amber-100 text-amber-700', label: 'Partial' },
  failed: { icon: '✕', cls: 'bg-rose-100 text-rose-700', label: 'Failed' },
  running: { icon: '↻', cls: 'bg-sky-100 text-sky-700 animate-spin', label: 'Running' },
  never: { icon: '–', cls: 'bg-slate-100 text-slate-500', label: 'Not synced yet' },
} as const

/** `label` says more than the status's own word where the icon is not a run's plain outcome. */
export function StatusIcon({ status, label }: { status: keyof typeof STYLES; label?: string }) {
  const s = STYLES[status]
  return (
    <span role="img" title={label ?? s.label} aria-label={label ?? s.label} className={`inline-flex h-6 w-6 items-center justify-center rounded-full text-sm font-bold ${s.cls}`}>
      {s.icon}
    </span>
  )
}
