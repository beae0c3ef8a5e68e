import t from 'tap'
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { compareEntries, type AgentRecord, type QueueEntry } from '../../../src/domain/acd.js'
import { createRedisStore, type RedisStore } from '../../../src/adapters/redis/store.js'
import { loadScripts } from '../../../src/adapters/redis/scripts.js'
import { seedRedisStore, syntheticLoad } from '../../../src/adapters/redis/seed.js'
import { storeContract } from '../../helpers/store-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

const agent = (id: string, over: Partial<AgentRecord> = {}): AgentRecord => ({
  id,
  name: id,
  endpoint: `PJSIP/${id}`,
  sections: ['s1'],
  state: 'ready',
  since: 0,
  idleSince: 0,
  ...over,
})

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  const open = (prefix = `r${++n}`): RedisStore => {
    const s = createRedisStore({ url: redis.url, prefix })
    t.teardown(() => s.close())
    return s
  }
  const admin = new Redis(redis.url)
  t.teardown(() => admin.quit())

  t.test('store contract', async (t) => {
    storeContract(t, async () => createRedisStore({ url: redis.url, prefix: `contract${++n}` }))
  })

  t.test('exact service order for realistic and awkward values', async (t) => {
    const s = open()
    let x = 7
    const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x / 2 ** 32)
    const base = 1_761_000_000_000
    const entries: (Omit<QueueEntry, 'seq'> & { seq?: number })[] = []
    for (let i = 0; i < 400; i++) {
      const r = rnd()
      entries.push({
        callId: `c${i}`,
        section: 'pensions',
        // integer priorities mostly, a few fractional and negative ones
        priority: r < 0.1 ? -1 : r < 0.15 ? 2.5 : Math.floor(rnd() * 4),
        // many equal entry times (same millisecond), some fractional, a few before the epoch
        enteredAt: r > 0.97 ? -Math.floor(rnd() * 1e6) : base + Math.floor(rnd() * 50) + (r > 0.9 ? 0.25 : 0),
        lang: 'it',
        status: 'waiting',
        // some keep the seq of an earlier queue (a transfer), far from the counter's values
        ...(rnd() < 0.2 ? { seq: 1_000_000 + i } : {}),
      })
    }
    const stored: QueueEntry[] = []
    for (const e of entries) stored.push(await s.queues.enqueue(e))
    const want = [...stored].sort(compareEntries).map((e) => e.callId)
    t.same((await s.queues.list('pensions')).map((e) => e.callId), want)
    t.equal(new Set(stored.map((e) => e.seq)).size, stored.length, 'seq unique')
  })

  t.test('records carry fields the store does not know, numbers with every digit', async (t) => {
    const s = open()
    const extra = {
      skills: [],
      callback: { number: '+393331234567', tries: 0, at: null, nested: { list: [1, [2, {}]], big: 9007199254740991, tiny: 1e-300 } },
      preferredAgent: 'op7',
      enteredAtPrecise: 1761000000123.375,
    }
    const e = { callId: 'c1', section: 's1', priority: 1, enteredAt: 1761000000123.375, lang: 'it', status: 'waiting' as const, ...extra }
    const put = await s.queues.enqueue(e)
    t.same(await s.queues.get('c1'), put)
    t.ok(await s.queues.markOffered('c1', 'op/1"x'))
    t.match(await s.queues.get('c1'), { ...extra, status: 'offered', offeredTo: 'op/1"x' })
    t.ok(await s.queues.markWaiting('c1'))
    t.same((await s.queues.list('s1'))[0], put)
    t.same(await s.queues.remove('c1'), put)

    const a = agent('a1', { skills: { pensions: 3, income_support: 1 }, tags: [], wrapUpBySection: { s1: 30 }, idleSince: 1761000000000.5 } as Partial<AgentRecord>)
    await s.agents.upsert(a)
    t.same(await s.agents.get('a1'), a)
    const r = await s.agents.transition('a1', ['ready'], 'reserved', 1761000000001.25, { callId: 'c1' })
    t.same(r, { ...a, state: 'reserved', since: 1761000000001.25, callId: 'c1' })
    t.same(await s.agents.list(), [r])
    const p = await s.agents.transition('a1', ['reserved'], 'paused', 2, { pauseReason: 'no-answer', callId: undefined, idleSince: undefined })
    t.same(p, { ...a, state: 'paused', since: 2, pauseReason: 'no-answer' }, 'idleSince: undefined keeps it, callId: undefined deletes it')
  })

  t.test('overlay names and values the Lua string matching must not confuse', async (t) => {
    const s = open()
    const id = 'a%-.[x]*?^$\n\\'
    await s.agents.upsert(agent(id, { callIdNote: 'base', state: 'ready' } as Partial<AgentRecord>))
    // patch keys that are prefixes/suffixes of others, with Lua pattern characters
    const patch = { callId: 'c\n1', 'callId-x.%': 'odd', stateX: '"ready"' } as unknown as Parameters<typeof s.agents.transition>[4]
    const r = await s.agents.transition(id, ['ready'], 'reserved', 3, patch)
    t.match(r, { id, state: 'reserved', callId: 'c\n1', 'callId-x.%': 'odd', stateX: '"ready"', callIdNote: 'base' })
    t.equal(await s.agents.transition(id, ['ready'], 'paused', 4), undefined, 'stateX does not pass for state')
    const back = await s.agents.transition(id, ['reserved'], 'ready', 5, { callId: undefined, callIdNote: undefined } as Parameters<typeof s.agents.transition>[4])
    t.equal(back?.callId, undefined)
    t.equal((back as unknown as Record<string, unknown>).callIdNote, undefined, 'a property of the base record removed by a patch')
    t.equal((back as unknown as Record<string, unknown>)['callId-x.%'], 'odd')
    t.same(await s.agents.get(id), back)
    await s.queues.enqueue({ callId: 'c%1\n', section: 's\n%', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    t.ok(await s.queues.markOffered('c%1\n', id))
    t.match(await s.queues.list('s\n%'), [{ callId: 'c%1\n', offeredTo: id }])
  })

  t.test('agents list in first-upsert order, re-upsert keeps the place', async (t) => {
    const s = open()
    for (const id of ['z', 'a', 'm']) await s.agents.upsert(agent(id))
    await s.agents.upsert(agent('a', { name: 'Anna' }))
    t.same((await s.agents.list()).map((x) => [x.id, x.name]), [['z', 'z'], ['a', 'Anna'], ['m', 'm']])
  })

  t.test('two engines claiming the same agent: exactly one wins, every time', async (t) => {
    const prefix = `claims${++n}`
    const a = open(prefix)
    const b = open(prefix)
    let winsA = 0
    for (let i = 0; i < 300; i++) {
      await a.agents.upsert(agent('op1', { state: i % 2 ? 'ready' : 'wrap_up' }))
      const from = i % 2 ? (['ready'] as const) : (['ready', 'wrap_up'] as const)
      // who sends first varies: a random number of event-loop turns before each claim
      const claim = async (s: RedisStore, who: string) => {
        for (let k = Math.floor(Math.random() * 3); k > 0; k--) await new Promise((r) => setImmediate(r))
        return s.agents.transition('op1', [...from], 'reserved', i, { callId: `${who}${i}` })
      }
      const [ra, rb] = await Promise.all([claim(a, 'A'), claim(b, 'B')])
      if ((ra === undefined) === (rb === undefined)) {
        t.fail(`iteration ${i}: ${ra ? 'both' : 'neither'} claimed the agent`)
        return
      }
      const winner = ra ?? rb!
      if (ra) winsA++
      if (!t.equal((await b.agents.get('op1'))?.callId, winner.callId, `iteration ${i}: the stored claim is the winner's`)) return
    }
    t.comment(`engine A won ${winsA} of 300`)

    // and a call offered to one agent only, whoever asks
    for (let i = 0; i < 100; i++) {
      await a.queues.enqueue({ callId: `c${i}`, section: 's1', priority: 0, enteredAt: i, lang: 'it', status: 'waiting' })
      const offers = await Promise.all([a.queues.markOffered(`c${i}`, 'x'), b.queues.markOffered(`c${i}`, 'y')])
      t.equal(offers.filter(Boolean).length, 1, `entry c${i} offered once`)
    }
  })

  t.test('many calls racing for a pool of agents: no agent given two calls', async (t) => {
    const prefix = `pool${++n}`
    const engines = [open(prefix), open(prefix), open(prefix)]
    for (let i = 0; i < 20; i++) await engines[0]!.agents.upsert(agent(`op${i}`))
    const claims = await Promise.all(
      Array.from({ length: 60 }, async (_, c) => {
        const s = engines[c % 3]!
        for (let k = 0; k < 20; k++) {
          const id = `op${(c * 7 + k) % 20}`
          const r = await s.agents.transition(id, ['ready'], 'reserved', c, { callId: `call${c}` })
          if (r) return [id, `call${c}`] as const
        }
        return undefined
      }),
    )
    const won = claims.filter((c) => c !== undefined)
    t.equal(won.length, 20, 'every agent claimed once')
    t.equal(new Set(won.map(([id]) => id)).size, 20, 'by different calls')
    const agents = await engines[1]!.agents.list()
    t.same(Object.fromEntries(agents.map((a) => [a.id, a.callId])), Object.fromEntries(won))
  })

  t.test('every key carries the same hash tag', async (t) => {
    const s = open('tagged')
    await s.queues.enqueue({ callId: 'c1', section: 'pensions', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'c2', section: 'odd:{x}', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.markOffered('c1', 'a1')
    await s.agents.upsert(agent('a1'))
    await s.agents.transition('a1', ['ready'], 'reserved', 1, { callId: 'c1' })
    await s.events.append({ id: 'e1', at: 1, callId: 'c1', type: 'call.ended', reason: 'x', durationMs: 1 })
    await s.history.recordServed('+393331234567', 'a1', 1)
    await s.calls.put({ callId: 'c1', channelId: 'c1', serverId: 'ast1', phase: 'queue', startedAt: 1, offers: 0, updatedAt: 1 })
    await s.leases.acquire('ast1', 'engine-a', 1000, 0)
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', '*', 'COUNT', 1000)
      cursor = next
      keys.push(...batch)
    } while (cursor !== '0')
    const mine = keys.filter((k) => k.includes('tagged'))
    t.ok(mine.length >= 13, `${mine.length} keys`)
    for (const k of mine) t.ok(k.startsWith('{tagged}:'), k)
    t.same(keys.filter((k) => !/^\{[^{}]+\}:/.test(k)), [], 'no key of any store without a leading hash tag')
    const kinds = new Set(mine.map((k) => k.slice('{tagged}:'.length).split(':')[0]))
    t.same([...kinds].sort(), ['a', 'agents', 'c', 'calls', 'cs', 'e', 'em', 'eq', 'ev', 'h', 'lease', 'op', 'q', 'seq'])
  })

  t.test('scripts run again after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async (t) => {
    const s = open()
    const sha = createHash('sha1').update(loadScripts().enqueue.lua).digest('hex')
    await s.queues.enqueue({ callId: 'c1', section: 's1', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    t.same(await admin.script('EXISTS', sha), [1])
    await admin.script('FLUSH')
    t.same(await admin.script('EXISTS', sha), [0], 'flushed')
    const e = await s.queues.enqueue({ callId: 'c2', section: 's1', priority: 0, enteredAt: 2, lang: 'it', status: 'waiting' })
    t.equal(e.seq, 2)
    t.same(await admin.script('EXISTS', sha), [1], 'loaded again')
    await admin.script('FLUSH')
    t.same((await s.queues.list('s1')).map((x) => x.callId), ['c1', 'c2'])
    t.ok(await s.agents.transition('nobody', ['ready'], 'paused', 1) === undefined)
  })

  t.test('seeding: national-sized picture, pipelined, same layout and order as the store', async (t) => {
    const s = open()
    const load = syntheticLoad({ waiting: 3000, agents: 400 })
    t.same(await seedRedisStore(s, load), { entries: 3000, agents: 400 })
    let total = 0
    for (const section of ['operators', 'pensions', 'income_support', 'contributions']) {
      const list = await s.queues.list(section)
      total += list.length
      t.same(list.map((e) => e.callId), [...list].sort(compareEntries).map((e) => e.callId), `${section} in service order`)
    }
    t.equal(total, 3000)
    const agents = await s.agents.list()
    t.same(agents.map((a) => a.id), load.agents.map((a) => a.id))
    t.same(agents[17], load.agents[17])
    const next = await s.queues.enqueue({ callId: 'late', section: 'pensions', priority: 0, enteredAt: 2e12, lang: 'it', status: 'waiting' })
    t.equal(next.seq, 3001, 'the seq counter continues after the seeded entries')
    t.equal(await admin.exists(s.keys.op('-')), 0, 'seeding leaves no replay guard')
  })

  t.test('history records expire', async (t) => {
    const s = createRedisStore({ url: redis.url, prefix: `ttl${++n}`, historyTtlMs: 60_000 })
    t.teardown(() => s.close())
    await s.history.recordServed('+393331234567', 'op1', 5)
    const ttl = await admin.pttl(s.keys.history('+393331234567'))
    t.ok(ttl > 0 && ttl <= 60_000, `pttl ${ttl}`)
  })

  t.test('a client with keyPrefix is refused; a given client is left open', async (t) => {
    const c = new Redis(redis.url, { keyPrefix: 'x:', lazyConnect: true })
    t.throws(() => createRedisStore({ client: c }), /keyPrefix/)
    c.disconnect()
    const mine = new Redis(redis.url)
    const s = createRedisStore({ client: mine, prefix: `given${++n}` })
    await s.ready()
    await s.close()
    t.equal(await mine.ping(), 'PONG')
    await mine.quit()
  })
}
