/**
 * Server-Sent Events read with fetch (the browser's EventSource cannot send the bearer header):
 * frames parsed as the SSE format says (id, event, data lines, blank line ends a frame), the
 * last id resent as Last-Event-ID when the stream is reopened after a drop, with the server's
 * `retry:` delay. Returns a function that closes the stream.
 */
import { authHeader } from './api.js'

export interface SseEvent {
  id: string | undefined
  event: string
  data: string
}

export interface SseHandlers {
  onEvent(e: SseEvent): void
  /** Connection state for the page (connected, reconnecting, closed by the server's 401/403). */
  onState?(state: 'open' | 'retrying' | 'denied'): void
}

/** Splits a text buffer into complete frames; returns the events and the unfinished rest. */
export function parseSse(buffer: string): { events: Array<SseEvent & { retry?: number }>; rest: string } {
  const events: Array<SseEvent & { retry?: number }> = []
  const text = buffer.replace(/\r\n?/g, '\n')
  let start = 0
  for (;;) {
    const end = text.indexOf('\n\n', start)
    if (end < 0) break
    const block = text.slice(start, end)
    start = end + 2
    let id: string | undefined
    let event = 'message'
    const data: string[] = []
    let retry: number | undefined
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue
      const i = line.indexOf(':')
      const field = i < 0 ? line : line.slice(0, i)
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
      if (field === 'id') id = value
      else if (field === 'event') event = value
      else if (field === 'data') data.push(value)
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value)
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n'), ...(retry !== undefined ? { retry } : {}) })
    else if (retry !== undefined) events.push({ id, event: 'retry', data: '', retry })
  }
  return { events, rest: text.slice(start) }
}

export function openSse(path: string, h: SseHandlers): () => void {
  let closed = false
  let lastId: string | undefined
  let retryMs = 2000
  let ctrl: AbortController | undefined
  const run = async () => {
    while (!closed) {
      ctrl = new AbortController()
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeader() }
        if (lastId) headers['last-event-id'] = lastId
        const res = await fetch(path, { headers, signal: ctrl.signal })
        if (res.status === 401 || res.status === 403) {
          h.onState?.('denied')
          return
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
        h.onState?.('open')
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buf = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          const r = parseSse(buf + value)
          buf = r.rest
          for (const e of r.events) {
            if (e.retry !== undefined) retryMs = e.retry
            if (e.id) lastId = e.id
            if (e.event !== 'retry') h.onEvent(e)
          }
        }
      } catch {
        if (closed) return
      }
      if (closed) return
      h.onState?.('retrying')
      await new Promise((r) => setTimeout(r, retryMs))
    }
  }
  void run()
  return () => {
    closed = true
    ctrl?.abort()
  }
}

/** The live picture (GET /api/live): applies snapshots and deltas to one flat map. */
export function openLive(onChange: (state: Record<string, string | number | boolean | null>) => void, onState?: SseHandlers['onState']): () => void {
  let state: Record<string, string | number | boolean | null> = {}
  return openSse('/api/live', {
    onEvent(e) {
      const data = JSON.parse(e.data) as Record<string, string | number | boolean | null>
      if (e.event === 'snapshot') state = { ...data }
      else if (e.event === 'delta') {
        state = { ...state }
        for (const [k, v] of Object.entries(data)) {
          if (v === null) delete state[k]
          else state[k] = v
        }
      } else return
      onChange(state)
    },
    ...(onState ? { onState } : {}),
  })
}
