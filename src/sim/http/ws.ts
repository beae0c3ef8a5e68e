/**
 * The events websocket (/ari/events?app=a[,b]&subscribeAll=): authentication (401 refusal
 * with Asterisk's JSON body), app registration before the handshake completes (so a
 * replaced socket gets ApplicationReplaced first; it is not closed and gets nothing more),
 * and unregistration when the socket closes (the app's channels stay in Stasis; events for
 * them are dropped until a socket registers the app again).
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Sim } from '../core.js'
import type { EventSink } from '../apps.js'
import { authenticate } from './auth.js'
import { SERVER } from './responses.js'

class Session implements EventSink {
  ws: WebSocket | undefined
  private pending: string[] | undefined = []
  constructor(readonly apps: string[]) {}

  send(text: string): void {
    if (this.pending) this.pending.push(text)
    else if (this.ws && this.ws.readyState === this.ws.OPEN) this.ws.send(text)
  }

  attach(ws: WebSocket): void {
    this.ws = ws
    const p = this.pending ?? []
    this.pending = undefined
    for (const t of p) ws.send(t)
  }
}

function refuse(socket: Duplex, status: number, reason: string, body: string, extra: string[] = []): void {
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    `Server: ${SERVER}`,
    'Cache-Control: no-cache, no-store',
    ...extra,
    'Content-type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ]
  socket.end(lines.join('\r\n'))
}

export class EventSockets {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  private readonly sessions = new Set<Session>()

  constructor(
    private readonly sim: Sim,
    private readonly users: Record<string, string>,
  ) {}

  /** Handles an HTTP upgrade; false when the path is not /ari/events. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim')
    if (url.pathname !== '/ari/events') return refuse(socket, 404, 'Not Found', JSON.stringify({ message: 'Resource not found' }))
    if (!authenticate(this.users, req.headers, url.searchParams.get('api_key'))) {
      return refuse(socket, 401, 'Unauthorized', JSON.stringify({ message: 'Authentication required' }), ['WWW-Authenticate: Basic realm="Asterisk REST Interface"'])
    }
    const apps = url.searchParams
      .getAll('app')
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter(Boolean)
    if (apps.length === 0) return refuse(socket, 400, 'Bad Request', JSON.stringify({ message: "Missing param 'app'" }))
    const subscribeAll = /^(yes|true|y|t|1|on)$/i.test(url.searchParams.get('subscribeAll') ?? '')
    const session = new Session([...new Set(apps)])
    for (const name of session.apps) {
      const replaced = this.sim.apps.register(name, session, subscribeAll)
      if (replaced && replaced !== session) {
        const app = this.sim.apps.get(name)!
        this.sim.bus.applicationReplaced(app, replaced)
        if (replaced instanceof Session) {
          const i = replaced.apps.indexOf(name)
          if (i >= 0) replaced.apps.splice(i, 1)
        }
      }
    }
    this.sessions.add(session)
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      session.attach(ws)
      ws.on('close', () => this.closed(session))
      ws.on('error', () => ws.terminate())
    })
  }

  private closed(session: Session): void {
    if (!this.sessions.delete(session)) return
    for (const name of session.apps.splice(0)) this.sim.apps.unregister(name)
  }

  /** Abruptly terminates every events socket (a network drop). */
  dropAll(): void {
    for (const s of [...this.sessions]) s.ws?.terminate()
  }

  close(): void {
    for (const s of [...this.sessions]) {
      s.ws?.terminate()
      this.closed(s)
    }
    this.wss.close()
  }
}
