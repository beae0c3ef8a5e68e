/**
 * Replays a trace against a running simulator: opens and closes websockets as the trace
 * does, sends every request with the trace's ids, credentials and bodies, each no earlier
 * than its (scaled) trace time and only after the events that preceded it in the trace have
 * arrived on their sockets (bounded wait), and records what came back.
 */
import WebSocket from 'ws'
import type { TraceLine } from './trace.js'

export interface GotResponse {
  status: number
  headers: Record<string, string>
  text: string
}

export interface GotSocket {
  events: Array<Record<string, unknown>>
  /** Events other than DeviceStateChanged (whose count Asterisk does not keep stable). */
  counted: number
  rejected?: GotResponse
  ws?: WebSocket
}

export interface ReplayResult {
  sockets: Map<string, GotSocket>
  responses: Map<number, GotResponse>
  problems: string[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (!pred()) {
    if (Date.now() > end) return false
    await sleep(5)
  }
  return true
}

function connect(url: string, sock: GotSocket): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    sock.ws = ws
    ws.on('message', (m: Buffer) => {
      const e = JSON.parse(m.toString()) as Record<string, unknown>
      sock.events.push(e)
      if (e.type !== 'DeviceStateChanged') sock.counted++
    })
    ws.on('open', () => resolve())
    ws.on('unexpected-response', (_req, res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => {
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v
        sock.rejected = { status: res.statusCode ?? 0, headers, text }
        resolve()
      })
    })
    ws.on('error', () => resolve())
  })
}

export interface ReplayOptions {
  baseUrl: string
  factor: number
  eventWaitMs?: number
}

export async function replay(lines: TraceLine[], o: ReplayOptions): Promise<ReplayResult> {
  const sockets = new Map<string, GotSocket>()
  const responses = new Map<number, GotResponse>()
  const problems: string[] = []
  const seen = new Map<string, number>()
  const waitMs = o.eventWaitMs ?? 4000
  const start = Date.now()
  const wsBase = o.baseUrl.replace(/^http/, 'ws')
  const awaitPreceding = async (line: number): Promise<void> => {
    for (const [tag, n] of seen) {
      const s = sockets.get(tag)
      if (!s) continue
      const ok = await waitFor(() => s.counted >= n, waitMs)
      if (!ok) problems.push(`line ${line}: before this step socket ${tag} had ${s.counted} events, the trace had ${n} (DeviceStateChanged not counted)`)
    }
  }
  for (const l of lines) {
    switch (l.kind) {
      case 'event': {
        const tag = String(l.app)
        if ((l.event as { type?: string }).type !== 'DeviceStateChanged') seen.set(tag, (seen.get(tag) ?? 0) + 1)
        break
      }
      case 'ws-connect': {
        await awaitPreceding(l.line)
        const u = new URL(String(l.url))
        const sock: GotSocket = { events: [], counted: 0 }
        sockets.set(String(l.tag), sock)
        await connect(`${wsBase}${u.pathname}${u.search}`, sock)
        break
      }
      case 'ws-client-close': {
        await awaitPreceding(l.line)
        const s = sockets.get(String(l.app))
        if (s?.ws && s.ws.readyState === WebSocket.OPEN) {
          const ws = s.ws
          await new Promise<void>((r) => {
            ws.once('close', () => r())
            ws.close(1000)
          })
        }
        break
      }
      case 'request': {
        await sleep(start + l.t / o.factor - Date.now())
        await awaitPreceding(l.line)
        const url = new URL(`${o.baseUrl}${String(l.path)}`)
        for (const [k, v] of Object.entries((l.query as Record<string, string> | undefined) ?? {})) url.searchParams.append(k, v)
        const headers: Record<string, string> = {}
        const auth = l.auth as string | undefined
        if (auth === undefined) headers.authorization = 'Basic ' + Buffer.from('engine:engine').toString('base64')
        else if (auth !== 'none') headers.authorization = 'Basic ' + Buffer.from(auth).toString('base64')
        let body: string | undefined
        if (l.body !== undefined) body = JSON.stringify(l.body)
        if (l.rawBody !== undefined) body = String(l.rawBody)
        if (body !== undefined) headers['content-type'] = 'application/json'
        const res = await fetch(url, { method: String(l.method), headers, body })
        const text = await res.text()
        const h: Record<string, string> = {}
        res.headers.forEach((v, k) => (h[k] = v))
        responses.set(Number(l.req), { status: res.status, headers: h, text })
        break
      }
      case 'end':
        await awaitPreceding(l.line)
        break
      default:
        break
    }
  }
  // let late events arrive (e.g. after the last close), then close everything
  await sleep(50)
  for (const s of sockets.values()) if (s.ws && s.ws.readyState === WebSocket.OPEN) s.ws.terminate()
  return { sockets, responses, problems }
}
