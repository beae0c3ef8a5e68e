/**
 * Two engines serving the national queues on one Redis, each with its own copy of the
 * configuration: a supervisor changes a section and gives an agent a skill through engine A's
 * API; engine B applies both to its routing within a few seconds, and writes them to its own
 * sections file (a restart keeps them).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { waitUntil } from '../helpers/async.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../helpers/redis-server.js'
import { startHarness, type Harness } from './harness.js'

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  t.test('a section and an agent changed through one engine are applied by the other', async (t) => {
    const redis = (await startRedisServer(t))!
    const stores = [0, 1].map(() => createRedisStore({ url: redis.url, prefix: 'config-engines' }))
    const engines: Harness[] = []
    for (const [i, store] of stores.entries()) engines.push(await startHarness({ store, engineId: `engine-${i}` }))
    t.teardown(async () => {
      for (const e of engines) await e.close()
      for (const s of stores) await s.close()
    })
    const [a, b] = engines as [Harness, Harness]
    const put = async (p: string, body: unknown) => {
      const r = await fetch(`${a.engine.apiUrl}${p}`, { method: 'PUT', headers: { authorization: 'Bearer demo-supervisor', 'content-type': 'application/json' }, body: JSON.stringify(body) })
      t.equal(r.status, 200, `PUT ${p}: ${r.status}`)
    }
    t.not(b.engine.app.acd.section('pensions')?.wrapUpSec, 17)
    await put('/api/sections/pensions', { wrapUpSec: 17, serviceLevel: { withinSec: 45, percent: 85 } })
    await put('/api/agents/op101/profile', { skills: { pensions: 2, contributions: 4 } })
    t.equal(a.engine.app.acd.section('pensions')?.wrapUpSec, 17, 'applied on the engine that made the change')
    await waitUntil(async () => b.engine.app.acd.section('pensions')?.wrapUpSec === 17, 15_000, "engine B's pensions wrap-up")
    await waitUntil(async () => (await b.engine.app.acd.agentRecord('op101'))?.skills?.contributions === 4, 15_000, "engine B's op101 skills")
    const bFile = readFileSync(path.join(b.dir, 'config/sections.yaml'), 'utf8')
    t.match(bFile, /withinSec: 45/, "engine B's own file holds the change")
    t.equal(bFile, readFileSync(path.join(a.dir, 'config/sections.yaml'), 'utf8'), 'the two files are the same')
  })
}
