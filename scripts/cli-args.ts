import { parseArgs } from 'node:util'
import type { z } from 'zod'

// The flags of a command-line entry point, checked before it does anything. Node's parseArgs
// answered an unknown flag with its own stack trace, and a command that took no flags ran
// whatever it was given: `npm run rotate-token-key -- --help` re-sealed the stored tokens and
// `npm run db:migrate -- --bogus` migrated the database.

export interface Flag {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
}

export type ArgsOutcome<T> =
  | { kind: 'run'; values: T }
  | { kind: 'help'; text: string }
  /** `text`: what to print (the problem, then the usage); `message`: the problem alone. */
  | { kind: 'invalid'; text: string; message: string }

/**
 * `--help` (`-h`): the usage. An unknown flag, a stray argument, a flag without its value or
 * one `schema` refuses: invalid, naming it (every problem `schema` finds), with the usage.
 * Else the values, as `schema` reads them.
 */
export function readArgs<T>(argv: string[], usage: string, flags: Record<string, Flag>, schema: z.ZodType<T>): ArgsOutcome<T> {
  const invalid = (message: string): ArgsOutcome<T> => ({ kind: 'invalid', text: `Invalid arguments: ${message}\n\n${usage}`, message })
  const options = { ...flags, help: { type: 'boolean', short: 'h' } } satisfies Record<string, Flag>
  let values: Record<string, unknown>
  try {
    values = parseArgs({ args: dashValuesJoined(argv, options), options, strict: true, allowPositionals: false }).values
  } catch (e) {
    return invalid(e instanceof Error ? e.message : String(e))
  }
  if (values.help) return { kind: 'help', text: usage }
  delete values.help
  const parsed = schema.safeParse(values)
  if (parsed.success) return { kind: 'run', values: parsed.data }
  return invalid(parsed.error.issues.map((i) => `${i.path.length ? `--${i.path.join('.')}: ` : ''}${i.message}`).join('; '))
}

/**
 * Node's parseArgs refuses a value that starts with a dash (`--max-seconds -5`) as "argument is
 * ambiguous", a message that names neither what is wrong nor what is accepted. Such a value is
 * handed over as `--max-seconds=-5`, for the schema to judge and name what it accepts. A flag
 * followed by a long flag or one the command knows (`--objects --json`) is missing its value,
 * as one given last is (thrown, as parseArgs throws).
 */
function dashValuesJoined(argv: string[], options: Record<string, Flag>): string[] {
  const takesValue = new Set(Object.entries(options).filter(([, f]) => f.type === 'string').flatMap(([name, f]) => [`--${name}`, ...(f.short ? [`-${f.short}`] : [])]))
  const known = new Set(Object.entries(options).flatMap(([name, f]) => [`--${name}`, ...(f.short ? [`-${f.short}`] : [])]))
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const [arg, next] = [argv[i], argv[i + 1]]
    if (arg === '--') return [...out, ...argv.slice(i)]
    if (!takesValue.has(arg) || next === undefined || !next.startsWith('-')) {
      out.push(arg)
      continue
    }
    // Node's own words for a flag given last without its value.
    if (next.startsWith('--') || known.has(next)) throw new Error(`Option '${arg} <value>' argument missing`)
    out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`)
    i++
  }
  return out
}

/** readArgs on this process's arguments: prints the usage and exits 0 for --help, names the problem and exits 2 when invalid. */
export function commandArgs<T>(usage: string, flags: Record<string, Flag>, schema: z.ZodType<T>): T {
  const outcome = readArgs(process.argv.slice(2), usage, flags, schema)
  if (outcome.kind === 'run') return outcome.values
  if (outcome.kind === 'help') {
    console.log(outcome.text)
    process.exit(0)
  }
  console.error(outcome.text)
  process.exit(2)
}
