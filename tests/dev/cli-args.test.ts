import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readArgs, type Flag } from '../../scripts/cli-args'
import { runScript } from '../helpers/run-script'

// The commands' flags are checked before anything runs: `npm run rotate-token-key -- --help`
// re-sealed the stored tokens and `npm run db:migrate -- --bogus` migrated the database, while
// `npm run db:serve` and `npm run bench` answered an unknown flag with node's stack trace.

const FLAGS: Record<string, Flag> = { port: { type: 'string' }, memory: { type: 'boolean' }, offset: { type: 'string', short: 'o' } }
const SCHEMA = z.object({ port: z.coerce.number().int().min(0).max(65535).default(0), memory: z.boolean().default(false), offset: z.coerce.number().optional() })

describe('readArgs', () => {
  type Case = [name: string, argv: string[], kind: 'run' | 'help' | 'invalid', expected: unknown]
  const cases: Case[] = [
    ['no flags: the defaults', [], 'run', { port: 0, memory: false }],
    ['flags with values', ['--port', '5433', '--memory'], 'run', { port: 5433, memory: true }],
    ['--port=5433 form', ['--port=5433'], 'run', { port: 5433, memory: false }],
    ['--help', ['--help'], 'help', /^Usage: x/],
    ['-h', ['-h'], 'help', /^Usage: x/],
    ['--help beside other flags still only helps', ['--port', '1', '--help'], 'help', /^Usage: x/],
    ['an unknown flag is named', ['--prot', '1'], 'invalid', /^Invalid arguments: Unknown option '--prot'/],
    ['a stray argument is named', ['5433'], 'invalid', /^Invalid arguments: Unexpected argument '5433'/],
    ['a flag without its value', ['--port'], 'invalid', /^Invalid arguments: Option '--port <value>' argument missing/],
    ['a value the schema refuses names its flag', ['--port', 'abc'], 'invalid', /^Invalid arguments: --port: /],
    ['a value out of range names its flag', ['--port', '70000'], 'invalid', /^Invalid arguments: --port: /],
    // Node's parseArgs called any value starting with a dash "ambiguous", naming neither the
    // problem nor what is accepted: it is the value, for the schema to judge.
    ['a negative value is the schema\'s to refuse, naming its flag', ['--port', '-5'], 'invalid', /^Invalid arguments: --port: Too small/],
    ['a negative value the schema takes', ['--offset', '-5'], 'run', { port: 0, memory: false, offset: -5 }],
    ['a negative value after a short flag', ['-o', '-2.5', '--memory'], 'run', { port: 0, memory: true, offset: -2.5 }],
    ['a flag followed by another is missing its value', ['--port', '--memory'], 'invalid', /^Invalid arguments: Option '--port <value>' argument missing/],
    ['a flag followed by -h is missing its value', ['--port', '-h'], 'invalid', /^Invalid arguments: Option '--port <value>' argument missing/],
    ['every value the schema refuses is named', ['--port', 'abc', '--offset', 'x'], 'invalid', /^Invalid arguments: --port: [^;]+; --offset: /],
  ]
  it.each(cases)('%s', (_name, argv, kind, expected) => {
    const outcome = readArgs(argv, 'Usage: x', FLAGS, SCHEMA)
    expect(outcome.kind).toBe(kind)
    if (outcome.kind === 'run') expect(outcome.values).toEqual(expected)
    else {
      expect(outcome.text).toMatch(expected as RegExp)
      expect(outcome.text).toContain('Usage: x')
    }
  })

  it('a command with no flags refuses any', () => {
    expect(readArgs(['--force'], 'Usage: y', {}, z.object({})).kind).toBe('invalid')
    expect(readArgs([], 'Usage: y', {}, z.object({}))).toEqual({ kind: 'run', values: {} })
  })
})

// A database nobody listens on: a command that got as far as connecting would fail with exit 1.
const NOWHERE = 'postgres://nobody@127.0.0.1:1/none'
const run = (script: string, args: string[]) => runScript(script, args, { ...process.env, DATABASE_URL: NOWHERE, BENCH_DATABASE_URL: NOWHERE })

describe('the commands, before they touch anything', () => {
  const commands: Array<[command: string, script: string, unknown: string[]]> = [
    ['db:migrate', 'scripts/migrate.ts', ['--bogus']],
    ['rotate-token-key', 'scripts/rotate-token-key.ts', ['--dry-run']],
    ['db:serve', 'scripts/db-serve.ts', ['--prot', '1']],
    ['bench', 'bench/run.ts', ['--contact', '10']],
    ['sync', 'scripts/sync.ts', ['--bogus']],
  ]
  it.each(commands)('npm run %s -- --help prints its usage, exit 0', async (command, script) => {
    const r = await run(script, ['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^Usage: npm run ${command}`))
  })
  it.each(commands)('npm run %s with an unknown flag names it, exit 2, no stack trace', async (_command, script, unknown) => {
    const r = await run(script, unknown)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`Unknown option '${unknown[0]}'`)
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })
  it('npm run bench -- --contacts abc names the flag, exit 2', async () => {
    const r = await run('bench/run.ts', ['--contacts', 'abc'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^Invalid arguments: --contacts: /)
  })
})
