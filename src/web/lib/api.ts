/**
 * The pages' API client: the session (token from POST /api/login, kept in sessionStorage: it
 * ends with the tab), JSON requests with the bearer token, and the API's one error shape
 * ({ error: { code, message, details? } }) turned into ApiError.
 */
export interface Session {
  token: string
  user: string
  role: 'supervisor' | 'campaign_manager' | 'agent' | 'viewer'
  agentId?: string
  expiresAt: string
}

const KEY = 'centralino.session'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export function currentSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY)
    if (!raw) return undefined
    const s = JSON.parse(raw) as Session
    if (Date.parse(s.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY)
      return undefined
    }
    return s
  } catch {
    return undefined
  }
}

const listeners = new Set<() => void>()
/** Called when the session ends (logout, or the API answered 401). */
export function onSessionEnd(cb: () => void): void {
  listeners.add(cb)
}
function endSession(): void {
  sessionStorage.removeItem(KEY)
  for (const l of listeners) l()
}

export async function login(user: string, password: string): Promise<Session> {
  const s = await request<Session>('POST', '/api/login', { user, password }, { auth: false })
  sessionStorage.setItem(KEY, JSON.stringify(s))
  return s
}

export async function logout(): Promise<void> {
  try {
    await request('POST', '/api/logout')
  } finally {
    endSession()
  }
}

export function authHeader(): Record<string, string> {
  const s = currentSession()
  return s ? { authorization: `Bearer ${s.token}` } : {}
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown } } | undefined
  try {
    body = (await res.json()) as typeof body
  } catch {
    body = undefined
  }
  return new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details)
}

/**
 * A request to the API. `body`: an object is sent as JSON, a string or Blob as is (with
 * `contentType`). Answers the parsed JSON (or text when not JSON).
 */
export async function request<T = unknown>(method: string, path: string, body?: unknown, o: { auth?: boolean; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = o.auth === false ? {} : authHeader()
  let payload: BodyInit | undefined
  if (typeof body === 'string' || body instanceof Blob) {
    payload = body
    headers['content-type'] = o.contentType ?? 'text/plain'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  const res = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) })
  if (!res.ok) {
    const err = await errorOf(res)
    if (res.status === 401 && o.auth !== false) endSession()
    throw err
  }
  const type = res.headers.get('content-type') ?? ''
  return (type.includes('json') ? await res.json() : await res.text()) as T
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
}
