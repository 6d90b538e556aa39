import { z } from 'zod'
import { decryptSecret, encryptSecret } from '../../secrets'

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
  return credentialsSchema.parse(JSON.parse(decryptSecret(sealed)))
}
