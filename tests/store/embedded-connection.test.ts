import net from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect, type Sql } from '../../lib/store/db'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../lib/store/embedded'

// The embedded server's own wire-protocol handling (lib/store/pglite-connection.ts): what
// a client can do to it besides well-formed queries.

let embedded: EmbeddedPostgres
let sql: Sql

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null })
  sql = connect(embedded.url, { max: 2 })
  await sql`create table t (id int primary key)`
})
afterAll(async () => {
  await sql.end()
  await embedded.close()
})

const port = () => Number(new URL(embedded.url).port)

function raw(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: port() }, () => resolve(s))
    s.once('error', reject)
  })
}

const read = (s: net.Socket) => new Promise<Buffer>((resolve) => s.once('data', resolve))

/** A protocol-3 StartupMessage for user and database postgres. */
function startupMessage(): Buffer {
  const m = Buffer.concat([Buffer.alloc(8), Buffer.from('user\0postgres\0database\0postgres\0\0')])
  m.writeInt32BE(m.length, 0)
  m.writeInt32BE(196608, 4)
  return m
}

it('declines TLS with "N", as a server without certificates does, and goes on', async () => {
  const s = await raw()
  const request = Buffer.alloc(8)
  request.writeInt32BE(8, 0)
  request.writeInt32BE(80877103, 4)
  s.write(request)
  expect((await read(s)).toString()).toBe('N')
  s.destroy()
  expect(await sql`select 1 as one`).toEqual([{ one: 1 }])
})

it('rolls back what a client that died left open, and serves the others', async () => {
  const dying = connect(embedded.url, { max: 1 })
  let socketGone!: () => void
  const died = new Promise<void>((resolve) => (socketGone = resolve))
  const run = dying.begin(async (tx) => {
    await tx`insert into t values (1)`
    socketGone()
    await new Promise(() => {}) // never commits
  })
  run.catch(() => {})
  await died
  // The client's process dies: its socket closes in the middle of the transaction.
  await dying.end({ timeout: 0 })
  expect(await sql`select count(*)::int as n from t where id = 1`).toEqual([{ n: 0 }])
  await sql`insert into t values (2)`
  expect(await sql`select id from t order by id`).toEqual([{ id: 2 }])
})

it('answers messages that arrive one byte at a time', async () => {
  const s = await raw()
  const startup = startupMessage()
  const text = Buffer.from('select 41 + 1 as answer\0')
  const query = Buffer.concat([Buffer.from('Q'), Buffer.alloc(4), text])
  query.writeInt32BE(4 + text.length, 1)
  const replies: Buffer[] = []
  s.on('data', (d) => replies.push(d))
  for (const byte of Buffer.concat([startup, query])) {
    s.write(Buffer.from([byte]))
    await new Promise((r) => setImmediate(r))
  }
  const deadline = Date.now() + 5_000
  while (!Buffer.concat(replies).includes('42') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  const all = Buffer.concat(replies)
  expect(all.includes('answer')).toBe(true)
  expect(all.includes('42')).toBe(true)
  s.destroy()
})

it('drops a connection that sends a message length no message can have, and serves the others', async () => {
  const s = await raw()
  const closed = new Promise<void>((resolve) => s.once('close', () => resolve()))
  const startup = Buffer.alloc(8)
  startup.writeInt32BE(-100, 0) // a negative length once made the parser step backwards
  startup.writeInt32BE(196608, 4)
  s.write(startup)
  await closed
  const t = await raw()
  const tClosed = new Promise<void>((resolve) => t.once('close', () => resolve()))
  const bogus = Buffer.from([0x51, 0xff, 0xff, 0xff, 0x00]) // 'Q' with length -256
  t.write(Buffer.concat([startupMessage(), bogus]))
  await tClosed
  expect(await sql`select 4 as four`).toEqual([{ four: 4 }])
})

it('closes the connection on Terminate, after answering what came before it', async () => {
  const client = connect(embedded.url, { max: 1 })
  expect(await client`select 2 as two`).toEqual([{ two: 2 }])
  await client.end() // sends Terminate
  expect(await sql`select 3 as three`).toEqual([{ three: 3 }])
})
