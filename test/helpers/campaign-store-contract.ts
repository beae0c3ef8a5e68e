/**
 * The CampaignStore contract: the same assertions for the memory and the Redis store (and
 * Redis Cluster). makeStores() returns two stores over ONE shared state: for Redis two clients
 * on the same prefix (two engines), for memory the same store twice.
 */
import type { Test } from 'tap'
import type { CampaignConfig } from '../../src/domain/campaign.js'
import type { CampaignStore, NewContact, StoredContact } from '../../src/domain/campaign-store.js'
import { isAppError } from '../../src/domain/errors.js'

export type MakeStores = () => Promise<{ a: CampaignStore; b: CampaignStore }>

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)
const MIN = 60_000

export function campaign(id: string, over: Partial<CampaignConfig> = {}): CampaignConfig {
  return {
    id,
    name: `Campaign ${id}`,
    mode: 'predictive',
    section: 'operators',
    windows: { days: { mon: ['10:00-12:00', '16:00-18:00'] }, holidays: 'italy' },
    retries: { busy: { delayMinutes: 10, maxAttempts: 5 } },
    maxAttempts: 6,
    abandonCeiling: 0.03,
    abandonWindowMs: 24 * 3600_000,
    ringSeconds: 15,
    onMachine: 'hangup',
    callerId: '+390612345678',
    trunk: 'PJSIP/{number}@trunk',
    maxChannels: 60,
    maxCallsPerSecond: 10,
    abandonedCooldownMs: 5 * 24 * 3600_000,
    ...over,
  }
}

/** A contact for number index i: +39333 followed by 7 digits. */
export function contact(i: number, over: Partial<NewContact> = {}): NewContact {
  const number = `+39333${String(i).padStart(7, '0')}`
  return { id: number, number, fields: { row: String(i) }, lines: [i + 1], ...over }
}

async function withCampaign(s: CampaignStore, id = 'c1', contacts: NewContact[] = []): Promise<void> {
  await s.put(campaign(id), T0)
  for (let i = 0; i < contacts.length; i += 1000) await s.addContacts(id, contacts.slice(i, i + 1000))
}

const ids = (cs: StoredContact[]) => cs.map((c) => c.id)

export function campaignStoreContract(t: Test, makeStores: MakeStores): void {
  t.test('campaigns: create, replace the config, status changes with their history', async (t) => {
    const { a, b } = await makeStores()
    await a.put(campaign('c2'), T0 + 5)
    await a.put(campaign('c1'), T0)
    t.same(await a.get('c1'), { config: campaign('c1'), status: 'draft', createdAt: T0, history: [{ status: 'draft', at: T0 }] })
    t.same((await b.list()).map((c) => c.config.id), ['c1', 'c2'], 'by creation time')
    t.equal(await a.get('nope'), undefined)

    t.equal((await a.setStatus('c1', 'running', T0 + 10, ['draft', 'paused']))?.status, 'running')
    t.equal(await b.setStatus('c1', 'running', T0 + 11, ['draft', 'paused']), undefined, 'start refused once running')
    t.equal((await b.setStatus('c1', 'paused', T0 + 20))?.status, 'paused')
    const same = await a.setStatus('c1', 'paused', T0 + 25)
    t.equal(same?.history.length, 3, 'the status it already has adds nothing to the history')
    await a.put(campaign('c1', { name: 'Renamed', maxChannels: 30 }), T0 + 30)
    const c = await b.get('c1')
    t.same(c, {
      config: campaign('c1', { name: 'Renamed', maxChannels: 30 }),
      status: 'paused',
      createdAt: T0,
      history: [
        { status: 'draft', at: T0 },
        { status: 'running', at: T0 + 10 },
        { status: 'paused', at: T0 + 20 },
      ],
    }, 'a new config keeps the status and the history')
    t.equal(await a.setStatus('nope', 'running', T0), undefined)
    t.equal(await a.setStatus('c1', 'stopped', T0 + 40, []), undefined, 'an empty from allows nothing')
  })

  t.test('duplicates merge on the contact id: the first fields stay, the lines add up', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a)
    const r1 = await a.addContacts('c1', [
      contact(1, { name: 'Anna', fields: { city: 'Roma' }, lines: [2] }),
      contact(2, { lines: [3] }),
      contact(1, { name: 'Anna Bis', fields: { city: 'Milano' }, lines: [4] }),
    ])
    t.same(r1, { added: 2, merged: 1 }, 'a duplicate inside the batch')
    const r2 = await b.addContacts('c1', [contact(3, { lines: [5] }), contact(1, { lines: [6] }), contact(2, { consent: false, lines: [8] }), contact(1, { lines: [7] })])
    t.same(r2, { added: 1, merged: 3 }, 'duplicates of earlier batches, twice in this one too')
    const c1 = await a.getContact('c1', contact(1).id)
    t.same(c1, {
      id: '+393330000001',
      campaignId: 'c1',
      number: '+393330000001',
      name: 'Anna',
      fields: { city: 'Roma' },
      lines: [2, 4, 6, 7],
      status: 'pending',
      attempts: 0,
      nextAt: 0,
      outcomes: [],
      seq: 1,
    })
    t.same((await a.getContact('c1', contact(2).id))?.lines, [3, 8])
    t.equal((await a.getContact('c1', contact(2).id))?.consent, undefined, 'the first row said nothing about consent')
    t.same(await a.counts('c1'), { pending: 3, dialing: 0, done: 0, failed: 0, excluded: 0 })
    t.equal(await a.getContact('c1', 'nobody'), undefined)
    t.equal(await a.getContact('c9', contact(1).id), undefined, 'contacts are per campaign')
    await a.put(campaign('c9'), T0)
    t.same(await a.addContacts('c9', [contact(1)]), { added: 1, merged: 0 }, 'the same number in another campaign is another contact')
    const err = await a.addContacts('nope', [contact(1)]).then(() => undefined, (e: unknown) => e)
    t.ok(isAppError(err, 'NOT_FOUND'), 'an unknown campaign: NOT_FOUND')
  })

  t.test('contacts keep what import gave: name, consent, fields, excluded status, numbers exact', async (t) => {
    const { a } = await makeStores()
    await withCampaign(a)
    const odd = contact(5, { name: 'Zoë "quoted"\nline', consent: true, fields: { note: 'a\nb', '%x': '[]' }, nextAt: T0 + 0.25, lines: [] })
    await a.addContacts('c1', [odd, contact(6, { consent: false, status: 'excluded' })])
    t.match(await a.getContact('c1', odd.id), { name: odd.name, consent: true, fields: odd.fields, nextAt: T0 + 0.25, lines: [], outcomes: [], seq: 1 })
    t.match(await a.getContact('c1', contact(6).id), { status: 'excluded', consent: false, seq: 2 })
    t.same(await a.counts('c1'), { pending: 1, dialing: 0, done: 0, failed: 0, excluded: 1 })
    t.same(ids(await a.claimDue('c1', T0 + 1, 10, 'e1', MIN)), [odd.id], 'an excluded contact is never due')
  })

  t.test('scan: every contact once, in insertion order, page by page', async (t) => {
    const { a, b } = await makeStores()
    const all = Array.from({ length: 2345 }, (_, i) => contact(i))
    await withCampaign(a, 'c1', all)
    await a.addContacts('c1', [contact(7, { lines: [99] })])
    const seen: StoredContact[] = []
    let cursor = '0'
    let pages = 0
    do {
      const page = await (pages % 2 ? b : a).scan('c1', cursor, 500)
      seen.push(...page.contacts)
      cursor = page.cursor
      pages++
    } while (cursor !== '0' && pages < 100)
    t.equal(pages, 5)
    t.same(ids(seen), all.map((c) => c.id))
    t.same(seen.map((c) => c.seq), all.map((_, i) => i + 1))
    t.same(seen[7]?.lines, [8, 99])
    t.same(await a.scan('c1', '2345', 10), { contacts: [], cursor: '0' })
    t.same(await a.scan('none', '0', 10), { contacts: [], cursor: '0' })
    await t.rejects(a.scan('c1', 'x', 10), RangeError)
  })

  t.test('due order: nextAt, then insertion order; not-yet-due contacts wait', async (t) => {
    const { a } = await makeStores()
    await withCampaign(a, 'c1', [
      contact(0, { nextAt: T0 + 5 * MIN }),
      contact(1, { nextAt: T0 }),
      contact(2),
      contact(3, { nextAt: T0 }),
      contact(4, { nextAt: T0 + 60 * MIN }),
      contact(5),
    ])
    t.equal(await a.nextDueAt('c1'), 0)
    const first = await a.claimDue('c1', T0, 3, 'e1', MIN)
    t.same(ids(first), [contact(2).id, contact(5).id, contact(1).id], 'nextAt 0 first (insertion order), then nextAt T0')
    t.same(ids(await a.claimDue('c1', T0, 10, 'e1', MIN)), [contact(3).id], 'only what is due at now')
    t.equal(await a.nextDueAt('c1'), T0 + 5 * MIN)
    t.same(await a.claimDue('c1', T0 + 5 * MIN - 1, 10, 'e1', MIN), [])
    t.same(ids(await a.claimDue('c1', T0 + 5 * MIN, 10, 'e1', MIN)), [contact(0).id], 'due at exactly nextAt')
    t.same(await a.claimDue('c1', T0 + 60 * MIN, 0, 'e1', MIN), [], 'n = 0 takes nothing')
    t.same(ids(await a.claimDue('c1', T0 + 61 * MIN, 10, 'e1', MIN)), [contact(4).id])
    t.equal(await a.nextDueAt('c1'), undefined, 'nothing pending')
    t.same(await a.claimDue('none', T0, 10, 'e1', MIN), [])
  })

  t.test('a claimed contact is dialing under a lock and is not claimed again', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a, 'c1', Array.from({ length: 5 }, (_, i) => contact(i)))
    const x = await a.claimDue('c1', T0, 2, 'engine-a', 30_000)
    t.same(ids(x), [contact(0).id, contact(1).id])
    t.match(x[0], { status: 'dialing', lock: { engineId: 'engine-a', until: T0 + 30_000, claim: 1 } })
    t.match(await b.getContact('c1', contact(0).id), { status: 'dialing', lock: { engineId: 'engine-a', until: T0 + 30_000, claim: 1 } })
    const y = await b.claimDue('c1', T0 + 1000, 10, 'engine-b', 30_000)
    t.same(ids(y), [contact(2).id, contact(3).id, contact(4).id], 'the dialing ones are skipped')
    t.same(await a.claimDue('c1', T0 + 2000, 10, 'engine-a', 30_000), [])
    t.same(await a.counts('c1'), { pending: 0, dialing: 5, done: 0, failed: 0, excluded: 0 })
    t.same(await b.inFlight('c1'), { 'engine-a': 2, 'engine-b': 3 })
    await t.rejects(a.claimDue('c1', T0, 1, 'engine-a', 0), RangeError)
  })

  t.test('excluded contacts (consent refused later) leave the schedule and are never claimed', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a, 'c1', Array.from({ length: 4 }, (_, i) => contact(i)))
    const [dialing] = await a.claimDue('c1', T0, 1, 'engine-a', 30_000)
    t.equal(await b.excludeContacts('c1', [contact(1).id, contact(2).id, dialing!.id, '+390000000000']), 3, 'two pending excluded, the one dialing marked')
    t.equal(await b.excludeContacts('c1', [contact(1).id, dialing!.id]), 0, 'again: nothing changes')
    t.match(await a.getContact('c1', contact(1).id), { status: 'excluded', consent: false })
    t.match(await a.getContact('c1', dialing!.id), { status: 'dialing', consent: false }, 'the call in progress keeps its status; the dialer checks consent before the next attempt')
    t.same(ids(await a.claimDue('c1', T0 + 1000, 10, 'engine-a', 30_000)), [contact(3).id], 'only the contact with consent is claimed')
    t.same(await b.counts('c1'), { pending: 0, dialing: 2, done: 0, failed: 0, excluded: 2 })
    t.equal(await a.excludeContacts('nope', [contact(0).id]), 0, 'unknown campaign')
  })

  t.test('two engines claiming at once never get the same contact', async (t) => {
    const { a, b } = await makeStores()
    const n = 150
    await withCampaign(a, 'c1', Array.from({ length: n }, (_, i) => contact(i, { nextAt: T0 + (i % 4) })))
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).claimDue('c1', T0 + 10, 9, `engine-${i % 2 ? 'b' : 'a'}`, 60_000)))
    const got = claims.flatMap(ids)
    t.equal(got.length, n, 'every contact claimed (20 x 9 >= 150)')
    t.equal(new Set(got).size, n, 'none twice')
    for (const batch of claims) {
      const order = batch.map((c) => [c.nextAt, c.seq] as const)
      t.same(order, [...order].sort((p, q) => p[0] - q[0] || p[1] - q[1]), 'each batch in due order')
    }
    const flight = await a.inFlight('c1')
    t.equal((flight['engine-a'] ?? 0) + (flight['engine-b'] ?? 0), n)
    t.same(await b.counts('c1'), { pending: 0, dialing: n, done: 0, failed: 0, excluded: 0 })
  })

  t.test('complete records the attempt once, only under the caller\'s lock', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a, 'c1', [contact(0), contact(1), contact(2, { nextAt: T0 + 10 * MIN })])
    const [c0, c1] = await a.claimDue('c1', T0, 2, 'engine-a', MIN)
    t.equal(await b.complete('c1', c0!.id, 'engine-b', { outcome: 'busy', status: 'pending', nextAt: T0 + 10 * MIN, at: T0 + 5000 }), undefined, 'another engine\'s result is refused')
    const busy = await a.complete('c1', c0!.id, 'engine-a', { outcome: 'busy', status: 'pending', nextAt: T0 + 10 * MIN, at: T0 + 5000, hour: '2026-11-23T10', claim: 1 })
    t.same(busy, { ...contact(0), campaignId: 'c1', status: 'pending', attempts: 1, nextAt: T0 + 10 * MIN, outcomes: ['busy'], lastOutcome: 'busy', seq: 1 })
    t.equal(await a.complete('c1', c0!.id, 'engine-a', { outcome: 'reached', status: 'done', at: T0 + 6000 }), undefined, 'a second result for the same claim is refused')
    const reached = await a.complete('c1', c1!.id, 'engine-a', { outcome: 'reached', status: 'done', at: T0 + 7000, hour: '2026-11-23T10' })
    t.match(reached, { status: 'done', attempts: 1, outcomes: ['reached'], lastOutcome: 'reached', reachedAt: T0 + 7000 })
    t.equal(reached?.lock, undefined)

    t.same(ids(await b.claimDue('c1', T0 + 10 * MIN, 10, 'engine-b', MIN)), [contact(0).id, contact(2).id], 'a retried contact keeps its place among equals')
    const again = await b.getContact('c1', contact(0).id)
    t.equal(again?.lock?.claim, 2, 'the second claim')
    t.equal(await b.complete('c1', contact(0).id, 'engine-b', { outcome: 'no_answer', status: 'pending', nextAt: T0, at: T0, claim: 1 }), undefined, 'a late result of the first claim is refused')
    const ab = await b.complete('c1', contact(0).id, 'engine-b', { outcome: 'abandoned', status: 'pending', nextAt: T0 + 5 * 24 * 60 * MIN, cooldownUntil: T0 + 5 * 24 * 60 * MIN, at: T0 + 11 * MIN, hour: '2026-11-23T10', claim: 2 })
    t.match(ab, { attempts: 2, outcomes: ['busy', 'abandoned'], lastOutcome: 'abandoned', cooldownUntil: T0 + 5 * 24 * 60 * MIN })
    const skipped = await b.complete('c1', contact(2).id, 'engine-b', { status: 'excluded', at: T0 + 11 * MIN })
    t.match(skipped, { status: 'excluded', attempts: 0, outcomes: [] }, 'no outcome: not dialed, no attempt counted')
    t.equal(skipped?.lastOutcome, undefined)
    t.equal(await a.complete('c1', 'nobody', 'engine-a', { outcome: 'busy', status: 'pending', at: T0 }), undefined)

    t.same(await a.counts('c1'), { pending: 1, dialing: 0, done: 1, failed: 0, excluded: 1 })
    t.same(await a.inFlight('c1'), {})
    t.same(await b.stats('c1'), {
      byOutcome: { busy: 1, reached: 1, abandoned: 1 },
      byAttempt: { 1: { busy: 1, reached: 1 }, 2: { abandoned: 1 } },
      byHour: { '2026-11-23T10': { busy: 1, reached: 1, abandoned: 1 } },
      counters: {},
    })
    await t.rejects(a.complete('c1', contact(0).id, 'engine-a', { outcome: 'nonsense' as never, status: 'done', at: T0 }), RangeError)
    await t.rejects(a.complete('c1', contact(0).id, 'engine-a', { status: 'dialing' as never, at: T0 }), RangeError)
  })

  t.test('releaseExpired gives a dead engine\'s contacts back, first in line, no attempt counted', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a, 'c1', Array.from({ length: 6 }, (_, i) => contact(i)))
    await a.claimDue('c1', T0, 2, 'dead', 30_000) // 0, 1
    await b.claimDue('c1', T0 + 10_000, 2, 'alive', 30_000) // 2, 3
    t.equal(await b.renewLocks('c1', 'alive', [contact(2).id, contact(3).id, contact(0).id], T0 + 120_000), 2, 'only its own locks')
    t.same(await a.releaseExpired('c1', T0 + 29_999), [], 'nothing lapsed yet')
    t.same((await b.releaseExpired('c1', T0 + 30_000)).sort(), [contact(0).id, contact(1).id].sort(), 'lapsed at their expiry')
    t.same(await a.releaseExpired('c1', T0 + 30_000), [], 'once')
    t.match(await a.getContact('c1', contact(0).id), { status: 'pending', attempts: 0, outcomes: [], releases: 1 })
    t.equal((await a.getContact('c1', contact(0).id))?.lock, undefined)
    t.same(await a.inFlight('c1'), { alive: 2 })
    t.same(await a.counts('c1'), { pending: 4, dialing: 2, done: 0, failed: 0, excluded: 0 })
    t.equal(await a.complete('c1', contact(0).id, 'dead', { outcome: 'reached', status: 'done', at: T0 + 31_000 }), undefined, 'the dead engine\'s late result is refused')
    t.same(ids(await b.claimDue('c1', T0 + 31_000, 3, 'alive', 30_000)), [contact(0).id, contact(1).id, contact(4).id], 'released contacts first again')
    t.same(await a.releaseExpired('c1', T0 + 60_000), [], 'renewed locks hold')
    t.same((await a.releaseExpired('c1', T0 + 200_000, 2)).length, 2, 'at most limit per call')
    t.same((await a.releaseExpired('c1', T0 + 200_000, 10)).length, 3)
    t.same(await a.inFlight('c1'), {})
  })

  t.test('due order holds through a random schedule of claims, retries and releases', async (t) => {
    const { a, b } = await makeStores()
    let x = 11
    const rnd = (k: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x % k)
    const n = 300
    await withCampaign(a, 'c1', Array.from({ length: n }, (_, i) => contact(i, { nextAt: T0 + rnd(5) * MIN })))
    const model = new Map<string, { nextAt: number; seq: number; pending: boolean }>()
    for (let i = 0; i < n; i++) model.set(contact(i).id, { nextAt: (await a.getContact('c1', contact(i).id))!.nextAt, seq: i + 1, pending: true })
    let now = T0
    for (let round = 0; round < 40; round++) {
      now += rnd(3) * MIN
      const want = [...model].filter(([, m]) => m.pending && m.nextAt <= now).sort((p, q) => p[1].nextAt - q[1].nextAt || p[1].seq - q[1].seq).slice(0, 8).map(([id]) => id)
      const s = round % 2 ? a : b
      const got = await s.claimDue('c1', now, 8, 'e', 10 * MIN)
      if (!t.same(ids(got), want, `round ${round}`)) return
      for (const c of got) {
        const m = model.get(c.id)!
        m.pending = false
        const r = rnd(4)
        if (r === 3) continue // left dialing: released below
        const status = r === 0 ? 'done' : 'pending'
        const nextAt = now + rnd(6) * MIN
        await s.complete('c1', c.id, 'e', { outcome: status === 'done' ? 'reached' : 'no_answer', status, nextAt, at: now })
        if (status === 'pending') Object.assign(m, { pending: true, nextAt })
      }
      for (const id of await s.releaseExpired('c1', now)) model.get(id)!.pending = true
    }
    t.pass('claims matched the model')
  })

  t.test('opt-out register: batched check, add, remove, count', async (t) => {
    const { a, b } = await makeStores()
    const numbers = Array.from({ length: 12_000 }, (_, i) => contact(i).number)
    t.equal(await a.addOptOut(numbers.filter((_, i) => i % 3 === 0)), 4000)
    t.equal(await a.addOptOut([numbers[0]!, numbers[1]!]), 1, 'only the new one counts')
    t.equal(await b.optOutCount(), 4001)
    const found = await b.isOptedOut(numbers)
    t.equal(found.size, 4001)
    t.ok(found.has(numbers[0]!) && found.has(numbers[1]!) && found.has(numbers[11_997]!))
    t.notOk(found.has(numbers[2]!) || found.has(numbers[11_999]!))
    t.same(await b.isOptedOut([]), new Set())
    t.equal(await a.removeOptOut([numbers[0]!, numbers[2]!]), 1)
    t.same(await a.isOptedOut([numbers[0]!, numbers[1]!, numbers[3]!]), new Set([numbers[1]!, numbers[3]!]))
    t.equal(await a.optOutCount(), 4000)
  })

  t.test('abandoned numbers: the later until wins, past ones are pruned', async (t) => {
    const { a, b } = await makeStores()
    const DAY = 24 * 3600_000
    await a.markAbandoned('+393330000001', T0 + 5 * DAY)
    await b.markAbandoned('+393330000001', T0 + 2 * DAY)
    await a.markAbandoned('+393330000002', T0 + DAY)
    t.equal(await b.abandonedUntil('+393330000001'), T0 + 5 * DAY)
    t.equal(await b.abandonedUntil('+393330000003'), undefined)
    t.equal(await a.pruneAbandoned(T0 + DAY), 1)
    t.equal(await a.abandonedUntil('+393330000002'), undefined)
    t.equal(await a.abandonedUntil('+393330000001'), T0 + 5 * DAY)
  })

  t.test('abandon window: minute buckets over the rolling window, old ones drop out', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a)
    const H = 3600_000
    const W = 24 * H
    await a.recordAnswer('c1', T0, false)
    await b.recordAnswer('c1', T0 + 30_000, true)
    await a.recordAnswer('c1', T0 + 2 * H, false)
    await b.recordAnswer('c1', T0 + 2 * H + 59_999, true)
    await a.recordAnswer('c1', T0 + 20 * H, false)
    t.same(await a.abandonWindow('c1', T0 + 20 * H, W), { answers: 5, abandons: 2 })
    t.same(await b.abandonWindow('c1', T0 + 20 * H, H), { answers: 1, abandons: 0 }, 'a shorter window')
    t.same(await a.abandonWindow('c1', T0 + W - 1, W), { answers: 5, abandons: 2 }, 'the first minute still inside')
    t.same(await a.abandonWindow('c1', T0 + W, W), { answers: 3, abandons: 1 }, 'its minute bucket left the window')
    t.same(await a.abandonWindow('c1', T0 + W + 2 * H + MIN, W), { answers: 1, abandons: 0 })
    await a.recordAnswer('c1', T0 + 3 * W, true)
    t.same(await b.abandonWindow('c1', T0 + 3 * W, 3 * W), { answers: 1, abandons: 1 }, 'buckets past the retention are gone even for a longer window')
    t.same(await b.abandonWindow('none', T0, W), { answers: 0, abandons: 0 })
  })

  t.test('named counters add up across engines', async (t) => {
    const { a, b } = await makeStores()
    await withCampaign(a)
    await a.bump('c1', { connected: 1, human: 1 })
    await b.bump('c1', { connected: 2, 'transfers:section': 1 })
    await b.bump('c1', {})
    t.same((await a.stats('c1')).counters, { connected: 3, human: 1, 'transfers:section': 1 })
    await t.rejects(a.bump('c1', { x: 0.5 }), RangeError)
  })
}
