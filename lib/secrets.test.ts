import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { resetEnvCache } from './env'
import { decryptSecret, encryptSecret, sameSecret } from './secrets'

const saved = process.env.TOKEN_ENCRYPTION_KEY
process.env.TOKEN_ENCRYPTION_KEY = randomBytes(32).toString('base64')
resetEnvCache()
afterAll(() => {
  process.env.TOKEN_ENCRYPTION_KEY = saved
  resetEnvCache()
})

/** The sealed value's parts: v1.<iv>.<tag>.<ciphertext>. */
const parts = (sealed: string) => sealed.split('.')

describe('tokens at rest (AES-256-GCM)', () => {
  it('open as sealed, each under a fresh IV', () => {
    const a = encryptSecret('pat-na1-secret')
    expect(decryptSecret(a)).toBe('pat-na1-secret')
    expect(parts(a)[1]).not.toBe(parts(encryptSecret('pat-na1-secret'))[1])
  })

  it.each([4, 8, 12, 15])('refuses a value whose tag is cut to %i bytes (Node checks only the bytes given unless told the length)', (bytes) => {
    const [v, iv, tag, data] = parts(encryptSecret('pat-na1-secret'))
    const cut = Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url')
    expect(() => decryptSecret([v, iv, cut, data].join('.'))).toThrow()
  })

  it('refuses a value whose ciphertext was changed', () => {
    const [v, iv, tag, data] = parts(encryptSecret('pat-na1-secret'))
    const flipped = Buffer.from(data, 'base64url')
    flipped[0] ^= 1
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow()
  })
})

describe('sameSecret: constant-time equality that never throws', () => {
  const mac = 'Zm9vYmFyYmF6cXV4'
  it.each<[string, string | Buffer, string | Buffer, boolean]>([
    ['equal strings', mac, mac, true],
    ['a string and its UTF-8 bytes', mac, Buffer.from(mac), true],
    ['equal buffers', Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]), true],
    ['two empty values', '', '', true],
    ['one byte changed', mac, `${mac.slice(0, -1)}X`, false],
    ['a prefix (shorter)', mac, mac.slice(0, 4), false],
    ['longer by one byte', mac, `${mac}=`, false],
    ['empty against a value', '', mac, false],
    ['case differs', 'abcdef', 'ABCDEF', false],
    ['same characters, other byte length (é is 2 bytes)', 'é', 'e', false],
  ])('%s', (_, a, b, expected) => {
    expect(sameSecret(a, b)).toBe(expected)
    expect(sameSecret(b, a)).toBe(expected)
  })
})
