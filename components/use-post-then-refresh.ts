'use client'
import { useRouter } from 'next/navigation'
import { useTransition } from 'react'

/**
 * Runs a POST (or any action), then refreshes the page's server data, and is pending from
 * the click until the refreshed page has rendered. A button that went idle when its POST
 * answered showed the old state, with the old action, for the second or two the refresh
 * took, and a click then undid what it had just done (or, for Disconnect, posted again to a
 * connection already gone). A failed action is said in an alert, and the page refreshed all
 * the same (the action may have done part of its work).
 *
 * Both steps run in one transition, so `pending` stays true through the refresh: after an
 * await, React needs the next update marked as a transition again
 * (https://react.dev/reference/react/useTransition#react-doesnt-treat-my-state-update-after-await-as-a-transition).
 */
export function usePostThenRefresh(): [pending: boolean, run: (action: () => Promise<unknown>) => void] {
  const router = useRouter()
  const [pending, startTransition] = useTransition()
  const run = (action: () => Promise<unknown>) => startTransition(async () => {
    try {
      await action()
    } catch (e) {
      window.alert(e instanceof Error ? e.message : String(e))
    }
    startTransition(() => router.refresh())
  })
  return [pending, run]
}
