import { expect, it } from 'vitest'
import { connect } from '../../lib/store/db'
import { startEmbeddedPostgres } from '../../lib/store/embedded'

it('the embedded server keeps concurrent clients\' extended-protocol queries apart', async () => {
  const embedded = await startEmbeddedPostgres({ dataDir: null })
  const a = connect(embedded.url, { max: 4 })
  const b = connect(embedded.url, { max: 4, prepare: false })
  try {
    await a`create table t (id int primary key, payload text)`
    const big = 'x'.repeat(200_000) // spans many TCP reads, so messages arrive in pieces
    const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b)`insert into t values (${i}, ${big + i})`)
    const reads = Array.from({ length: 200 }, (_, i) => (i % 2 ? b : a)`select ${i}::int as n, length(${big}) as l`)
    const txs = Array.from({ length: 10 }, (_, i) =>
      a.begin(async (tx) => { await tx`insert into t values (${1000 + i}, 'tx')`; return tx`select count(*)::int as n from t where id = ${1000 + i}` }))
    const [, readRows, txRows] = await Promise.all([Promise.all(writes), Promise.all(reads), Promise.all(txs)])
    expect(readRows.map((r) => r[0].n)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    expect(txRows.every((r) => r[0].n === 1)).toBe(true)
    const [{ n }] = await a`select count(*)::int as n from t`
    expect(n).toBe(50)
  } finally {
    await a.end()
    await b.end()
    await embedded.close()
  }
})
