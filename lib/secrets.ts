import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { env, type Env } from './env'

// CRM tokens at rest: AES-256-GCM, a fresh 12-byte IV per value, stored as
// "v1.<iv>.<tag>.<ciphertext>" (base64url). In development without TOKEN_ENCRYPTION_KEY a
// key is generated once under the data dir (never committed: .data/ is ignored).
// Rotation: values are always sealed under the current key; TOKEN_ENCRYPTION_KEY_PREVIOUS
// lists keys tried after it to open older values. The value names no key: GCM's tag tells
// the right one (a wrong key fails authentication, it never yields other plaintext).

interface Keys {
  current: Buffer
  previous: Buffer[]
}

// Per parsed environment, so a test that changes the keys (and resets the env) gets them.
let cached: { env: Env; keys: Keys } | undefined

function keys(): Keys {
  const e = env()
  if (cached?.env === e) return cached.keys
  const keys = { current: currentKey(e), previous: e.TOKEN_ENCRYPTION_KEY_PREVIOUS.map((k) => Buffer.from(k, 'base64')) }
  cached = { env: e, keys }
  return keys
}

function currentKey(e: Env): Buffer {
  if (e.TOKEN_ENCRYPTION_KEY) return Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64')
  const file = path.join(e.SYNCLINE_DATA_DIR, 'token-encryption.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(e.SYNCLINE_DATA_DIR, { recursive: true })
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keys().current, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

/** A sealed value opened: its plaintext, and whether it was sealed under a previous key (so is due to be sealed again). */
export interface OpenedSecret {
  plain: string
  underPreviousKey: boolean
}

/** Opens a value sealed under the current key or one of TOKEN_ENCRYPTION_KEY_PREVIOUS; throws when none opens it. */
export function openSecret(sealed: string): OpenedSecret {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret')
  const { current, previous } = keys()
  let failure: unknown
  for (const [i, key] of [current, ...previous].entries()) {
    try {
      return { plain: decryptWith(key, iv, tag, data), underPreviousKey: i > 0 }
    } catch (e) {
      failure ??= e
    }
  }
  throw failure
}

export function decryptSecret(sealed: string): string {
  return openSecret(sealed).plain
}

function decryptWith(key: Buffer, iv: string, tag: string, data: string): string {
  // The full 16-byte tag or nothing: without authTagLength Node takes a tag cut to 4 bytes and
  // checks only those, so a forged value needs ~2^32 tries, not 2^128.
  // https://nodejs.org/api/crypto.html#deciphersetauthtagbuffer-encoding
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 })
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
}

/**
 * A key for one purpose (e.g. signing OAuth state), derived from the encryption key so no extra
 * secret is needed. From the current key only: what it signs lives minutes (a sign-in's state, a
 * banner's link), so a rotation costs at most a sign-in begun just before it.
 */
export function deriveSecret(purpose: string): Buffer {
  return createHmac('sha256', keys().current).update(`syncline:${purpose}`).digest()
}

/**
 * Constant-time equality for signatures, MACs and nonces (strings as UTF-8). A length
 * mismatch is false, not the RangeError `timingSafeEqual` throws; the length itself is not
 * secret (every signature we compare has a fixed, public length).
 */
export function sameSecret(a: string | Buffer, b: string | Buffer): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b
  return x.length === y.length && timingSafeEqual(x, y)
}
