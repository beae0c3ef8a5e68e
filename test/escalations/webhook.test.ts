/**
 * Webhook delivery against a local HTTP server that can be down (connections cut), failing
 * (503) or up. Backoff runs on a SimClock: the test moves time, the poster never sleeps.
 */
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { createMemoryEscalationStore } from '../../src/adapters/memory/escalations.js'
import { SimClock } from '../../src/domain/clock.js'
import type { EscalationStore } from '../../src/domain/escalations.js'
import { createLogger } from '../../src/domain/log.js'
import { EscalationService } from '../../src/escalations/service.js'
import { backoffDelay, WebhookPoster, type WebhookOptions } from '../../src/escalations/webhook.js'
import { waitUntil } from '../helpers/async.js'

type Mode = 'up' | 'down' | 'failing'
interface Received {
  headers: IncomingHttpHeaders
  body: { id: string; type: string; escalation: { id: string; status: string; version: number; citizen: unknown }; change: { seq: number; from: string | null; to: string } }
  raw: string
}

async function webhookServer(t: Test) {
  const state = { mode: 'up' as Mode, received: [] as Received[], hits: 0, failFor: new Set<string>() }
  const server = createServer((req, res) => {
    state.hits++
    if (state.mode === 'down') {
      req.socket.destroy()
      return
    }
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString()))
    req.on('end', () => {
      const body = JSON.parse(raw) as Received['body']
      if (state.mode === 'failing' || state.failFor.has(body.escalation.id)) {
        res.writeHead(503).end()
        return
      }
      state.received.push({ headers: req.headers, body, raw })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/escalations`, state }
}

const citizen = { reference: 'RSSMRA80A01H501U', name: 'Mario Rossi', phone: '+393331234567' }

async function setup(t: Test, over: Partial<WebhookOptions> = {}, store: EscalationStore = createMemoryEscalationStore(), clock = new SimClock()) {
  const hook = await webhookServer(t)
  const lines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } })
  const options: WebhookOptions = { url: hook.url, maxAttempts: 5, retryBaseMs: 1000, retryMaxMs: 8000, timeoutMs: 5000, ...over }
  const poster = new WebhookPoster({ store, clock, log, options })
  const service = new EscalationService({ store, clock, log })
  return { hook, store, clock, poster, service, lines, options }
}

t.test('backoff: base, doubling, capped', async (t) => {
  t.same([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 8000)), [1000, 2000, 4000, 8000, 8000, 8000])
  t.equal(backoffDelay(200, 1000, 300_000), 300_000, 'no overflow')
})

t.test('a failing webhook is retried with exponential backoff until it answers, same idempotency key each time', async (t) => {
  const { hook, clock, poster, service, store } = await setup(t)
  hook.state.mode = 'failing'
  const e = await service.createTicket({ section: 'pensions', subject: 'Arrears', citizen }, 'op101')
  const t0 = clock.now()
  t.same(await poster.runOnce(), { delivered: 0, failed: 1, setAside: 0 }, 'attempt 1 fails')
  t.same(await poster.runOnce(), { delivered: 0, failed: 0, setAside: 0 }, 'not due again at once')
  clock.advance(999)
  t.same(await poster.runOnce(), { delivered: 0, failed: 0, setAside: 0 }, 'not before 1 s')
  clock.advance(1)
  t.same(await poster.runOnce(), { delivered: 0, failed: 1, setAside: 0 }, 'attempt 2 at +1 s fails')
  clock.advance(1999)
  t.same(await poster.runOnce(), { delivered: 0, failed: 0, setAside: 0 }, 'then waits 2 s')
  hook.state.mode = 'up'
  clock.advance(1)
  t.same(await poster.runOnce(), { delivered: 1, failed: 0, setAside: 0 }, 'attempt 3 at +3 s delivered')
  t.equal(clock.now() - t0, 3000)
  t.equal(hook.state.hits, 3)
  const [got] = hook.state.received
  t.equal(got!.headers['idempotency-key'], e.history[0]!.changeId)
  t.equal(got!.headers['x-centralino-delivery-attempt'], '3')
  t.equal(got!.headers['x-centralino-event'], 'escalation.created')
  t.match(got!.body, { id: e.history[0]!.changeId, type: 'escalation.created', escalation: { id: e.id, kind: 'ticket', status: 'open', version: 1, section: 'pensions', citizen }, change: { seq: 1, by: 'op101', from: null, to: 'open' } })
  t.notOk('history' in got!.body.escalation, 'one change per delivery, not the whole history')
  t.equal(await store.outbox.pendingCount(), 0, 'the outbox is empty')
  t.same(await poster.drain(), { delivered: 0, failed: 0, setAside: 0 }, 'nothing is sent twice')
})

t.test('the outbox keeps every change while the webhook is down, then delivers them in order (also from a new poster)', async (t) => {
  const { hook, clock, poster, service, store, options, lines } = await setup(t)
  hook.state.mode = 'down'
  const a = await service.createTicket({ section: 'income_support', subject: 'Benefit stopped', citizen }, 'op101')
  await poster.drain()
  clock.advance(500)
  await service.changeStatus(a.id, 'in_charge', 'consultant', 'taken')
  clock.advance(500)
  await service.changeStatus(a.id, 'closed', 'consultant', 'solved')
  const b = await service.createAppointment({ startsAt: clock.now() + 86_400_000, office: 'Napoli', citizen }, 'op102')
  // Hours of outage: attempts back off up to the cap, nothing is lost.
  for (let i = 0; i < 3; i++) {
    clock.advance(options.retryMaxMs)
    await poster.drain()
  }
  t.equal(hook.state.received.length, 0, 'nothing got through')
  t.equal(await store.outbox.pendingCount(), 4, 'all four changes wait')
  t.ok(hook.state.hits >= 4, 'it kept trying')

  // The engine restarts: a new poster on the same store carries on.
  hook.state.mode = 'up'
  const again = new WebhookPoster({ store, clock, log: createLogger({ level: 'silent' }), options })
  clock.advance(options.retryMaxMs)
  t.same(await again.drain(), { delivered: 4, failed: 0, setAside: 0 })
  const ofA = hook.state.received.filter((r) => r.body.escalation.id === a.id).map((r) => [r.body.change.seq, r.body.change.to, r.body.escalation.status])
  t.same(ofA, [
    [1, 'open', 'open'],
    [2, 'in_charge', 'in_charge'],
    [3, 'closed', 'closed'],
  ], "escalation A's changes in order, each with the status it set")
  t.equal(hook.state.received.filter((r) => r.body.escalation.id === b.id).length, 1)
  t.equal(new Set(hook.state.received.map((r) => r.headers['idempotency-key'])).size, 4, 'one key per change')
  t.equal(await store.outbox.pendingCount(), 0)
  const logged = lines.join('')
  t.match(logged, /will retry/, 'failures are logged')
  for (const secret of ['RSSMRA80A01H501U', 'Mario', '3331234567']) t.notOk(logged.includes(secret), `no ${secret} in the logs`)
})

t.test("one escalation's failing change does not hold the others back; after maxAttempts it is set aside, kept and re-queueable", async (t) => {
  const { hook, clock, poster, service, store } = await setup(t, { maxAttempts: 3 })
  const bad = await service.createTicket({ section: 'pensions', subject: 'rejected by the receiver', citizen }, 'op')
  await service.changeStatus(bad.id, 'in_charge', 'op')
  const good = await service.createTicket({ section: 'contributions', subject: 'fine', citizen }, 'op')
  hook.state.failFor.add(bad.id)
  t.same(await poster.drain(), { delivered: 1, failed: 1, setAside: 0 }, 'the other escalation is delivered at once')
  t.same(hook.state.received.map((r) => r.body.escalation.id), [good.id])
  clock.advance(1000)
  await poster.drain()
  clock.advance(2000)
  t.same(await poster.drain(), { delivered: 0, failed: 1, setAside: 1 }, 'third attempt fails: set aside, and its next change is tried')
  const aside = await store.outbox.listSetAside()
  t.match(aside, [{ escalationId: bad.id, seq: 1, attempts: 2, lastError: 'HTTP 503' }])
  t.equal(await store.outbox.pendingCount(), 1, 'the in_charge change still waits')

  hook.state.failFor.clear()
  clock.advance(1000)
  t.same(await poster.drain(), { delivered: 1, failed: 0, setAside: 0 })
  t.ok(await store.outbox.requeue(aside[0]!.changeId, clock.now()), 'a supervisor re-queues it')
  t.notOk(await store.outbox.requeue(aside[0]!.changeId, clock.now()), 'only once')
  t.same(await poster.drain(), { delivered: 1, failed: 0, setAside: 0 })
  t.same(hook.state.received.filter((r) => r.body.escalation.id === bad.id).map((r) => r.body.change.seq), [2, 1], 'late, but delivered: the version tells the receiver which is newer')
  t.same(await store.outbox.listSetAside(), [])
})

t.test('signature: HMAC-SHA256 of the body with the shared secret', async (t) => {
  const { hook, poster, service } = await setup(t, { secret: 's3cret' })
  await service.createTicket({ section: 'pensions', subject: 'x', citizen }, 'op')
  await poster.drain()
  const [got] = hook.state.received
  t.equal(got!.headers['x-centralino-signature'], `sha256=${createHmac('sha256', 's3cret').update(got!.raw).digest('hex')}`)
})

t.test('a claimed change is hidden from other pollers for the lease, then offered again (its poster died)', async (t) => {
  const store = createMemoryEscalationStore()
  const clock = new SimClock()
  const service = new EscalationService({ store, clock, log: createLogger({ level: 'silent' }) })
  await service.createTicket({ section: 'pensions', subject: 'x', citizen }, 'op')
  const first = await store.outbox.claimDue(clock.now(), 10, 20_000)
  t.equal(first.length, 1)
  t.same(await store.outbox.claimDue(clock.now(), 10, 20_000), [], 'another engine does not get it')
  clock.advance(20_000)
  t.same((await store.outbox.claimDue(clock.now(), 10, 20_000)).map((x) => x.changeId), [first[0]!.changeId], 'after the lease it is due again')
})

t.test('started, the poster delivers as changes are made and polls on the clock', async (t) => {
  const { hook, clock, store, options } = await setup(t)
  const log = createLogger({ level: 'silent' })
  const poster = new WebhookPoster({ store, clock, log, options: { ...options, pollMs: 1000 } })
  const service = new EscalationService({ store, clock, log, onChange: () => poster.kick() })
  poster.start()
  t.teardown(() => poster.stop())
  await service.createTicket({ section: 'pensions', subject: 'x', citizen }, 'op')
  await waitUntil(() => hook.state.received.length === 1, 10_000, 'first delivery')
  hook.state.mode = 'failing'
  await service.createTicket({ section: 'pensions', subject: 'y', citizen }, 'op')
  await waitUntil(async () => hook.state.hits === 2 && (await store.outbox.pendingCount()) === 1, 10_000, 'a failed attempt')
  await poster.idle()
  hook.state.mode = 'up'
  // The poll timer runs on the simulated clock: the retry happens when time reaches it.
  clock.advance(999)
  await poster.idle()
  t.equal(hook.state.hits, 2, 'not before the backoff')
  clock.advance(1)
  await waitUntil(() => hook.state.received.length === 2, 10_000, 'second delivery')
  await poster.stop()
  t.equal(await store.outbox.pendingCount(), 0)
})
