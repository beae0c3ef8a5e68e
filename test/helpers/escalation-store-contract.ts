/**
 * The EscalationStore contract: the same assertions for the in-memory store and the Redis one
 * (records, filters, compare-and-set transitions, and the webhook outbox's order per escalation,
 * leases, failures, set-aside and requeue).
 */
import type { Test } from 'tap'
import type { Escalation, EscalationChange, EscalationStore, EscalationStatus } from '../../src/domain/escalations.js'

let n = 0
export function ticket(over: Partial<Escalation> = {}): Escalation {
  const id = over.id ?? `t${++n}`
  const at = over.createdAt ?? 1_795_000_000_000
  return {
    kind: 'ticket',
    section: 'pensions',
    subject: 'Pension arrears',
    citizen: { reference: 'RSSMRA80A01H501U', phone: '+393331234567' },
    id,
    status: 'open',
    createdAt: at,
    createdBy: 'op101',
    updatedAt: at,
    version: 1,
    history: [{ seq: 1, changeId: `${id}-1`, at, by: 'op101', from: null, to: 'open' }],
    ...over,
  } as Escalation
}

export function change(e: Escalation, to: EscalationStatus, at: number, by = 'sup1'): EscalationChange {
  return { seq: e.version + 1, changeId: `${e.id}-${e.version + 1}`, at, by, from: e.status, to }
}

export function escalationStoreContract(t: Test, make: () => Promise<EscalationStore>): void {
  t.test('create, get and list newest first with filters', async (t) => {
    const s = await make()
    const a = ticket({ createdAt: 1000 })
    const b = ticket({ createdAt: 3000, createdBy: 'op102' })
    const c = {
      ...ticket({ createdAt: 2000 }),
      kind: 'appointment',
      startsAt: 5000,
      office: 'Roma Eur',
      citizen: { reference: 'X1' },
    } as unknown as Escalation
    for (const e of [a, b, c]) await s.create(e)
    t.same(await s.get(a.id), a, 'a record reads back as stored, history included')
    t.equal(await s.get('nope'), undefined)
    t.same((await s.list()).map((e) => e.id), [b.id, c.id, a.id], 'newest first')
    t.same((await s.list({ limit: 2 })).map((e) => e.id), [b.id, c.id])
    t.same((await s.list({ kind: 'appointment' })).map((e) => e.id), [c.id])
    t.same((await s.list({ createdBy: 'op102' })).map((e) => e.id), [b.id])
    await t.rejects(s.create(a), /exists/, 'an id is created once')
    t.equal(await s.outbox.pendingCount(), 3, 'each creation waits for the webhook')
  })

  t.test('transition is a compare-and-set on status and version', async (t) => {
    const s = await make()
    const e = ticket()
    await s.create(e)
    const c1 = change(e, 'in_charge', e.createdAt + 10)
    const after = await s.transition(e.id, c1)
    t.equal(after?.status, 'in_charge')
    t.equal(after?.version, 2)
    t.same(after?.history.map((h) => h.to), ['open', 'in_charge'])
    t.same(await s.get(e.id), after, 'stored as returned')
    t.equal(await s.transition(e.id, c1), undefined, 'the same change again: version moved on')
    t.equal(await s.transition(e.id, { ...change(after!, 'closed', 99), from: 'open' }), undefined, 'wrong from-status refused')
    t.equal(await s.transition('missing', c1), undefined)
    // two supervisors at once: exactly one wins
    const cur = (await s.get(e.id))!
    const results = await Promise.all([s.transition(e.id, change(cur, 'closed', 100, 'x')), s.transition(e.id, change(cur, 'open', 100, 'y'))])
    t.equal(results.filter(Boolean).length, 1, 'one of two concurrent changes applies')
    t.equal((await s.get(e.id))!.version, 3)
  })

  t.test('outbox: heads in due order, one change per escalation at a time, leases', async (t) => {
    const s = await make()
    const a = ticket({ createdAt: 100 })
    const b = ticket({ createdAt: 50 })
    await s.create(a)
    await s.create(b)
    const a2 = (await s.transition(a.id, change(a, 'in_charge', 120)))!
    t.same(await s.outbox.claimDue(40, 10, 1000), [], 'nothing due before its time')
    const first = await s.outbox.claimDue(200, 10, 1000)
    t.same(first.map((i) => i.changeId), [`${b.id}-1`, `${a.id}-1`], 'heads only, oldest due first')
    t.same(first[0], { escalationId: b.id, changeId: `${b.id}-1`, seq: 1, attempts: 0, nextAt: 50 })
    t.same(await s.outbox.claimDue(500, 10, 1000), [], 'claimed heads are hidden during the lease')
    t.same((await s.outbox.claimDue(1300, 10, 1000)).length, 2, 'and come back when it lapses')
    await s.outbox.delivered(a.id, `${a.id}-1`, 1400)
    await s.outbox.delivered(a.id, `${a.id}-1`, 1400) // a replay changes nothing
    t.equal(await s.outbox.pendingCount(), 2)
    const next = await s.outbox.claimDue(1400, 10, 1000)
    t.same(next.map((i) => [i.changeId, i.nextAt]), [[`${a2.id}-2`, 1400]], 'the next change of a is due when the previous one left')
    await s.outbox.delivered(a.id, `${a.id}-2`, 1500)
    await s.outbox.delivered(b.id, `${b.id}-1`, 1500)
    t.equal(await s.outbox.pendingCount(), 0)
    t.same(await s.outbox.claimDue(10_000, 10, 1000), [])
  })

  t.test('outbox: failures retry later, give-ups are set aside and can be requeued', async (t) => {
    const s = await make()
    const e = ticket({ createdAt: 10 })
    await s.create(e)
    const e2 = (await s.transition(e.id, change(e, 'closed', 20)))!
    const [head] = await s.outbox.claimDue(100, 10, 50)
    await s.outbox.failed(e.id, head!.changeId, 1, 400, 'HTTP 503')
    await s.outbox.failed(e.id, 'not-the-head', 9, 1, 'ignored')
    t.same(await s.outbox.claimDue(300, 10, 50), [], 'not before nextAt')
    const [again] = await s.outbox.claimDue(400, 10, 50)
    t.same(again, { escalationId: e.id, changeId: `${e.id}-1`, seq: 1, attempts: 1, nextAt: 400, lastError: 'HTTP 503' })
    await s.outbox.setAside(e.id, again!.changeId, 500, 'gave up after 1 attempt')
    const aside = await s.outbox.listSetAside()
    t.same(aside.map((i) => [i.changeId, i.lastError]), [[`${e.id}-1`, 'gave up after 1 attempt']])
    const [second] = await s.outbox.claimDue(500, 10, 50)
    t.equal(second?.changeId, `${e2.id}-2`, 'the next change goes on without the one set aside')
    t.equal(await s.outbox.requeue('unknown', 600), false)
    t.equal(await s.outbox.requeue(`${e.id}-1`, 600), true)
    t.same(await s.outbox.listSetAside(), [])
    const [requeued] = await s.outbox.claimDue(700, 10, 50)
    t.same(requeued, { escalationId: e.id, changeId: `${e.id}-1`, seq: 1, attempts: 0, nextAt: 600 }, 'back at the head, attempts reset')
    t.equal(await s.outbox.pendingCount(), 2)
  })
}
