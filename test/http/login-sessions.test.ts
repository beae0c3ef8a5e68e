/**
 * Login sessions in their store (src/domain/sessions.ts): the same behaviour in memory and in
 * Redis (a private redis-server), and with Redis, two engines' login services share sessions
 * and failure counts: a token issued by one works on the other, a logout on one ends it on
 * both, five failures spread over two engines lock the user. A session ends when its user is
 * removed or given another role.
 */
import t, { type Test } from 'tap'
import { createMemorySessionStore } from '../../src/adapters/memory/sessions.js'
import { createRedisSessionStore } from '../../src/adapters/redis/sessions.js'
import { createRedisStore } from '../../src/adapters/redis/store.js'
import { SimClock } from '../../src/domain/clock.js'
import { isAppError } from '../../src/domain/errors.js'
import type { SessionStore } from '../../src/domain/sessions.js'
import { DEMO_PASSWORD_HASH, tokenAuthenticator } from '../../src/http/auth.js'
import { LoginService, type LoginUser } from '../../src/http/login.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../helpers/redis-server.js'

function contract(t: Test, name: string, make: () => Promise<SessionStore>) {
  t.test(`${name}: sessions end when due or deleted`, async (t) => {
    const s = await make()
    await s.put('k1', { user: 'op1', role: 'agent', agentId: 'op1' }, 1_000)
    t.same(await s.get('k1', 999), { user: 'op1', role: 'agent', agentId: 'op1' })
    t.equal(await s.get('k1', 1_000), undefined, 'due at its end')
    t.equal(await s.get('k1', 10), undefined, 'and gone for good once seen due')
    await s.put('k2', { user: 'sup', role: 'supervisor' }, 5_000)
    t.ok(await s.delete('k2'))
    t.notOk(await s.delete('k2'), 'a second delete finds nothing')
    t.equal(await s.get('k2', 0), undefined)
  })
  t.test(`${name}: failures are kept for the window only`, async (t) => {
    const s = await make()
    await s.fail('u:alice', 1_000, 60_000)
    await s.fail('u:alice', 2_000, 60_000)
    await s.fail('u:alice', 2_000, 60_000)
    t.same(await s.failures('u:alice', 3_000, 60_000), [1_000, 2_000, 2_000], 'two at the same instant both count')
    t.same(await s.failures('u:alice', 61_500, 60_000), [2_000, 2_000])
    t.same(await s.failures('u:bob', 3_000, 60_000), [])
    await s.clearFailures('u:alice')
    t.same(await s.failures('u:alice', 3_000, 60_000), [])
  })
}

contract(t, 'memory', async () => createMemorySessionStore())

const users: Record<string, LoginUser> = { alice: { role: 'supervisor', password: DEMO_PASSWORD_HASH }, op1: { role: 'agent', agentId: 'op1', password: DEMO_PASSWORD_HASH } }

t.test('a session ends when its user is removed or changes role', async (t) => {
  const clock = new SimClock(0)
  const live: Record<string, LoginUser> = { ...users }
  const logins = new LoginService({ users: live, clock })
  const a = logins.authenticator(tokenAuthenticator({}))
  const s = await logins.login('alice', 'demo', '10.0.0.1')
  t.same(await a.authenticate({ bearer: s.token, headers: {} }), { user: 'alice', role: 'supervisor' })
  live.alice = { role: 'viewer', password: DEMO_PASSWORD_HASH }
  t.equal(await a.authenticate({ bearer: s.token, headers: {} }), undefined, 'role changed: logged out')
  live.alice = users.alice!
  t.equal(await a.authenticate({ bearer: s.token, headers: {} }), undefined, 'and the old session does not come back')
  const s2 = await logins.login('op1', 'demo', '10.0.0.1')
  delete live.op1
  t.equal(await a.authenticate({ bearer: s2.token, headers: {} }), undefined, 'user removed')
})

if (!redisServerAvailable()) {
  t.test('redis', (t) => (t.plan(0, NO_REDIS), t.end()))
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  const open = (prefix = `s${++n}`) => {
    const store = createRedisStore({ url: redis.url, prefix })
    t.teardown(() => store.close())
    return store
  }
  contract(t, 'redis', async () => createRedisSessionStore(open()))

  t.test('two engines on one Redis share sessions and failure counts', async (t) => {
    const clock = new SimClock(1_700_000_000_000)
    const one = new LoginService({ users, clock, sessions: createRedisSessionStore(open('shared')) })
    const two = new LoginService({ users, clock, sessions: createRedisSessionStore(open('shared')) })
    const authTwo = two.authenticator(tokenAuthenticator({}))
    const s = await one.login('op1', 'demo', '10.0.0.1')
    t.same(await authTwo.authenticate({ bearer: s.token, headers: {} }), { user: 'op1', role: 'agent', agentId: 'op1' }, 'a token from engine one works on engine two')
    t.ok(await two.logout(s.token), 'logged out on engine two')
    t.equal(await one.authenticator(tokenAuthenticator({})).authenticate({ bearer: s.token, headers: {} }), undefined, 'and so on engine one')

    const attempt = async (svc: LoginService, password: string) => {
      try {
        await svc.login('alice', password, '10.0.0.9')
        return 'ok'
      } catch (e) {
        return isAppError(e) ? e.code : 'other'
      }
    }
    for (let i = 0; i < 5; i++) t.equal(await attempt(i % 2 ? one : two, `guess${i}`), 'UNAUTHORIZED')
    t.equal(await attempt(one, 'demo'), 'TOO_MANY_REQUESTS', 'five failures across two engines lock the user on both')
    clock.advance(300_001)
    t.equal(await attempt(two, 'demo'), 'ok')
  })
}
