import { z } from 'zod'
import { mulberry32 } from './random.js'

/**
 * Fault injection for resilience tests: each rule fires on a matching request with
 * probability `rate`, drawn from a seeded generator so a run can be replayed.
 */
export const FaultRuleSchema = z.object({
  kind: z.enum(['rate_limit', 'server_error', 'timeout', 'truncate', 'latency']),
  rate: z.number().min(0).max(1),
  /** Regular expression tested against `METHOD /path`, e.g. "^POST /crm/v3/objects/contacts/search". */
  match: z.string().optional(),
  /** server_error: status to answer (default 500). */
  status: z.number().int().min(500).max(599).optional(),
  /** latency: extra delay; timeout: how long to hold the socket before dropping it (default 30 s). */
  ms: z.number().int().min(0).optional(),
})
export const FaultConfigSchema = z.object({ seed: z.number().int().default(1), rules: z.array(FaultRuleSchema).default([]) })

export type FaultRule = z.infer<typeof FaultRuleSchema>
export type FaultConfig = z.infer<typeof FaultConfigSchema>

export interface FaultDecision {
  latencyMs: number
  failure?: FaultRule
}

export class Faults {
  private rules: Array<FaultRule & { re?: RegExp }> = []
  private rng = mulberry32(1)
  injected = 0

  set(config: FaultConfig): void {
    this.rules = config.rules.map((r) => ({ ...r, re: r.match ? new RegExp(r.match) : undefined }))
    this.rng = mulberry32(config.seed)
    this.injected = 0
  }

  list(): FaultRule[] {
    return this.rules.map(({ re: _re, ...r }) => r)
  }

  decide(method: string, path: string): FaultDecision {
    const out: FaultDecision = { latencyMs: 0 }
    if (this.rules.length === 0) return out
    const subject = `${method} ${path}`
    for (const rule of this.rules) {
      if (rule.re && !rule.re.test(subject)) continue
      if (this.rng() >= rule.rate) continue
      this.injected++
      if (rule.kind === 'latency') out.latencyMs += rule.ms ?? 500
      else if (!out.failure) out.failure = rule
    }
    return out
  }
}
