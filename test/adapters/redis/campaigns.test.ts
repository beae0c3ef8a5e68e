import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Cluster, Redis } from 'ioredis'
import { CAMPAIGN_SCRIPT_NAMES, createRedisCampaignStore, loadCampaignScripts } from '../../../src/adapters/redis/campaigns.js'
import { campaignKeys } from '../../../src/adapters/redis/campaign-keys.js'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { campaign, campaignStoreContract, contact } from '../../helpers/campaign-store-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

const dir = fileURLToPath(new URL('../../../src/adapters/redis/scripts/', import.meta.url))
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)

t.test('campaign scripts: one verb per file, a header naming KEYS, ARGV and reply', async (t) => {
  const files = readdirSync(dir).filter((f) => f.startsWith('campaign-') && f.endsWith('.lua'))
  const scripts = loadCampaignScripts()
  t.same(files.map((f) => f.replace(/-\d+\.lua$/, '')).sort(), [...CAMPAIGN_SCRIPT_NAMES].sort())
  for (const f of files) {
    const [, name, keys] = /^([a-z-]+)-(\d+)\.lua$/.exec(f)!
    const text = readFileSync(path.join(dir, f), 'utf8')
    const end = text.indexOf(']]')
    const header = text.slice(0, end)
    const body = text.slice(end)
    t.match(header, new RegExp(`^--\\[\\[\\n  ${name}: `), `${f}: the header names the verb`)
    t.match(header, /Returns: /, `${f}: names the reply`)
    const used = [...body.matchAll(/KEYS\[(\d+)\]/g)].map((x) => Number(x[1]))
    t.equal(Math.max(...used), Number(keys), `${f}: uses exactly its declared keys`)
    for (let k = 1; k <= Number(keys); k++) t.match(header, `KEYS[${k}]`, `${f}: KEYS[${k}] documented`)
    t.match(header, 'ARGV[1]', `${f}: ARGV documented`)
    t.notMatch(scripts[name as keyof typeof scripts].lua, /@include/, `${f}: includes expanded`)
  }
  t.throws(() => loadCampaignScripts(['/nope']), /no Lua scripts directory/)
})

t.test('campaign keys: one hash tag, the campaign id before a colon-free suffix', async (t) => {
  const k = campaignKeys('national')
  t.equal(k.contacts('c:1'), '{national}:cmp:c:1:c')
  t.equal(k.due('c1'), '{national}:cmp:c1:due')
  t.equal(k.optOut, '{national}:optout')
  t.equal(k.op('x'), '{national}:op:x')
  t.throws(() => campaignKeys('a{b}'))
})

if (!redisServerAvailable()) {
  t.test('the Redis campaign store', { skip: NO_REDIS }, async () => {})
} else {
  const redis = (await startRedisServer(t))!
  const clients: Redis[] = []
  const client = () => {
    const c = new Redis(redis.url)
    clients.push(c)
    return c
  }
  t.teardown(() => Promise.all(clients.map((c) => c.quit())))
  const admin = client()
  let n = 0

  t.test('campaign store contract on Redis (two engines = two clients)', async (t) => {
    campaignStoreContract(t, async () => {
      const prefix = `cc${++n}`
      return { a: createRedisCampaignStore(client(), { prefix }), b: createRedisCampaignStore(client(), { prefix }) }
    })
  })

  t.test('on the client of a RedisStore, with its prefix', async (t) => {
    const store = createRedisStore({ url: redis.url, prefix: 'engine' })
    t.teardown(() => store.close())
    const s = createRedisCampaignStore(store)
    t.equal(s.keys.prefix, 'engine')
    await s.put(campaign('c1'), T0)
    t.equal(await admin.hexists('{engine}:cmp', 'c1'), 1)
    const c = new Redis(redis.url, { keyPrefix: 'x:', lazyConnect: true })
    t.throws(() => createRedisCampaignStore(c), /keyPrefix/)
    c.disconnect()
  })

  t.test('every key carries the hash tag; layout as campaign-keys.ts says', async (t) => {
    const s = createRedisCampaignStore(client(), { prefix: 'tagged' })
    await s.put(campaign('c:1'), T0)
    await s.addContacts('c:1', [contact(1), contact(2)])
    const [c] = await s.claimDue('c:1', T0, 1, 'e1', 60_000)
    await s.complete('c:1', c!.id, 'e1', { outcome: 'busy', status: 'pending', nextAt: T0 + 1, at: T0 })
    await s.claimDue('c:1', T0, 1, 'e1', 60_000)
    await s.recordAnswer('c:1', T0, true)
    await s.addOptOut(['+393330000009'])
    await s.markAbandoned('+393330000008', T0)
    const keys = (await admin.keys('*tagged*')).sort()
    t.ok(keys.every((k) => k.startsWith('{tagged}:')), keys.join(' '))
    const kinds = [...new Set(keys.filter((k) => !k.startsWith('{tagged}:op:')).map((k) => k.slice('{tagged}:'.length)))].sort()
    t.same(kinds, ['abandoned', 'cmp', 'cmp:c:1:aw', 'cmp:c:1:c', 'cmp:c:1:dialing', 'cmp:c:1:due', 'cmp:c:1:eng', 'cmp:c:1:n', 'cmp:c:1:order', 'cmp:c:1:stats', 'optout'])
    t.ok(keys.some((k) => k.startsWith('{tagged}:op:')), 'replay guards written')
    const due = await admin.zrange('{tagged}:cmp:c:1:due', '0', '-1', 'WITHSCORES')
    t.same(due, ['0000000000000001+393330000001', String(T0 + 1)], 'member <seq 16 digits><id>, score nextAt')
    const pttl = await admin.pttl('{tagged}:cmp:c:1:aw')
    t.ok(pttl > 0 && pttl <= 25 * 3600_000, `the window key expires (pttl ${pttl})`)
  })

  t.test('a resent claim (reply lost in an outage) applies once and gives the first reply', async (t) => {
    const s = createRedisCampaignStore(client(), { prefix: 'replay' })
    await s.put(campaign('c1'), T0)
    await s.addContacts('c1', [contact(1), contact(2), contact(3)])
    const k = s.keys
    const lua = loadCampaignScripts()['campaign-claim'].lua
    const keys = [k.contacts('c1'), k.due('c1'), k.dialing('c1'), k.counts('c1'), k.engines('c1'), k.op('fixed')]
    const args = ['60000', String(T0), '2', '"e1"', 'e1', String(T0 + 60_000)]
    const first = await admin.eval(lua, 6, ...keys, ...args)
    const again = await admin.eval(lua, 6, ...keys, ...args)
    t.same(again, first)
    t.same(await s.counts('c1'), { pending: 1, dialing: 2, done: 0, failed: 0, excluded: 0 }, 'two claimed, not four')
    t.same(await s.inFlight('c1'), { e1: 2 })
  })

  t.test('two engines on separate connections racing for a big list: no contact twice', async (t) => {
    const prefix = 'race'
    const engines = Array.from({ length: 4 }, () => createRedisCampaignStore(client(), { prefix }))
    await engines[0]!.put(campaign('c1'), T0)
    const all = Array.from({ length: 3000 }, (_, i) => contact(i))
    for (let i = 0; i < all.length; i += 1000) await engines[0]!.addContacts('c1', all.slice(i, i + 1000))
    const taken: string[] = []
    await Promise.all(
      engines.map(async (s, e) => {
        for (;;) {
          const got = await s.claimDue('c1', T0, 1 + ((e * 7) % 13), `e${e}`, 60_000)
          if (got.length === 0) return
          taken.push(...got.map((c) => c.id))
        }
      }),
    )
    t.equal(taken.length, all.length)
    t.equal(new Set(taken).size, all.length, 'each contact claimed by exactly one engine')
  })

  t.test('campaign store contract on Redis Cluster', async (t) => {
    const node = (await startRedisServer(t, { cluster: true }))!
    const nodeAdmin = new Redis(node.url)
    t.teardown(() => nodeAdmin.quit())
    await nodeAdmin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')
    for (let i = 0; !String(await nodeAdmin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); i++) {
      if (i > 200) throw new Error('cluster did not reach state ok')
      await new Promise((r) => setTimeout(r, 50))
    }
    const clusters: Cluster[] = []
    const cluster = () => {
      const c = new Cluster([{ host: '127.0.0.1', port: node.port! }])
      clusters.push(c)
      return c
    }
    t.teardown(() => Promise.all(clusters.map((c) => c.quit())))
    await t.rejects(cluster().eval("return redis.call('SET', KEYS[1], 1)", 2, '{a}:x', '{b}:y'), /CROSSSLOT/, 'the cluster checks slots')
    t.test('contract', async (t) => {
      campaignStoreContract(t, async () => {
        const prefix = `cl${++n}`
        return { a: createRedisCampaignStore(cluster(), { prefix }), b: createRedisCampaignStore(cluster(), { prefix }) }
      })
    })
  })
}
