import t from 'tap'
import { startLiveness } from '../../../src/adapters/ari/liveness.js'
import { SimClock } from '../../../src/domain/clock.js'

function setup(open = true) {
  const clock = new SimClock()
  const pings: number[] = []
  let dead = 0
  const ws = { ping: () => void pings.push(clock.now()), isOpen: () => open }
  const l = startLiveness(ws, clock, 5000, 2000, () => dead++)
  return { clock, pings, l, dead: () => dead, t0: clock.now() }
}

t.test('a ping every interval after each pong; no death while pongs come', async (t) => {
  const { clock, pings, l, dead, t0 } = setup()
  clock.advance(4999)
  t.same(pings, [])
  clock.advance(1)
  t.same(pings, [t0 + 5000])
  clock.advance(1500)
  l.pong()
  clock.advance(5000)
  t.same(pings, [t0 + 5000, t0 + 11500], 'next ping counted from the pong')
  l.pong()
  l.pong()
  clock.advance(5000)
  t.equal(pings.length, 3, 'an extra pong does not double the pings')
  t.equal(dead(), 0)
})

t.test('no pong within the timeout is death, reported once', async (t) => {
  const { clock, pings, dead } = setup()
  clock.advance(5000)
  clock.advance(1999)
  t.equal(dead(), 0)
  clock.advance(1)
  t.equal(dead(), 1)
  clock.advance(60_000)
  t.equal(dead(), 1)
  t.equal(pings.length, 1, 'no more pings after death')
})

t.test('stop cancels everything; a closed socket is not pinged', async (t) => {
  const a = setup()
  a.clock.advance(5000)
  a.l.stop()
  a.l.pong()
  a.clock.advance(60_000)
  t.equal(a.dead(), 0)
  t.equal(a.clock.pending(), 0)
  const b = setup(false)
  b.clock.advance(60_000)
  t.same(b.pings, [])
  t.equal(b.dead(), 0)
})
