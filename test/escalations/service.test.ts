import t from 'tap'
import { createMemoryEscalationStore } from '../../src/adapters/memory/escalations.js'
import { SimClock } from '../../src/domain/clock.js'
import { ALLOWED_TRANSITIONS, ESCALATION_STATUSES, type EscalationStatus } from '../../src/domain/escalations.js'
import { isAppError } from '../../src/domain/errors.js'
import { createLogger } from '../../src/domain/log.js'
import { changeIdOf, EscalationService } from '../../src/escalations/service.js'

function setup() {
  const store = createMemoryEscalationStore()
  const clock = new SimClock()
  const lines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } })
  const changes = { n: 0 }
  const service = new EscalationService({ store, clock, log, onChange: () => changes.n++ })
  return { store, clock, service, lines, changes }
}

const citizen = { reference: 'RSSMRA80A01H501U', name: 'Mario Rossi', phone: '+39 333 1234567' }

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError'
  }
}

t.test('a ticket: created open with its creation in the history, queued for the webhook', async (t) => {
  const { store, clock, service, changes } = setup()
  const e = await service.createTicket({ section: 'pensions', subject: 'Arrears not paid', description: 'since March', citizen, callId: 'call-1' }, 'op101')
  t.match(e, { kind: 'ticket', section: 'pensions', status: 'open', version: 1, createdBy: 'op101', createdAt: clock.now(), callId: 'call-1', citizen })
  t.same(e.history, [{ seq: 1, changeId: changeIdOf(e.id, 1), at: clock.now(), by: 'op101', from: null, to: 'open' }])
  t.same(await store.get(e.id), e, 'stored as returned')
  t.equal(await store.outbox.pendingCount(), 1, 'its creation waits for delivery')
  t.equal(changes.n, 1, 'the poster is told')
})

t.test('status changes: history of who, when, from, to, note; each one queued', async (t) => {
  const { store, clock, service } = setup()
  const e = await service.createTicket({ section: 'contributions', subject: 'Missing weeks', citizen }, 'op101')
  clock.advance(60_000)
  const taken = await service.changeStatus(e.id, 'in_charge', 'consultant7', 'called the citizen back')
  clock.advance(60_000)
  const closed = await service.changeStatus(e.id, 'closed', 'consultant7')
  t.equal(taken.status, 'in_charge')
  t.match(closed, { status: 'closed', version: 3, updatedAt: clock.now() })
  t.same(
    closed.history.map((c) => [c.seq, c.by, c.from, c.to, c.note ?? null, c.at - e.createdAt]),
    [
      [1, 'op101', null, 'open', null, 0],
      [2, 'consultant7', 'open', 'in_charge', 'called the citizen back', 60_000],
      [3, 'consultant7', 'in_charge', 'closed', null, 120_000],
    ],
  )
  t.equal(new Set(closed.history.map((c) => c.changeId)).size, 3, 'one idempotency key per change')
  t.equal(await store.outbox.pendingCount(), 3)
  const reopened = await service.changeStatus(e.id, 'open', 'sup', 'citizen called again')
  t.equal(reopened.status, 'open', 'closed -> open (reopened)')
})

t.test('invalid transitions are CONFLICT and change nothing; every pair checked against the table', async (t) => {
  for (const from of ESCALATION_STATUSES) {
    for (const to of ESCALATION_STATUSES) {
      const { store, service } = setup()
      const e = await service.createTicket({ section: 'pensions', subject: 's', citizen }, 'op')
      // Walk to `from`.
      const path: Record<EscalationStatus, EscalationStatus[]> = { open: [], in_charge: ['in_charge'], closed: ['closed'] }
      for (const s of path[from]) await service.changeStatus(e.id, s, 'op')
      const before = await store.get(e.id)
      const allowed = ALLOWED_TRANSITIONS[from].includes(to)
      const got = await code(service.changeStatus(e.id, to, 'op'))
      if (allowed) t.equal(got, undefined, `${from} -> ${to} allowed`)
      else {
        t.equal(got, 'CONFLICT', `${from} -> ${to} refused`)
        t.same(await store.get(e.id), before, 'unchanged')
      }
    }
  }
  t.same(ALLOWED_TRANSITIONS, { open: ['in_charge', 'closed'], in_charge: ['open', 'closed'], closed: ['open'] })
})

t.test('two people changing the same escalation at once: one wins, the other gets CONFLICT', async (t) => {
  const { store, service } = setup()
  const e = await service.createTicket({ section: 'pensions', subject: 's', citizen }, 'op')
  const results = await Promise.allSettled([service.changeStatus(e.id, 'in_charge', 'a'), service.changeStatus(e.id, 'closed', 'b')])
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one change applied')
  const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
  t.ok(isAppError(rejected.reason, 'CONFLICT'), 'the other is a conflict')
  t.equal((await store.get(e.id))!.version, 2)
  t.equal(await store.outbox.pendingCount(), 2, 'only the applied change is queued')
})

t.test('appointments: in the future only; unknown ids are NOT_FOUND', async (t) => {
  const { clock, service } = setup()
  const startsAt = clock.now() + 3 * 86_400_000
  const a = await service.createAppointment({ startsAt, office: 'Roma Eur', durationMin: 30, section: 'income_support', citizen: { reference: 'RSSMRA80A01H501U' } }, 'op102')
  t.match(a, { kind: 'appointment', startsAt, office: 'Roma Eur', status: 'open' })
  t.equal(await code(service.createAppointment({ startsAt: clock.now() - 1, office: 'x', citizen: { reference: 'r' } }, 'op')), 'BAD_REQUEST')
  t.equal(await code(service.createAppointment({ startsAt: Number.NaN, office: 'x', citizen: { reference: 'r' } }, 'op')), 'BAD_REQUEST')
  t.equal(await code(service.get('nope')), 'NOT_FOUND')
  t.equal(await code(service.changeStatus('nope', 'closed', 'op')), 'NOT_FOUND')
})

t.test('list: filters and newest first', async (t) => {
  const { clock, service } = setup()
  const a = await service.createTicket({ section: 'pensions', subject: 'a', citizen }, 'op1')
  clock.advance(1000)
  const b = await service.createTicket({ section: 'contributions', subject: 'b', citizen }, 'op2')
  clock.advance(1000)
  const c = await service.createAppointment({ startsAt: clock.now() + 86_400_000, office: 'Milano', citizen: { reference: 'r' } }, 'op1')
  await service.changeStatus(b.id, 'closed', 'op2')
  t.same((await service.list()).map((e) => e.id), [c.id, b.id, a.id])
  t.same((await service.list({ kind: 'ticket' })).map((e) => e.id), [b.id, a.id])
  t.same((await service.list({ status: 'open' })).map((e) => e.id), [c.id, a.id])
  t.same((await service.list({ section: 'contributions' })).map((e) => e.id), [b.id])
  t.same((await service.list({ createdBy: 'op1', limit: 1 })).map((e) => e.id), [c.id])
})

t.test("citizens' data never reaches the logs", async (t) => {
  const { service, lines } = setup()
  const e = await service.createTicket({ section: 'pensions', subject: 'Mario Rossi RSSMRA80A01H501U', citizen }, 'op')
  await service.changeStatus(e.id, 'closed', 'op', 'told Mario Rossi on +39 333 1234567')
  const all = lines.join('')
  t.ok(lines.length >= 2, 'the changes are logged')
  t.ok(all.includes(e.id), 'by escalation id')
  for (const secret of ['RSSMRA80A01H501U', 'Mario', 'Rossi', '1234567']) t.notOk(all.includes(secret), `no ${secret}`)
})
