import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { syntheticLoad } from '../../src/adapters/redis/seed.js'
import { planAssignments } from '../../src/acd/routing.js'
import { HEAD_MIN, planFromHeads } from '../../src/acd/routing-read.js'
import type { QueueEntry } from '../../src/domain/acd.js'
import { agentRec, section } from '../helpers/acd-fixtures.js'

const SECTIONS = ['operators', 'pensions', 'income_support', 'contributions']

/** A memory store's queues that count the entries each read returns. */
async function queuesOf(entries: Array<Omit<QueueEntry, 'seq'>>) {
  const store = createMemoryStore()
  for (const e of entries) await store.queues.enqueue(e)
  let returned = 0
  const queues = {
    async list(s: string, limit?: number) {
      const l = await store.queues.list(s, limit)
      returned += l.length
      return l
    },
    get: (id: string) => store.queues.get(id),
  }
  return { queues, full: async () => (await Promise.all(SECTIONS.map((s) => store.queues.list(s)))).flat(), returned: () => returned }
}

t.test('reads only the heads of long queues and plans what the whole queues would give', async (t) => {
  const defs = SECTIONS.map((id) => section(id, { languages: { en: 2 } }))
  for (const seed of [1, 2, 3, 4, 5]) {
    const now = 1_700_000_000_000
    const load = syntheticLoad({ waiting: 4000, agents: 400, now, seed, readyShare: 0.02 })
    const agents = load.agents.map((a, i) => ({ ...a, skills: { en: i % 7 === 0 ? 3 : 0 } }))
    const q = await queuesOf(load.entries)
    const ctx = { sections: defs, now }
    const heads = await planFromHeads(q.queues, SECTIONS, agents, ctx)
    const whole = planAssignments(await q.full(), agents, ctx)
    t.same(heads.plan, whole, `seed ${seed}: same assignments as reading every entry`)
    const ready = agents.filter((a) => a.state === 'ready').length
    t.ok(q.returned() < 4000, `seed ${seed}: read ${q.returned()} of 4000 entries (${ready} agents ready, ${heads.rounds} round(s))`)
  }
})

t.test('no agent ready: nothing is read', async (t) => {
  const q = await queuesOf([{ callId: 'c1', section: 'pensions', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' }])
  const r = await planFromHeads(q.queues, SECTIONS, [agentRec('a1', ['pensions'], { state: 'on_call' })], { sections: [section('pensions')], now: 10 })
  t.same(r.plan, [])
  t.equal(q.returned(), 0)
})

t.test('the head grows when the ready agent can only serve callers deep in the queue', async (t) => {
  const entries: Array<Omit<QueueEntry, 'seq'>> = []
  for (let i = 0; i < 1000; i++) entries.push({ callId: `it${i}`, section: 'pensions', priority: 0, enteredAt: i, lang: 'it', status: 'waiting' })
  entries.push({ callId: 'en-1', section: 'pensions', priority: 0, enteredAt: 5000, lang: 'en', status: 'waiting' })
  const q = await queuesOf(entries)
  const defs = [section('pensions', { languages: { it: 1 } })]
  // The only ready agent speaks no Italian: it can take the English caller only, at position 1001.
  const agents = [agentRec('anna', ['pensions'], { skills: { en: 2 } }), agentRec('busy', ['pensions'], { state: 'on_call', skills: { it: 3 } })]
  const r = await planFromHeads(q.queues, ['pensions'], agents, { sections: defs, now: 6000 })
  t.same(r.plan, [{ callId: 'en-1', section: 'pensions', agentId: 'anna' }])
  t.ok(r.rounds > 1, `grew the read over ${r.rounds} rounds`)
})

t.test('a caller held for its preferred agent is found deep in the queue', async (t) => {
  const entries: Array<Omit<QueueEntry, 'seq'>> = []
  for (let i = 0; i < 500; i++) entries.push({ callId: `c${i}`, section: 'pensions', priority: 0, enteredAt: i, lang: 'it', status: 'waiting' })
  entries.push({ callId: 'returning', section: 'pensions', priority: 0, enteredAt: 900, lang: 'it', status: 'waiting', preferredAgent: 'mario', preferredUntil: 2000 })
  const q = await queuesOf(entries)
  const defs = [section('pensions')]
  const agents = [agentRec('mario', ['pensions'])]
  const without = await planFromHeads(q.queues, ['pensions'], agents, { sections: defs, now: 1000 })
  t.equal(without.plan[0]?.callId, 'c0', 'without the held list the head caller is served (the hold is not seen)')
  const withHeld = await planFromHeads(q.queues, ['pensions'], agents, { sections: defs, now: 1000 }, ['returning', 'gone'])
  t.same(withHeld.plan, [{ callId: 'returning', section: 'pensions', agentId: 'mario' }], 'with it the returning citizen goes to the operator who served them')
  t.equal(withHeld.read, HEAD_MIN + 2 + 1, 'the head and the one held caller')
})
