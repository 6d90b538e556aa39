import { randomUUID } from 'node:crypto'

// https://developers.hubspot.com/docs/api/error-handling — every error body carries
// status "error", message, correlationId and category; context/errors are optional.
export interface ErrorDetail {
  message: string
  code?: string
  in?: string
  context?: Record<string, string[]>
  subCategory?: string
}

export class HubSpotError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly category: string,
    message: string,
    readonly extra: {
      context?: Record<string, string[]>
      errors?: ErrorDetail[]
      subCategory?: string
      links?: Record<string, string>
      /** Replaces the standard body entirely (429s and OAuth errors have their own shapes). */
      body?: Record<string, unknown>
      headers?: Record<string, string>
    } = {},
  ) {
    super(message)
  }

  toBody(correlationId: string): Record<string, unknown> {
    if (this.extra.body) return { ...this.extra.body, correlationId }
    const { context, errors, subCategory, links } = this.extra
    return {
      status: 'error',
      message: this.message,
      correlationId,
      ...(errors ? { errors } : {}),
      ...(context ? { context } : {}),
      ...(links ? { links } : {}),
      ...(subCategory ? { subCategory } : {}),
      category: this.category,
    }
  }
}

export const newCorrelationId = (): string => randomUUID()

export const notFound = (id: string): HubSpotError =>
  // Verbatim from hubspot-api-nodejs#669 (note the double space).
  new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  })

export const validation = (message: string, errors?: ErrorDetail[], context?: Record<string, string[]>): HubSpotError =>
  new HubSpotError(400, 'VALIDATION_ERROR', message, { errors, context })

export const AUTH_MISSING_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'

export const invalidAuth = (): HubSpotError =>
  new HubSpotError(401, 'INVALID_AUTHENTICATION', AUTH_MISSING_MESSAGE, {
    headers: { 'x-hubspot-auth-failure': '401 Unauthorized' },
  })

export const expiredAuth = (secondsAgo: number): HubSpotError =>
  new HubSpotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${secondsAgo} second(s) ago.`, {
    headers: { 'x-hubspot-auth-failure': '401 Unauthorized' },
  })

// Verbatim shape of HubSpot's answer to a token without the scope a call needs (403).
export const missingScopes = (anyOf: string[]): HubSpotError =>
  new HubSpotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: anyOf } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
  })
