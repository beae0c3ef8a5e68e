/**
 * Errors with a stable code. Every error the engine raises on purpose is an AppError, so
 * logs, the CLI and the HTTP API can report a code that does not change with the wording.
 */

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'FLOW_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TOO_MANY_REQUESTS'
  | 'ARI_HTTP'
  | 'ARI_TIMEOUT'
  | 'ARI_UNAVAILABLE'
  | 'ARI_EVENT_INVALID'
  | 'BACKOFFICE_FAILED'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AppError'
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code)
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** HTTP status carried by an ARI_HTTP error (details.status), if any. */
export function httpStatus(e: unknown): number | undefined {
  if (!isAppError(e, 'ARI_HTTP')) return undefined
  const status = (e.details as { status?: unknown } | undefined)?.status
  return typeof status === 'number' ? status : undefined
}

/** The object asked for does not exist (any more) in Asterisk. */
export function isNotFound(e: unknown): boolean {
  return httpStatus(e) === 404
}
