import net from 'node:net'

// The ports `npm run dev` listens on, checked before anything starts: a port another
// process holds is one clear line naming it and the variable that moves it, not a stack
// trace after the database has started. (The embedded Postgres takes any free port.)

export interface DevPort {
  /** What listens there, as the line names it. */
  what: string
  port: number
  /** The environment variable that moves it. */
  envVar: string
  /** Where it listens; unset: every interface, as `next dev` does. */
  host?: string
}

export function portTakenMessage(p: DevPort): string {
  return `✗ Port ${p.port} is already in use, so ${p.what} cannot start: stop what holds it, or set ${p.envVar} to another port (${p.envVar}=${p.port + 1} npm run dev).`
}

export const isAddressInUse = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE'

/** Whether the port can be listened on, tried by listening on it and closing at once. */
export function portFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', (e) => (isAddressInUse(e) ? resolve(false) : reject(e)))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** The first of `ports` another process holds, if any. */
export async function firstTakenPort(ports: DevPort[]): Promise<DevPort | undefined> {
  for (const p of ports) if (!(await portFree(p.port, p.host))) return p
  return undefined
}
