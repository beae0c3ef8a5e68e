/**
 * Small fake ARI servers for the adapter's tests (not the simulator): an HTTP server that
 * records every request (raw path, decoded query, JSON body) and counts TCP connections, and
 * an events server (node:http + ws) that can refuse upgrades, stop answering pings, be
 * killed and restarted on the same port, and push frames to its clients.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface Recorded {
  method: string
  /** The path exactly as sent, without the query string. */
  path: string
  /** The raw query string (without '?'), as sent. */
  rawQuery: string
  /** Query parameters decoded as Asterisk does ('+' is a space). */
  query: Record<string, string>
  body: unknown
  headers: IncomingMessage['headers']
}

export type Handler = (r: Recorded, res: ServerResponse) => void | Promise<void>

export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0' })
    res.end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/html'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function decodeQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!raw) return out
  for (const part of raw.split('&')) {
    const i = part.indexOf('=')
    const k = i < 0 ? part : part.slice(0, i)
    const v = i < 0 ? '' : part.slice(i + 1)
    out[decodeURIComponent(k.replace(/\+/g, ' '))] = decodeURIComponent(v.replace(/\+/g, ' '))
  }
  return out
}

export interface FakeHttp {
  url: string
  port: number
  requests: Recorded[]
  /** TCP connections accepted so far. */
  connections(): number
  /** Connections open right now. */
  open(): number
  close(): Promise<void>
}

export async function startFakeHttp(handler: Handler): Promise<FakeHttp> {
  const requests: Recorded[] = []
  let accepted = 0
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = undefined
      if (text) {
        try {
          body = JSON.parse(text)
        } catch {
          body = text
        }
      }
      const rec: Recorded = {
        method: req.method ?? '',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        query: decodeQuery(q < 0 ? '' : url.slice(q + 1)),
        body,
        headers: req.headers,
      }
      requests.push(rec)
      void Promise.resolve(handler(rec, res)).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(e) })
      })
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (s: Socket) => {
    accepted++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export interface FakeEventsOptions {
  username?: string
  password?: string
}

/** The events side of a fake Asterisk: /ari/events upgrades with Basic auth. */
export class FakeEvents {
  /** Upgrade requests seen (accepted or not). */
  upgrades = 0
  /** Accepted websocket connections. */
  accepted = 0
  pings = 0
  /** When false, pings get no pong. */
  answerPings = true
  /** When set, upgrades are refused with this status. */
  refuseWith: number | undefined
  lastUrl = ''
  readonly clients = new Set<WebSocket>()
  private server: http.Server | undefined
  private readonly sockets = new Set<Socket>()
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false })
  port = 0

  constructor(private readonly o: FakeEventsOptions = {}) {}

  /** Changes the password the server accepts (as after an ari.conf reload). */
  setPassword(password: string): void {
    this.o.password = password
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async listen(port = 0): Promise<void> {
    const server = http.createServer((_req, res) => sendText(res, 426, '<html><title>426 Upgrade Required</title></html>'))
    server.on('connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.upgrades++
    this.lastUrl = req.url ?? ''
    const want = 'Basic ' + Buffer.from(`${this.o.username ?? 'engine'}:${this.o.password ?? 'engine'}`).toString('base64')
    const status = req.headers.authorization !== want ? 401 : this.refuseWith
    if (status !== undefined) {
      const body = JSON.stringify({ message: status === 401 ? 'Authentication required' : 'Service Unavailable' })
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Refused'}\r\n` +
          'content-type: application/json\r\n' +
          'www-authenticate: Basic realm="Asterisk REST Interface"\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      )
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accepted++
      this.clients.add(ws)
      ws.on('ping', (data) => {
        this.pings++
        if (this.answerPings) ws.pong(data)
      })
      ws.on('close', () => this.clients.delete(ws))
    })
  }

  /** Sends a frame (an object is JSON-encoded) to every connected client. */
  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    for (const c of this.clients) c.send(text)
  }

  /** Cuts every client and closes the listening port. */
  async kill(): Promise<void> {
    for (const c of this.clients) c.terminate()
    this.clients.clear()
    for (const s of this.sockets) s.destroy()
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Cuts the clients but keeps listening. */
  dropClients(): void {
    for (const c of this.clients) c.terminate()
  }

  async restart(): Promise<void> {
    await this.listen(this.port)
  }

  async close(): Promise<void> {
    await this.kill()
    this.wss.close()
  }
}

/** A free TCP port with nothing listening on it (for "connection refused"). */
export async function closedPort(): Promise<number> {
  const s = http.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}
