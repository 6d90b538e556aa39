import { spawn } from 'node:child_process'

export interface ScriptResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs a TypeScript entry point as its `npm run` script does (node --import tsx) and collects
 * what it prints; resolves once its output has closed, so nothing it wrote last is missed.
 */
export function runScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<ScriptResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: process.cwd(), env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}
