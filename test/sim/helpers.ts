/** A tiny ARI client and events socket for the simulator's behaviour tests. */
import WebSocket from 'ws'
import { ScaledClock } from '../../src/domain/clock.js'
import { startSimulator } from '../../src/sim/index.js'
import type { SimulatorOptions } from '../../src/sim/index.js'

export type Ev = Record<string, unknown> & { type: string; channel?: { id: string; state: string; name: string }; application?: string }

const AUTH = 'Basic ' + Buffer.from('engine:engine').toString('base64')

export async function startTestSim(opts: SimulatorOptions = {}, factor = 10) {
  return startSimulator({ clock: new ScaledClock(factor), ...opts })
}

export async function ari(base: string, method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: unknown }> {
  const url = new URL(`${base}/ari${path}`)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  const res = await fetch(url, {
    method,
    headers: { authorization: AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined }
}

export class Events {
  readonly list: Ev[] = []
  private waiters: Array<() => void> = []
  constructor(readonly ws: WebSocket) {
    ws.on('message', (m: Buffer) => {
      this.list.push(JSON.parse(m.toString()) as Ev)
      for (const w of this.waiters.splice(0)) w()
    })
  }

  static async open(base: string, app: string, extra = ''): Promise<Events> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ari/events?app=${app}&api_key=engine:engine${extra}`)
    const ev = new Events(ws)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return ev
  }

  /** Resolves with the first event (from index `from`) matching pred; rejects after timeoutMs. */
  async waitFor(pred: (e: Ev) => boolean, timeoutMs = 10_000, from = 0): Promise<Ev> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const found = this.list.slice(from).find(pred)
      if (found) return found
      if (Date.now() > end) throw new Error(`timed out waiting for an event; got ${this.list.map((e) => `${e.type}(${e.channel?.id ?? ''})`).join(', ')}`)
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50)
        this.waiters.push(() => {
          clearTimeout(t)
          r()
        })
      })
    }
  }

  types(channelId?: string): string[] {
    return this.list.filter((e) => channelId === undefined || e.channel?.id === channelId || (e.peer as { id?: string } | undefined)?.id === channelId).map((e) => e.type)
  }

  close(): void {
    this.ws.terminate()
  }
}

export const isType = (type: string, channelId?: string) => (e: Ev) => e.type === type && (channelId === undefined || e.channel?.id === channelId)
