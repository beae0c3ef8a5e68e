import t from 'tap'
import Fastify from 'fastify'
import { SimClock } from '../../src/domain/clock.js'
import { diffState, LiveHub, type LiveClient, type LiveState } from '../../src/http/live.js'
import { liveRoutes } from '../../src/http/routes/live.js'

/** A client that records frames; `full` makes its socket refuse more until drain() is called. */
function client() {
  const frames: Array<{ id: string; event: string; data: LiveState }> = []
  let drainCb: (() => void) | undefined
  const c = {
    full: false,
    frames,
    send(frame: string) {
      const m = /^id: (.*)\nevent: (.*)\ndata: (.*)\n\n$/.exec(frame)!
      frames.push({ id: m[1]!, event: m[2]!, data: JSON.parse(m[3]!) as LiveState })
      return !c.full
    },
    onDrain(cb: () => void) {
      drainCb = cb
    },
    drain() {
      c.full = false
      const cb = drainCb
      drainCb = undefined
      cb?.()
    },
  }
  return c satisfies LiveClient & { drain(): void }
}

/** Moves the clock and lets the hub's reads (promises) settle. */
async function tick(clock: SimClock, ms = 1000): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    clock.advance(Math.min(1000, ms - done))
    await new Promise((r) => setImmediate(r))
  }
}

t.test('diff: changed and gone keys only', async (t) => {
  t.same(diffState({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 0 }), { b: 5, d: 0, c: null })
  t.same(diffState({ a: 1 }, { a: 1 }), {})
})

t.test('snapshot first, then only what changed; nothing read without clients', async (t) => {
  const clock = new SimClock(0)
  let state: LiveState = { 'sections.pensions.waiting': 2, 'agents.ready': 1 }
  let reads = 0
  const hub = new LiveHub({ clock, read: async () => (reads++, { ...state }), intervalMs: 1000 })
  t.teardown(() => hub.stop())
  await tick(clock, 5000)
  t.equal(reads, 0, 'no clients: the picture is not read')
  const a = client()
  const off = await hub.subscribe(a)
  t.same(a.frames.map((f) => f.event), ['snapshot'])
  t.same(a.frames[0]!.data, state)
  state = { ...state, 'sections.pensions.waiting': 3 }
  await tick(clock)
  t.same(a.frames.at(-1), { id: hub.lastId, event: 'delta', data: { 'sections.pensions.waiting': 3 } })
  const before = a.frames.length
  await tick(clock, 3000)
  t.equal(a.frames.length, before, 'no change, no frame')
  off()
  const r = reads
  await tick(clock, 5000)
  t.equal(reads, r, 'last client gone: reading stops')
})

t.test('Last-Event-ID resumes with the missed deltas; an unknown or too old id gets a snapshot', async (t) => {
  const clock = new SimClock(0)
  let n = 0
  const hub = new LiveHub({ clock, read: async () => ({ n }), intervalMs: 1000, history: 3 })
  t.teardown(() => hub.stop())
  const keep = client()
  await hub.subscribe(keep)
  const a = client()
  const offA = await hub.subscribe(a)
  n = 1
  await tick(clock)
  const seen = a.frames.at(-1)!.id
  offA()
  n = 2
  await tick(clock)
  n = 3
  await tick(clock)
  const back = client()
  await hub.subscribe(back, seen)
  t.same(back.frames.map((f) => [f.event, f.data]), [['delta', { n: 2 }], ['delta', { n: 3 }]], 'exactly the missed deltas, in order')
  for (n = 4; n < 9; n++) await tick(clock)
  const late = client()
  await hub.subscribe(late, seen)
  t.same(late.frames.map((f) => f.event), ['snapshot'], 'deltas no longer held: a snapshot')
  t.equal(late.frames[0]!.data.n, 8)
  const other = client()
  await hub.subscribe(other, 'another-run.1')
  t.same(other.frames.map((f) => f.event), ['snapshot'], 'an id of another engine run: a snapshot')
})

t.test('a slow client is skipped until it drains, then gets one snapshot; the others are not held', async (t) => {
  const clock = new SimClock(0)
  let n = 0
  const hub = new LiveHub({ clock, read: async () => ({ n }), intervalMs: 1000 })
  t.teardown(() => hub.stop())
  const slow = client()
  const fast = client()
  await hub.subscribe(slow)
  await hub.subscribe(fast)
  slow.full = true
  n = 1
  await tick(clock) // this frame fills the slow client's buffer
  for (n = 2; n <= 10; n++) await tick(clock)
  t.equal(fast.frames.filter((f) => f.event === 'delta').length, 10, 'the fast client got every change')
  t.equal(slow.frames.length, 2, 'the slow one: the snapshot and the frame that filled its buffer, nothing queued after')
  slow.drain()
  t.same(slow.frames.at(-1), { id: hub.lastId, event: 'snapshot', data: { n: 10 } }, 'one snapshot covering what it missed')
})

t.test('over HTTP: text/event-stream, snapshot then a delta, Last-Event-ID honoured', async (t) => {
  const clock = new SimClock(0)
  let waiting = 1
  const hub = new LiveHub({ clock, read: async () => ({ waiting }), intervalMs: 1000 })
  const app = Fastify()
  await app.register(liveRoutes, { hub })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    hub.stop()
    await app.close()
  })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/live`
  const ctl = new AbortController()
  const res = await fetch(url, { signal: ctl.signal })
  t.match(res.headers.get('content-type'), /text\/event-stream/)
  const reader = res.body!.getReader()
  let text = ''
  const until = async (re: RegExp) => {
    while (!re.test(text)) text += new TextDecoder().decode((await reader.read()).value)
  }
  await until(/event: snapshot\ndata: \{"waiting":1\}/)
  waiting = 2
  await tick(clock)
  await until(/event: delta\ndata: \{"waiting":2\}/)
  const lastId = /id: (\S+)\nevent: delta/.exec(text)![1]!
  ctl.abort()
  waiting = 3
  await tick(clock)
  const res2 = await fetch(url, { headers: { 'last-event-id': lastId } })
  const r2 = res2.body!.getReader()
  let t2 = ''
  while (!/event: delta\ndata: \{"waiting":3\}/.test(t2)) t2 += new TextDecoder().decode((await r2.read()).value)
  t.notMatch(t2, /snapshot/, 'resumed with the delta, no snapshot')
  await r2.cancel()
})
