import type { Route } from '../router.js'
import type { WebhookService } from '../webhooks/service.js'
import { adminRoutes } from './admin.js'

/** Control API under `/_sandbox` (not HubSpot's): seeding, rep actions, faults, counters. */
export function controlRoutes(webhooks: WebhookService): Route[] {
  return [...adminRoutes(webhooks)]
}
