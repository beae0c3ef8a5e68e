/**
 * Seeded pseudo-random numbers for the discrete-event simulator (deterministic, no Math.random):
 * mulberry32 streams, keyed streams (one per contact and attempt, so every controller meets the
 * same callee behaviour for the same seed), and the distributions the callee model draws from.
 */

export type Rng = () => number

/** mulberry32: a small, fast 32-bit generator; uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser per part). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9
  for (const p of parts) {
    let k = Math.imul(p | 0, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A stream that depends only on the seed and the keys (e.g. contact index, attempt number). */
export function streamFor(seed: number, ...keys: number[]): Rng {
  return mulberry32(hashSeed(seed, ...keys))
}

export function exponential(r: Rng, mean: number): number {
  return -Math.log(1 - r()) * mean
}

export function normal(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

/** Lognormal with the given mean and coefficient of variation. */
export function lognormal(r: Rng, mean: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv)
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * normal(r))
}

export function uniform(r: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * r()
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 through the boost u^(1/shape)). */
export function gamma(r: Rng, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * Math.pow(1 - r(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(r)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - r()
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

export function beta(r: Rng, a: number, b: number): number {
  const x = gamma(r, a)
  const y = gamma(r, b)
  return x / (x + y)
}
