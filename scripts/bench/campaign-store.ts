/**
 * Quick figures for the campaign store (not a test): 500,000 contacts added in batches of 1,000
 * (rows/s), then claimDue latency p50/p99 with ~500,000 pending, on a private redis-server and
 * on the memory store. Run: npx tsx scripts/bench/campaign-store.ts (N=... for another size)
 */
import { Redis } from 'ioredis'
import { performance } from 'node:perf_hooks'
import { startBenchRedis } from './redis-server.js'
import { createRedisCampaignStore } from '../../src/adapters/redis/campaigns.js'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import type { CampaignStore, NewContact } from '../../src/domain/campaign-store.js'
import { campaign } from '../../test/helpers/campaign-store-contract.js'

const N = Number(process.env.N ?? 500_000)
if (N < 50_000) throw new RangeError('N must be at least 50,000 (the claims below take 21,000 contacts, the completions 1,000 more)')
const BATCH = 1000
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)

function row(i: number): NewContact {
  const number = `+393${String(300000000 + i).padStart(9, '0')}`
  return { id: number, number, name: `Cittadino ${i}`, fields: { codice: `C${i.toString(36).padStart(8, '0')}`, comune: i % 7 ? 'Roma' : 'Milano', iscrizione: '2019-04-01' }, lines: [i + 2] }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function run(label: string, s: CampaignStore, info?: () => Promise<string>) {
  await s.put(campaign('bench'), T0)
  let t = performance.now()
  for (let i = 0; i < N; i += BATCH) {
    const batch: NewContact[] = []
    for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(row(j))
    // a tenth of the rows repeat a number of the batch before: merged
    if (i > 0) for (let j = 0; j < 100; j++) batch[j * 10] = { ...row(i - BATCH + j), lines: [i + j] }
    await s.addContacts('bench', batch)
  }
  const addMs = performance.now() - t
  const counts = await s.counts('bench')
  console.log(`${label}: addContacts ${N.toLocaleString('en')} rows in batches of ${BATCH}: ${(addMs / 1000).toFixed(1)} s, ${Math.round(N / (addMs / 1000)).toLocaleString('en')} rows/s (pending ${counts.pending.toLocaleString('en')})`)
  if (info) console.log(`${label}: ${await info()}`)

  for (const n of [1, 10, 50]) {
    const lat: number[] = []
    const rounds = n === 50 ? 200 : 1000
    for (let k = 0; k < rounds; k++) {
      const t1 = performance.now()
      const got = await s.claimDue('bench', T0 + 1, n, 'engine-a', 60_000)
      lat.push(performance.now() - t1)
      if (got.length !== n) throw new Error('short claim')
    }
    const left = (await s.counts('bench')).pending
    console.log(`${label}: claimDue n=${n} with ~${left.toLocaleString('en')} pending, ${rounds} calls: p50 ${pct(lat, 50).toFixed(3)} ms, p99 ${pct(lat, 99).toFixed(3)} ms, ${(pct(lat, 50) / n * 1000).toFixed(1)} µs/contact at p50`)
  }
  const claimed = await s.claimDue('bench', T0 + 1, 1000, 'engine-b', 60_000)
  const lat: number[] = []
  for (const c of claimed) {
    const t1 = performance.now()
    await s.complete('bench', c.id, 'engine-b', { outcome: 'no_answer', status: 'pending', nextAt: T0 + 7_200_000, at: T0 + 60_000, hour: '2026-11-23T10' })
    lat.push(performance.now() - t1)
  }
  console.log(`${label}: complete (retry scheduled), 1000 calls: p50 ${pct(lat, 50).toFixed(3)} ms, p99 ${pct(lat, 99).toFixed(3)} ms`)
  const numbers = Array.from({ length: 1000 }, (_, i) => row(i * 37).number)
  await s.addOptOut(numbers.filter((_, i) => i % 5 === 0))
  t = performance.now()
  for (let k = 0; k < 100; k++) await s.isOptedOut(numbers)
  console.log(`${label}: isOptedOut, batches of 1000 numbers: ${((performance.now() - t) / 100).toFixed(2)} ms a batch`)
  t = performance.now()
  let seen = 0
  let cursor = '0'
  do {
    const page = await s.scan('bench', cursor, 1000)
    seen += page.contacts.length
    cursor = page.cursor
  } while (cursor !== '0')
  const scanMs = performance.now() - t
  console.log(`${label}: scan (export read) of ${seen.toLocaleString('en')} contacts, pages of 1000: ${(scanMs / 1000).toFixed(1)} s, ${Math.round(seen / (scanMs / 1000)).toLocaleString('en')} rows/s`)
}

const began = Date.now()
const r = startBenchRedis()
if (!r) throw new Error('redis-server not installed')
await new Promise((res) => setTimeout(res, 300))
const client = new Redis(r.url)
try {
  await run('redis', createRedisCampaignStore(client, { prefix: 'bench' }), async () => {
    const mem = /used_memory_human:(\S+)/.exec(await client.info('memory'))?.[1]
    return `redis-server used_memory ${mem} after the import`
  })
} finally {
  await client.quit()
  await r.stop()
}
await run('memory', createMemoryCampaignStore())
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores, run time ${((Date.now() - began) / 1000).toFixed(0)} s`)
