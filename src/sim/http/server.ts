/**
 * The HTTP side of the simulator: /ari REST (auth, body parsing, routing, 404/405), the
 * generated /ari/api-docs, 426 for /ari/events without an upgrade, and Asterisk's HTML 404
 * outside /ari. HTTP/1.1 keep-alive as Asterisk's http.conf default (15 s).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Sim } from '../core.js'
import { apiDoc, resourcesDoc } from '../api-docs.js'
import type { RouteSpec } from '../routes/types.js'
import { authenticate } from './auth.js'
import { Params } from './params.js'
import { AUTH_HEADER, sendError, sendHtmlError, sendJson } from './responses.js'
import type { Router } from './router.js'

const MAX_BODY = 1 << 20

export interface HttpDeps {
  sim: Sim
  router: Router
  routes: RouteSpec[]
  users: Record<string, string>
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(undefined))
  })
}

export function createHttpServer(d: HttpDeps): Server {
  const server = createServer((req, res) => {
    handle(d, req, res).catch((e: unknown) => {
      d.sim.logger.error({ err: e }, 'simulator request failed')
      if (!res.headersSent) sendError(res, 500, 'Internal Server Error')
    })
  })
  server.keepAliveTimeout = 15_000
  return server
}

async function handle(d: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { sim } = d
  sim.httpRequests++
  const url = new URL(req.url ?? '/', 'http://sim')
  const path = url.pathname
  const body = await readBody(req)
  if (path !== '/ari' && !path.startsWith('/ari/')) return sendHtmlError(res, 404, 'Not Found', 'The requested URL was not found on this server.')
  if (!authenticate(d.users, req.headers, url.searchParams.get('api_key'))) return sendError(res, 401, 'Authentication required', [AUTH_HEADER])
  const rel = path.slice(4)
  const method = req.method ?? 'GET'
  if (rel.startsWith('/api-docs/')) {
    const base = `http://${req.headers.host ?? 'localhost'}/ari`
    const name = rel.slice('/api-docs/'.length)
    const doc = name === 'resources.json' ? resourcesDoc(d.routes, base) : name.endsWith('.json') ? apiDoc(d.routes, name.slice(0, -5), base) : undefined
    if (!doc) return sendError(res, 404, 'Resource not found')
    return sendJson(res, 200, JSON.stringify(doc))
  }
  const query = new URLSearchParams(url.searchParams)
  query.delete('api_key')
  let json: Record<string, unknown> | undefined
  const ctype = String(req.headers['content-type'] ?? '')
  if (body && body.trim() !== '') {
    if (/application\/json/i.test(ctype)) {
      try {
        const parsed: unknown = JSON.parse(body)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>
      } catch {
        return sendError(res, 400, 'Error parsing request body')
      }
    } else if (/application\/x-www-form-urlencoded/i.test(ctype)) {
      for (const [k, v] of new URLSearchParams(body)) query.append(k, v)
    }
  }
  let segments: string[]
  try {
    segments = rel.split('/').slice(1).map((s) => decodeURIComponent(s))
  } catch {
    return sendError(res, 404, 'Resource not found')
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop()
  const m = d.router.match(method === 'OPTIONS' ? 'GET' : method, segments)
  if (!m) return sendError(res, 404, 'Resource not found')
  if ('allowed' in m || method === 'OPTIONS') {
    const allowed = 'allowed' in m ? m.allowed : d.routes.filter((r) => r.path === m.route.path).map((r) => r.method)
    const allow: [string, string] = ['Allow', ['OPTIONS', ...allowed].join(',')]
    if (method === 'OPTIONS') return sendJson(res, 204, undefined, [allow])
    return sendError(res, 405, 'Invalid method', [allow])
  }
  if (m.route.path === '/events') return sendHtmlError(res, 426, 'Upgrade Required', '')
  const result = await m.route.handle({ sim, path: m.params, p: new Params(query, json) })
  sendJson(res, result.status, result.json, result.headers)
}
