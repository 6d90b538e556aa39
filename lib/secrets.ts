import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { env } from './env'

// CRM tokens at rest: AES-256-GCM, a fresh 12-byte IV per value, stored as
// "v1.<iv>.<tag>.<ciphertext>" (base64url). In development without TOKEN_ENCRYPTION_KEY a
// key is generated once under the data dir (never committed: .data/ is ignored).

let cachedKey: Buffer | undefined

function key(): Buffer {
  if (cachedKey) return cachedKey
  const e = env()
  if (e.TOKEN_ENCRYPTION_KEY) return (cachedKey = Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64'))
  const file = path.join(e.SYNCLINE_DATA_DIR, 'token-encryption.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(e.SYNCLINE_DATA_DIR, { recursive: true })
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  }
  return (cachedKey = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'))
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key(), iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret')
  // The full 16-byte tag or nothing: without authTagLength Node takes a tag cut to 4 bytes and
  // checks only those, so a forged value needs ~2^32 tries, not 2^128.
  // https://nodejs.org/api/crypto.html#deciphersetauthtagbuffer-encoding
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'), { authTagLength: 16 })
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
}

/** A key for one purpose (e.g. signing OAuth state), derived from the encryption key so no extra secret is needed. */
export function deriveSecret(purpose: string): Buffer {
  return createHmac('sha256', key()).update(`syncline:${purpose}`).digest()
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
