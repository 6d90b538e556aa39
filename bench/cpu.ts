import fs from 'node:fs'

// CPU time by process, so the report can say where a record's cost goes and what two
// cores can do at best. Linux only (/proc); elsewhere the figures are left out.

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on Linux's common architectures.
const TICKS_PER_SECOND = 100

export function statCpuSeconds(pid: number | string): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "pid (comm) ": state is the 1st, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return null
  }
}

/** All processes named `postgres` on this machine (a local server's backends). */
export function localPostgresCpuSeconds(): number | null {
  let total = 0
  let found = false
  for (const pid of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(pid)) continue
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue
    } catch {
      continue
    }
    const s = statCpuSeconds(pid)
    if (s !== null) { total += s; found = true }
  }
  return found ? total : null
}

export interface CpuSources {
  sandboxPid?: number
  /** The embedded database's process; absent for a server (then local `postgres` processes are summed). */
  databasePid?: number
  databaseIsLocalServer?: boolean
}

export type CpuSnapshot = Record<'engine' | 'sandbox' | 'database', number | null>

/** This process's CPU seconds, every thread included. */
export function ownCpuSeconds(): number {
  const own = process.cpuUsage()
  return (own.user + own.system) / 1e6
}

/** The database's CPU seconds: its own process, or every local `postgres` process, or unknown. */
export function databaseCpuSeconds(src: Pick<CpuSources, 'databasePid' | 'databaseIsLocalServer'>): number | null {
  return src.databasePid ? statCpuSeconds(src.databasePid) : src.databaseIsLocalServer ? localPostgresCpuSeconds() : null
}

/** CPU seconds by pid of the given processes (those that have exited are left out). */
export function cpuSecondsByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>()
  for (const pid of pids) {
    const s = statCpuSeconds(pid)
    if (s !== null) out.set(pid, s)
  }
  return out
}

/** CPU seconds the processes of `after` spent since `before` (one not in `before` started since: all of its). */
export function cpuSecondsSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0)
  return total
}

/** A database URL on this machine, whose `postgres` processes can be counted. */
export const isLocalServerUrl = (url: string | undefined) => /@(localhost|127\.0\.0\.1)[:/]/.test(url ?? '')

export function cpuSnapshot(src: CpuSources): CpuSnapshot {
  return {
    engine: ownCpuSeconds(),
    sandbox: src.sandboxPid ? statCpuSeconds(src.sandboxPid) : null,
    database: databaseCpuSeconds(src),
  }
}

/** CPU seconds per unit of work spent by each source between two readings (null where one could not be read). */
export function cpuPerUnit<K extends string>(before: Record<K, number | null>, after: Record<K, number | null>, units: number): Record<K, number | null> {
  const out = {} as Record<K, number | null>
  for (const k of Object.keys(after) as K[]) {
    const a = after[k]
    const b = before[k]
    out[k] = a === null || b === null ? null : (a - b) / units
  }
  return out
}

/** CPU µs per record spent by each process between two snapshots. */
export function cpuPerRecord(before: CpuSnapshot, after: CpuSnapshot, records: number): CpuSnapshot {
  const per = cpuPerUnit(before, after, records)
  const micros = (s: number | null) => (s === null ? null : Math.round(s * 1e6))
  return { engine: micros(per.engine), sandbox: micros(per.sandbox), database: micros(per.database) }
}
