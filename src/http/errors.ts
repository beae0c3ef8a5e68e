/**
 * One error shape for every answer that is not a success:
 *   { "error": { "code": "<ErrorCode>", "message": "...", "details": ... } }
 * Codes are those of domain/errors.ts; the status follows from the code. Schema validation
 * failures are 400 BAD_REQUEST with details.errors listing each failing path (/body/x,
 * /querystring/y); malformed bodies are 400 too, without echoing them; anything unexpected is
 * 500 INTERNAL with a fixed message (the error goes to the log, never a stack to the client).
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError, type ErrorCode } from '../domain/errors.js'
import { redactText } from '../domain/redact.js'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code (BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, INTERNAL, ...)' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error, whatever the route' },
)
export type ErrorBody = Static<typeof ErrorResponse>

/** Error statuses documented on every route. */
export const errorResponses = {
  '4xx': Type.Ref(ErrorResponse),
  '5xx': Type.Ref(ErrorResponse),
}

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  CONFIG_INVALID: 400,
  FLOW_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  ARI_EVENT_INVALID: 500,
  ARI_HTTP: 502,
  BACKOFFICE_FAILED: 502,
  ARI_TIMEOUT: 503,
  ARI_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
}

export function statusOfCode(code: ErrorCode): number {
  return STATUS[code] ?? 500
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } }
}

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params?: Record<string, unknown>
}

/** The failing paths of a schema validation, as /<part>/<json pointer>. */
export function validationDetails(context: string | undefined, errors: readonly AjvError[]): Array<{ path: string; message: string }> {
  const part = context ? `/${context}` : ''
  const seen = new Set<string>()
  return errors.flatMap((e) => {
    const extra = e.keyword === 'required' ? e.params?.missingProperty : e.keyword === 'additionalProperties' ? e.params?.additionalProperty : undefined
    const path = `${part}${e.instancePath}${typeof extra === 'string' ? `/${extra}` : ''}`
    const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not allowed' : (e.message ?? 'is invalid')
    // One entry per path and message (alternatives of a union fail one by one).
    if (seen.has(`${path}\u0000${message}`)) return []
    seen.add(`${path}\u0000${message}`)
    return [{ path, message }]
  })
}

/** Fixed messages for the framework's own client errors (their texts may quote the body). */
function clientErrorMessage(e: FastifyError, status: number): string {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported content type: send application/json'
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body too large'
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'empty JSON body'
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'invalid content length'
    default:
      if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'malformed JSON body'
      return status === 404 ? 'not found' : status === 405 ? 'method not allowed' : 'malformed request'
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.addSchema(ErrorResponse)
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const details = validationDetails(err.validationContext, err.validation as AjvError[])
      const first = details[0]
      return reply.status(400).send(errorBody('BAD_REQUEST', first ? `invalid request: ${first.path} ${first.message}` : 'invalid request', { errors: details }))
    }
    if (isAppError(err)) {
      const status = statusOfCode(err.code)
      if (status >= 500) req.log.error({ err, code: err.code }, 'request failed')
      const message = status >= 500 ? redactText(err.message) : err.message
      const retry = (err.details as { retryAfterSec?: unknown } | undefined)?.retryAfterSec
      if (status === 429 && typeof retry === 'number') void reply.header('retry-after', String(retry))
      return reply.status(status).send(errorBody(err.code, message, status >= 500 ? undefined : err.details))
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500
    if (status >= 400 && status < 500) {
      const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 409 ? 'CONFLICT' : 'BAD_REQUEST'
      return reply.status(status).send(errorBody(code, clientErrorMessage(err, status)))
    }
    req.log.error({ err }, 'request failed')
    return reply.status(500).send(errorBody('INTERNAL', 'internal error'))
  })
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(errorBody('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`))
  })
}

/** Throws NOT_FOUND / CONFLICT / ... as AppError (for handlers). */
export function fail(code: ErrorCode, message: string, details?: unknown): never {
  throw new AppError(code, message, details)
}
