import { QUERY_PROPS, modifiedProp, type ObjectType } from '../object-types.js'
import { getValue, type Rec } from '../record.js'
import type { Sandbox } from '../state.js'
import { compileFilter, type Filter, type Predicate } from './filters.js'
import { lowerBound } from './search-index.js'
import { compareRecords } from './sort.js'

export interface SearchPlan {
  filterGroups: Filter[][]
  sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }
  query?: string
  after: number
  limit: number
}

export interface SearchResult {
  total: number
  page: Rec[]
}

/** Runs a search against what the index can see now. */
export function runSearch(sb: Sandbox, type: ObjectType, plan: SearchPlan): SearchResult {
  sb.index.drain(sb.clock.now())
  const groups: Predicate[][] = plan.filterGroups.map((g) => g.map((f) => compileFilter(sb, type, f)))
  const q = plan.query?.trim().toLowerCase()
  const match = (rec: Rec): boolean => {
    if (rec.archived) return false // archived records never appear in search
    if (groups.length && !groups.some((g) => g.every((p) => p(rec)))) return false
    if (q && !QUERY_PROPS[type].some((name) => getValue(rec, name)?.toLowerCase().includes(q))) return false
    return true
  }
  const mod = modifiedProp(type)
  if (plan.sort?.propertyName === mod) return byModified(sb, type, plan, match)
  const visible = sb.index.visibleMap(type)
  if (!plan.sort || (plan.sort.propertyName === 'hs_object_id' && plan.sort.direction === 'ASCENDING')) {
    // Default order is by creation, oldest first: the index's insertion order.
    return collect(visible.values(), match, plan)
  }
  const all: Rec[] = []
  for (const rec of visible.values()) if (match(rec)) all.push(rec)
  all.sort((a, b) => compareRecords(sb, a, b, plan.sort!))
  return { total: all.length, page: all.slice(plan.after, plan.after + plan.limit) }
}

function collect(iter: Iterable<Rec>, match: (r: Rec) => boolean, plan: SearchPlan): SearchResult {
  let total = 0
  const page: Rec[] = []
  for (const rec of iter) {
    if (!match(rec)) continue
    if (total >= plan.after && page.length < plan.limit) page.push(rec)
    total++
  }
  return { total, page }
}

/**
 * Sorted by last-modified: walk the updatedAt-ordered index from the lowest bound every
 * group imposes. When the only filters are bounds on that property (the sync engine's
 * watermark query), total and offset come from the live-flag tree without scanning.
 */
function byModified(sb: Sandbox, type: ObjectType, plan: SearchPlan, match: (r: Rec) => boolean): SearchResult {
  const arr = sb.index.sortedByModified(type)
  const flags = sb.index.flags(type)
  const mod = modifiedProp(type)
  const bounds = plan.filterGroups.map((g) => boundsOf(g, mod))
  const lo = plan.filterGroups.length ? Math.min(...bounds.map((b) => b.lo)) : -Infinity
  const hi = plan.filterGroups.length ? Math.max(...bounds.map((b) => b.hi)) : Infinity
  const start = lo === -Infinity ? 0 : lowerBound(arr, lo)
  const end = hi === Infinity ? arr.length : lowerBound(arr, hi + 1)
  const pureRange = !plan.query && plan.filterGroups.length <= 1 && bounds.every((b) => b.pure)
  const asc = plan.sort?.direction !== 'DESCENDING'
  if (pureRange) {
    const before = flags.prefix(start)
    const total = flags.prefix(end) - before
    const page: Rec[] = []
    if (plan.after < total) {
      const k = asc ? before + plan.after : before + total - 1 - plan.after
      let i = flags.findKth(k)
      while (i >= start && i < end && page.length < plan.limit) {
        if (flags.get(i)) page.push(arr[i])
        i += asc ? 1 : -1
      }
    }
    return { total, page }
  }
  const live = function* () {
    if (asc) for (let i = start; i < end; i++) { if (sb.index.isLive(arr[i])) yield arr[i] }
    else for (let i = end - 1; i >= start; i--) { if (sb.index.isLive(arr[i])) yield arr[i] }
  }
  return collect(live(), match, plan)
}

/** The [lo, hi] ms range a group imposes on the modified property, and whether that is all it filters. */
function boundsOf(group: Filter[], mod: string): { lo: number; hi: number; pure: boolean } {
  let lo = -Infinity
  let hi = Infinity
  let pure = true
  for (const f of group) {
    const v = f.value !== undefined ? toMs(f.value) : undefined
    if (f.propertyName !== mod || v === undefined) { pure = false; continue }
    if (f.operator === 'GTE' || f.operator === 'EQ') lo = Math.max(lo, v)
    else if (f.operator === 'GT') lo = Math.max(lo, v + 1)
    else if (f.operator === 'LTE') hi = Math.min(hi, v)
    else if (f.operator === 'LT') hi = Math.min(hi, v - 1)
    else if (f.operator === 'BETWEEN' && f.highValue !== undefined) { lo = Math.max(lo, v); hi = Math.min(hi, toMs(f.highValue) ?? hi) }
    else pure = false
    if (f.operator === 'EQ') hi = Math.min(hi, v)
  }
  return { lo, hi, pure }
}

function toMs(v: string): number | undefined {
  if (/^-?\d+$/.test(v)) return Number(v)
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? undefined : ms
}
