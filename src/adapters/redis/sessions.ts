/**
 * Login sessions and failed-login counts in Redis, shared by every engine:
 *   {P}:sess:<token digest>   the principal and its end (JSON), expiring with the session
 *   {P}:lf:<user or address>  sorted set of failure times, trimmed to the window, expiring with it
 * The stored end is checked against the engine's clock as well as Redis's own expiry (the
 * engine's clock may be simulated). Plain commands: each write is one key, no script needed.
 */
import { randomBytes } from 'node:crypto'
import type { Principal } from '../../http/auth.js'
import type { SessionStore } from '../../domain/sessions.js'
import type { RedisStore } from './store.js'

export function createRedisSessionStore(store: RedisStore): SessionStore {
  const c = store.client
  const k = store.keys
  return {
    async put(key, principal, until) {
      // Redis expires it by its own clock: a minute later than due, the engine's check decides.
      const ttl = Math.max(1000, until - Date.now()) + 60_000
      await c.set(k.session(key), JSON.stringify({ principal, until }), 'PX', ttl)
    },
    async get(key, now) {
      const raw = await c.get(k.session(key))
      if (!raw) return undefined
      const s = JSON.parse(raw) as { principal: Principal; until: number }
      if (s.until <= now) {
        await c.del(k.session(key))
        return undefined
      }
      return s.principal
    },
    async delete(key) {
      return (await c.del(k.session(key))) > 0
    },
    async fail(key, now, windowMs) {
      const z = k.loginFailures(key)
      await c
        .multi()
        .zadd(z, now, `${now}:${randomBytes(4).toString('hex')}`)
        .zremrangebyscore(z, '-inf', now - windowMs)
        .pexpire(z, windowMs + 60_000)
        .exec()
    },
    async failures(key, now, windowMs) {
      const rows = await c.zrangebyscore(k.loginFailures(key), `(${now - windowMs}`, '+inf', 'WITHSCORES')
      const out: number[] = []
      for (let i = 1; i < rows.length; i += 2) out.push(Number(rows[i]))
      return out
    },
    async clearFailures(key) {
      await c.del(k.loginFailures(key))
    },
  }
}
