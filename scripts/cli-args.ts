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
  | { kind: 'invalid'; text: string }

/**
 * `--help` (`-h`): the usage. An unknown flag, a stray argument, a flag without its value or
 * one `schema` refuses: invalid, naming it, with the usage. Else the values, as `schema` reads them.
 */
export function readArgs<T>(argv: string[], usage: string, flags: Record<string, Flag>, schema: z.ZodType<T>): ArgsOutcome<T> {
  const invalid = (message: string): ArgsOutcome<T> => ({ kind: 'invalid', text: `Invalid arguments: ${message}\n\n${usage}` })
  let values: Record<string, unknown>
  try {
    values = parseArgs({ args: argv, options: { ...flags, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values
  } catch (e) {
    return invalid(e instanceof Error ? e.message : String(e))
  }
  if (values.help) return { kind: 'help', text: usage }
  delete values.help
  const parsed = schema.safeParse(values)
  if (parsed.success) return { kind: 'run', values: parsed.data }
  const issue = parsed.error.issues[0]
  return invalid(`${issue.path.length ? `--${issue.path.join('.')}: ` : ''}${issue.message}`)
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
