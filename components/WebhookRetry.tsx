import { PostButton } from './PostButton'

/** Tries the webhook events that failed every attempt again. */
export function WebhookRetry({ connectionId }: { connectionId: string }) {
  return (
    <PostButton path={`/api/v1/crm-integration/${connectionId}/retry-webhooks`} label="Retry"
      testId="webhook-retry" className="border-rose-300 text-rose-700 hover:bg-rose-50" />
  )
}
