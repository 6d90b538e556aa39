import { z } from 'zod'
import { encryptSecret, openSecret } from '../../secrets'
import { CrmError } from '../errors'

// What crm_connections.credentials_encrypted holds once decrypted.
export const credentialsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('private_app'), accessToken: z.string().min(1) }),
  z.object({
    type: z.literal('oauth'),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    expiresAt: z.iso.datetime(),
  }),
])
export type Credentials = z.infer<typeof credentialsSchema>

export function sealCredentials(c: Credentials): string {
  return encryptSecret(JSON.stringify(credentialsSchema.parse(c)))
}

export function openCredentials(sealed: string): Credentials {
  return openStoredCredentials(sealed).credentials
}

/** The credentials, and whether they were sealed under one of TOKEN_ENCRYPTION_KEY_PREVIOUS (so are due to be sealed again). */
export function openStoredCredentials(sealed: string): { credentials: Credentials; underPreviousKey: boolean } {
  let opened: { plain: string; underPreviousKey: boolean }
  try {
    opened = openSecret(sealed)
  } catch (e) {
    // AES-GCM refuses a value sealed under another key ("Unsupported state or unable to
    // authenticate data"): a deployment or instance given a TOKEN_ENCRYPTION_KEY other than the
    // one the tokens were saved with. Retrying cannot help; the operator has to say which key.
    throw new CrmError('config', "The CRM's stored token cannot be decrypted with this server's TOKEN_ENCRYPTION_KEY (nor any key in "
      + 'TOKEN_ENCRYPTION_KEY_PREVIOUS), which is not the key it was saved with: give every instance and deployment that shares the '
      + 'database the same key, list the old one in TOKEN_ENCRYPTION_KEY_PREVIOUS while rotating (or connect the CRM again to save it under this one)', { cause: e })
  }
  return { credentials: credentialsSchema.parse(JSON.parse(opened.plain)), underPreviousKey: opened.underPreviousKey }
}
