/**
 * Typed requests: sends an ARI request and checks the reply's shape before it is typed, so a
 * resource module never hands the engine an object that lacks the fields it reads. A reply
 * of the wrong shape is an ARI_HTTP error carrying the status, the problem and the request.
 */
import { AppError } from '../../domain/errors.js'
import type { AriHttp, AriRequest } from './http.js'
import type { Check } from './validate.js'

function bad(r: AriRequest, problem: string, body: unknown): AppError {
  return new AppError('ARI_HTTP', `unexpected ARI reply to ${r.method} ${r.path}: ${problem}`, {
    status: 200,
    body,
    method: r.method,
    path: r.path,
  })
}

/** Sends r; the reply must pass check. */
export async function requestOne<T>(http: AriHttp, r: AriRequest, check: Check): Promise<T> {
  const v = await http.request(r)
  const problem = check(v, '')
  if (problem) throw bad(r, problem, v)
  return v as T
}

/** Sends r; the reply must be a list whose every item passes check. */
export async function requestList<T>(http: AriHttp, r: AriRequest, check: Check): Promise<T[]> {
  const v = await http.request(r)
  if (!Array.isArray(v)) throw bad(r, 'not a list', v)
  for (let i = 0; i < v.length; i++) {
    const problem = check(v[i], `[${i}]`)
    if (problem) throw bad(r, problem, v[i])
  }
  return v as T[]
}

/**
 * ARI joins list parameters with commas (and Stasis splits appArgs on them), so an item that
 * contains a comma would silently become two; such input is refused before anything is sent.
 */
export function commaListError(what: string, items: readonly string[] | undefined): AppError | undefined {
  const bad = items?.find((x) => x.includes(','))
  return bad === undefined ? undefined : new AppError('BAD_REQUEST', `${what} items cannot contain a comma: ${JSON.stringify(bad)}`)
}

/** Sends r and ignores any reply body (204 or a body the port does not expose). */
export async function requestVoid(http: AriHttp, r: AriRequest): Promise<void> {
  await http.request(r)
}
