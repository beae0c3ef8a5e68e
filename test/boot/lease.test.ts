import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { LeaseKeeper } from '../../src/boot/lease.js'
import { SimClock } from '../../src/domain/clock.js'
import { silentLogger } from '../../src/domain/log.js'
import type { LeaseStore } from '../../src/domain/store.js'
import { settle } from '../helpers/async.js'

const make = (leases: LeaseStore, clock: SimClock, owner: string, lost: string[]) =>
  new LeaseKeeper({ leases, name: 'server:ast1', owner, ttlMs: 3000, clock, log: silentLogger(), onLost: (why) => lost.push(`${owner}: ${why}`) })

async function run(clock: SimClock, ms: number): Promise<void> {
  for (let i = 0; i < ms / 100; i++) {
    clock.advance(100)
    await settle(5)
  }
}

t.test('a standby waits while the holder renews, and takes over one TTL after it stops renewing', async (t) => {
  const clock = new SimClock(0)
  const store = createMemoryStore()
  const lost: string[] = []
  const a = make(store.leases, clock, 'a', lost)
  await a.acquire()
  a.start()
  const b = make(store.leases, clock, 'b', lost)
  let bHolds = false
  void b.acquire().then(() => (bHolds = true))
  await run(clock, 10_000)
  t.equal(bHolds, false, 'b stood by for 10 s while a renewed')
  // a dies: no more renewals.
  await a.stop(false)
  await run(clock, 2_000)
  t.equal(bHolds, false, 'not before the TTL has run out')
  await run(clock, 2_000)
  t.equal(bHolds, true, 'b took over within a TTL plus one polling period')
  t.same(lost, [])
  await b.stop()
  t.equal(await store.leases.holder('server:ast1', clock.now()), undefined, 'released on a clean stop')
})

t.test('the holder gives up when another engine holds the lease, or when the store is unreachable for a TTL', async (t) => {
  const clock = new SimClock(0)
  const store = createMemoryStore()
  const lost: string[] = []
  const a = make(store.leases, clock, 'a', lost)
  await a.acquire()
  a.start()
  // Someone forced the lease (e.g. an operator moved the server to another engine).
  await store.leases.release('server:ast1', 'a')
  await store.leases.acquire('server:ast1', 'x', 3000, clock.now())
  await run(clock, 1_100)
  t.same(lost, ['a: another engine holds the lease'])
  t.equal(a.holding, false)

  const broken: LeaseStore = {
    ...store.leases,
    acquire: (...args) => store.leases.acquire(...args),
    renew: async () => {
      throw new Error('ECONNREFUSED')
    },
    release: async () => undefined,
    holder: async () => undefined,
  }
  const lost2: string[] = []
  const c = make(broken, clock, 'c', lost2)
  await store.leases.release('server:ast1', 'x')
  await c.acquire()
  c.start()
  await run(clock, 2_000)
  t.same(lost2, [], 'a failed renewal alone is not a loss')
  await run(clock, 1_500)
  t.same(lost2, ['c: lease not renewed for a whole TTL'])
  await c.stop()
})
