import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { resetEnvCache } from './env'
import { decryptSecret, encryptSecret, openSecret, sameSecret } from './secrets'

const saved = process.env.TOKEN_ENCRYPTION_KEY
process.env.TOKEN_ENCRYPTION_KEY = randomBytes(32).toString('base64')
resetEnvCache()
const savedPrevious = process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS
afterAll(() => {
  process.env.TOKEN_ENCRYPTION_KEY = saved
  if (savedPrevious === undefined) delete process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS
  else process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS = savedPrevious
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

describe('rotation: TOKEN_ENCRYPTION_KEY_PREVIOUS opens, never seals', () => {
  const [a, b, c] = [1, 2, 3].map(() => randomBytes(32).toString('base64'))
  const keys = (current: string, previous = '') => {
    process.env.TOKEN_ENCRYPTION_KEY = current
    process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS = previous
    resetEnvCache()
  }
  const sealedUnder = (key: string) => (keys(key), encryptSecret('pat'))

  it.each([
    { name: 'under the current key', sealedWith: a, current: a, previous: '', opened: { plain: 'pat', underPreviousKey: false } },
    { name: 'under the only previous key', sealedWith: a, current: b, previous: a, opened: { plain: 'pat', underPreviousKey: true } },
    { name: 'under the second of two previous keys', sealedWith: a, current: c, previous: `${b},${a}`, opened: { plain: 'pat', underPreviousKey: true } },
    { name: 'under a key not listed', sealedWith: c, current: a, previous: b, opened: undefined },
  ])('$name', ({ sealedWith, current, previous, opened }) => {
    const sealed = sealedUnder(sealedWith)
    keys(current, previous)
    if (opened) expect(openSecret(sealed)).toEqual(opened)
    else expect(() => openSecret(sealed)).toThrow()
  })

  it('seals under the current key even while previous keys are listed', () => {
    keys(b, a)
    const sealed = encryptSecret('pat')
    keys(b)
    expect(openSecret(sealed)).toEqual({ plain: 'pat', underPreviousKey: false })
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
