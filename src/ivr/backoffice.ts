/**
 * The back office over HTTP, for service nodes: each named action is a GET (params in the
 * query string) or a POST (params as a JSON body) to baseUrl + path ({param} placeholders in the
 * path are filled and removed from the rest). A JSON object reply becomes string variables.
 * A non-2xx status, a timeout, a network error or a reply that is not a JSON object is an
 * AppError BACKOFFICE_FAILED, so the flow takes its failure branch. Params are never logged.
 */
import { fromPromise } from 'xstate'
import type { BackOfficeConfig } from '../config/engine-schema.js'
import { AppError, errorMessage } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import type { BackOfficeInput, BackOfficeOutput } from './types.js'

export interface HttpBackOfficeOptions {
  /** Defaults to the global fetch (undici). */
  fetch?: typeof fetch
  logger?: Logger
}

export type BackOfficeCall = (input: BackOfficeInput, signal?: AbortSignal) => Promise<BackOfficeOutput>

export function createHttpBackOffice(cfg: BackOfficeConfig, opts: HttpBackOfficeOptions = {}): BackOfficeCall {
  const doFetch = opts.fetch ?? fetch
  return async (input, signal) => {
    const action = cfg.actions[input.action]
    if (!action) throw new AppError('BACKOFFICE_FAILED', `unknown back-office action '${input.action}'`)
    const params = { ...input.params }
    const path = action.path.replace(/\{([A-Za-z0-9_-]+)\}/g, (_, name: string) => {
      const v = params[name] ?? ''
      delete params[name]
      return encodeURIComponent(v)
    })
    const url = new URL(cfg.baseUrl.replace(/\/+$/, '') + path)
    const init: RequestInit = { method: action.method, headers: { accept: 'application/json' } }
    if (action.method === 'GET') for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
    else {
      init.body = JSON.stringify(params)
      init.headers = { accept: 'application/json', 'content-type': 'application/json' }
    }
    const timeout = AbortSignal.timeout(cfg.timeoutMs)
    init.signal = signal ? AbortSignal.any([signal, timeout]) : timeout
    const started = Date.now()
    let res: Response
    try {
      res = await doFetch(url, init)
    } catch (err) {
      const timedOut = timeout.aborted
      opts.logger?.warn({ action: input.action, timedOut, err: errorMessage(err) }, 'back-office call failed')
      throw new AppError('BACKOFFICE_FAILED', timedOut ? `back-office action '${input.action}' timed out after ${cfg.timeoutMs} ms` : `back-office action '${input.action}' failed: ${errorMessage(err)}`, {
        action: input.action,
        timedOut,
      })
    }
    let body: unknown
    try {
      const text = await res.text()
      body = text === '' ? {} : JSON.parse(text)
    } catch (err) {
      if (res.ok) throw new AppError('BACKOFFICE_FAILED', `back-office action '${input.action}' replied with invalid JSON`, { action: input.action, cause: errorMessage(err) })
    }
    opts.logger?.debug({ action: input.action, status: res.status, ms: Date.now() - started }, 'back-office call')
    if (!res.ok) throw new AppError('BACKOFFICE_FAILED', `back-office action '${input.action}' replied ${res.status}`, { action: input.action, status: res.status })
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError('BACKOFFICE_FAILED', `back-office action '${input.action}' did not reply with a JSON object`, { action: input.action })
    }
    return toStrings(body as Record<string, unknown>)
  }
}

function toStrings(o: Record<string, unknown>): BackOfficeOutput {
  const out: BackOfficeOutput = {}
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue
    out[k] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
  }
  return out
}

/** The backOffice actor for machine.provide({ actors: { backOffice } }); stopping the state aborts the request. */
export function backOfficeActor(call: BackOfficeCall) {
  return fromPromise<BackOfficeOutput, BackOfficeInput>(({ input, signal }) => call(input, signal))
}
