/**
 * Redis store throughput: ops/s for enqueue, markOffered, agent transition and event append,
 * one at a time (round-trip bound) and with 64 in flight on the one connection; then the time
 * to seed a national picture (10,000 waiting calls, 2,000 agents) and to read it back.
 *
 *   npx tsx scripts/bench/redis-store.ts              # a private redis-server on a Unix socket
 *   CENTRALINO_REDIS_URL=redis://host:6379 npx tsx scripts/bench/redis-store.ts
 *
 * Against a given server it writes under a fresh prefix and deletes it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRedisStore, seedRedisStore, syntheticLoad, type RedisStore } from '../../src/adapters/redis/index.js'
import type { AgentRecord } from '../../src/domain/acd.js'

const N = Number(process.env.BENCH_N ?? 20_000)
const CONCURRENCY = 64

async function privateServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-bench-redis-'))
  const sock = path.join(dir, 'redis.sock')
  const proc: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', sock, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  await new Promise<void>((resolve, reject) => {
    proc.once('error', reject)
    proc.once('spawn', () => resolve())
  })
  const probe = createRedisStore({ url: sock, prefix: 'probe' })
  await probe.ready()
  await probe.close()
  return {
    url: sock,
    async stop() {
      const gone = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await gone
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function measure(label: string, n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++)
    }),
  )
  const ms = performance.now() - t0
  console.log(`${label.padEnd(34)} ${String(Math.round((n / ms) * 1000)).padStart(8)} ops/s   (${n} ops, ${concurrency} in flight, ${(ms / n).toFixed(3)} ms/op mean)`)
}

const agent = (i: number): AgentRecord => ({ id: `a${i}`, name: `A${i}`, endpoint: `PJSIP/a${i}`, sections: ['pensions'], state: 'ready', since: 0, idleSince: 0 })

async function run(s: RedisStore, tag: string, concurrency: number): Promise<void> {
  const agents = 2000
  for (let i = 0; i < agents; i++) await s.agents.upsert(agent(i))
  await measure(`enqueue (${tag})`, N, concurrency, (i) =>
    s.queues.enqueue({ callId: `${tag}-${i}`, section: `s${i % 4}`, priority: i % 20 === 0 ? 5 : 0, enteredAt: 1_761_000_000_000 + i, lang: 'it', status: 'waiting' }),
  )
  await measure(`markOffered (${tag})`, N, concurrency, (i) => s.queues.markOffered(`${tag}-${i}`, `a${i % agents}`))
  // ready -> reserved, then reserved -> ready: every op is a successful compare-and-set
  await measure(`agent transition (${tag})`, N, Math.min(concurrency, agents), (i) => {
    const id = `a${i % agents}`
    return Math.floor(i / agents) % 2 === 0 ? s.agents.transition(id, ['ready'], 'reserved', i, { callId: `c${i}` }) : s.agents.transition(id, ['reserved'], 'ready', i, { callId: undefined, idleSince: i })
  })
  await measure(`event append (${tag})`, N, concurrency, (i) => s.events.append({ id: `${tag}-e${i}`, at: i, callId: `${tag}-${i % 1000}`, type: 'queue.entered', section: 'pensions', priority: 0, position: i % 50 }))
}

const given = process.env.CENTRALINO_REDIS_URL
const server = given ? undefined : await privateServer()
const url = given ?? server!.url
const prefix = `bench-${process.pid}-${Date.now()}`
const s = createRedisStore({ url, prefix })
// the national picture goes under its own prefix, on the same connection
const national = createRedisStore({ client: s.client, prefix: `${prefix}-national` })
await s.ready()
console.log(`Redis store benchmark: ${given ? url.replace(/\/\/[^@]*@/, '//***@') : 'private redis-server on a Unix socket'}, node ${process.version}`)
try {
  await run(s, 'sequential', 1)
  await run(s, 'concurrent', CONCURRENCY)

  const load = syntheticLoad({ waiting: 10_000, agents: 2_000 })
  const t0 = performance.now()
  const seeded = await seedRedisStore(national, load)
  const t1 = performance.now()
  console.log(`seed ${seeded.entries} waiting calls + ${seeded.agents} agents (pipelined): ${(t1 - t0).toFixed(0)} ms`)
  const lists = await Promise.all(['operators', 'pensions', 'income_support', 'contributions'].map((x) => national.queues.list(x)))
  const t2 = performance.now()
  const all = await national.agents.list()
  const t3 = performance.now()
  console.log(`read back: 4 queues (${lists.reduce((a, l) => a + l.length, 0)} entries) ${(t2 - t1).toFixed(1)} ms, ${all.length} agents ${(t3 - t2).toFixed(1)} ms`)
} finally {
  await cleanup(s)
  await cleanup(national)
  await s.close()
  await server?.stop()
}

async function cleanup(st: RedisStore): Promise<void> {
  const pattern = `${st.keys.tag.replace(/[{}]/g, '\\$&')}:*`
  let cursor = '0'
  do {
    const [next, keys] = await st.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await st.client.del(...keys)
  } while (cursor !== '0')
}
