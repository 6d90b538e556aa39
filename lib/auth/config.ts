import { env } from '../env'

/** Supabase Auth is on when both public keys are set; otherwise the one local workspace. Kept apart from the SDK so the CLI never loads it. */
export const supabaseAuthEnabled = () => !!(env().NEXT_PUBLIC_SUPABASE_URL && env().NEXT_PUBLIC_SUPABASE_ANON_KEY)
