/**
 * The embedded back office: a small HTTP server standing in for the agency's systems when
 * the engine runs on its embedded defaults (simulator, demo). It answers the two example
 * actions of config/centralino.yaml with plausible data and a little latency.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface EmbeddedBackOffice {
  url: string
  requests: number
  close(): Promise<void>
}

export async function startEmbeddedBackOffice(opts: { port?: number; latencyMs?: number } = {}): Promise<EmbeddedBackOffice> {
  const latency = opts.latencyMs ?? 150
  const state = { requests: 0 }
  const server = createServer((req, res) => {
    state.requests++
    readBody(req)
      .then((body) => setTimeout(() => answer(req, res, body), latency))
      .catch(() => send(res, 400, { error: 'bad request' }))
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function answer(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
  const request = String(body.request ?? '')
  if (req.method === 'POST' && req.url === '/pensions/payment-dates') {
    if (!/^\d{8}$/.test(request)) return send(res, 404, { error: 'unknown request number' })
    // Deterministic from the number: the same citizen hears the same answer.
    const n = Number(request.slice(-4))
    return send(res, 200, { day: 1 + (n % 28), month: 1 + (n % 12), amount: 600 + (n % 900) })
  }
  if (req.method === 'POST' && req.url === '/certificates/send') {
    if (!/^\d{6,10}$/.test(request)) return send(res, 404, { error: 'unknown certificate request' })
    return send(res, 200, { sent: 'true', channel: 'pec' })
  }
  send(res, 404, { error: 'no such action' })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  if (chunks.length === 0) return {}
  const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}
}
