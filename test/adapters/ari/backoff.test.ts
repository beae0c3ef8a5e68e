import t from 'tap'
import { backoffBase, backoffDelay, backoffProblem, DEFAULT_BACKOFF } from '../../../src/adapters/ari/backoff.js'

t.test('exponential from minMs, capped at maxMs, forever', async (t) => {
  const bases = Array.from({ length: 12 }, (_, i) => backoffBase(i, DEFAULT_BACKOFF))
  t.same(bases, [250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000, 10000, 10000])
  t.equal(backoffBase(5000, DEFAULT_BACKOFF), 10000, 'no overflow after many attempts')
})

t.test('jitter shortens the delay by up to `jitter` of it', async (t) => {
  const o = { minMs: 100, maxMs: 1000, jitter: 0.5 }
  t.equal(backoffDelay(0, o, () => 0), 100)
  t.equal(backoffDelay(0, o, () => 0.999999), 50)
  t.equal(backoffDelay(3, o, () => 0.5), 600)
  t.equal(backoffDelay(9, o, () => 1), 500, 'never below base * (1 - jitter)')
  t.equal(backoffDelay(9, o, () => 7), 500, 'a random source out of range is clamped')
  t.equal(backoffDelay(2, { ...o, jitter: 0 }, () => 0.9), 400)
})

t.test('bad configurations are named', async (t) => {
  t.equal(backoffProblem(DEFAULT_BACKOFF), undefined)
  t.match(backoffProblem({ minMs: 0, maxMs: 1, jitter: 0 }), /minMs/)
  t.match(backoffProblem({ minMs: 10, maxMs: 5, jitter: 0 }), /maxMs/)
  t.match(backoffProblem({ minMs: 10, maxMs: 50, jitter: -0.1 }), /jitter/)
})
