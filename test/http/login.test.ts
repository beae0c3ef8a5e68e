import t from 'tap'
import { SimClock } from '../../src/domain/clock.js'
import { isAppError } from '../../src/domain/errors.js'
import { DEMO_PASSWORD_HASH, tokenAuthenticator } from '../../src/http/auth.js'
import { hashPassword, LoginService, verifyPassword } from '../../src/http/login.js'
import { auth, startApi } from './fixture.js'

t.test('scrypt hashes: verified, salted, malformed ones refused', async (t) => {
  const h = await hashPassword('s3cret')
  t.match(h, /^scrypt\$16384\$8\$1\$/)
  t.ok(await verifyPassword('s3cret', h))
  t.notOk(await verifyPassword('s3cret!', h))
  t.not(await hashPassword('s3cret'), h, 'a new salt each time')
  t.notOk(await verifyPassword('s3cret', 'plain-text'))
  t.ok(await verifyPassword('demo', DEMO_PASSWORD_HASH), 'the demo users\' password is demo')
})

t.test('sessions: a token for the right password, refused after logout or expiry', async (t) => {
  const clock = new SimClock(0)
  const logins = new LoginService({ users: { alice: { role: 'supervisor', password: DEMO_PASSWORD_HASH } }, clock, ttlMs: 60_000 })
  const a = logins.authenticator(tokenAuthenticator({ 'static-token': { user: 'svc', role: 'viewer' } }))
  const s = await logins.login('alice', 'demo', '10.0.0.1')
  t.same(await a.authenticate({ bearer: s.token, headers: {} }), { user: 'alice', role: 'supervisor' })
  t.same(await a.authenticate({ bearer: 'static-token', headers: {} }), { user: 'svc', role: 'viewer' }, 'configured tokens still work')
  t.ok(await logins.logout(s.token))
  t.equal(await a.authenticate({ bearer: s.token, headers: {} }), undefined, 'logged out')
  const s2 = await logins.login('alice', 'demo', '10.0.0.1')
  clock.advance(60_001)
  t.equal(await a.authenticate({ bearer: s2.token, headers: {} }), undefined, 'expired')
})

t.test('brute force: 5 failures in 5 minutes lock the user and the address, without checking passwords', async (t) => {
  const clock = new SimClock(0)
  const logins = new LoginService({ users: { alice: { role: 'supervisor', password: DEMO_PASSWORD_HASH } }, clock })
  const code = async (user: string, password: string, ip: string) => {
    try {
      await logins.login(user, password, ip)
      return 'ok'
    } catch (e) {
      return isAppError(e) ? `${e.code}${(e.details as { retryAfterSec?: number } | undefined)?.retryAfterSec !== undefined ? `:${(e.details as { retryAfterSec: number }).retryAfterSec}` : ''}` : 'other'
    }
  }
  for (let i = 0; i < 5; i++) t.equal(await code('alice', 'guess' + i, '10.0.0.9'), 'UNAUTHORIZED')
  t.equal(await code('alice', 'demo', '10.0.0.7'), 'TOO_MANY_REQUESTS:300', 'even the right password is refused while the user is locked')
  t.equal(await code('nobody', 'x', '10.0.0.9'), 'TOO_MANY_REQUESTS:300', 'and the address is locked too')
  clock.advance(300_001)
  t.equal(await code('alice', 'demo', '10.0.0.7'), 'ok', 'the window passed')
  for (let i = 0; i < 5; i++) t.equal(await code(`user${i}`, 'x', '10.0.0.5'), 'UNAUTHORIZED', 'unknown users count against the address')
  t.match(await code('alice', 'demo', '10.0.0.5'), /^TOO_MANY_REQUESTS/)
})

t.test('over HTTP: login, the token on a route, 401 and 429 with Retry-After, logout', async (t) => {
  const { app } = await startApi(t)
  const bad = await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'bob', password: 'nope' } })
  t.equal(bad.statusCode, 401)
  t.equal(bad.json().error.code, 'UNAUTHORIZED')
  const ok = await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'bob', password: 'demo' } })
  t.equal(ok.statusCode, 200)
  const { token, role, agentId } = ok.json() as { token: string; role: string; agentId: string }
  t.same([role, agentId], ['agent', 'op1'])
  t.equal((await app.inject({ method: 'GET', url: '/api/agents/op1', headers: auth(token) })).statusCode, 200, 'the agent reads itself')
  t.equal((await app.inject({ method: 'GET', url: '/api/agents/op2', headers: auth(token) })).statusCode, 403, 'and only itself')
  t.equal((await app.inject({ method: 'POST', url: '/api/logout', headers: auth(token) })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/api/agents/op1', headers: auth(token) })).statusCode, 401, 'logged out')
  for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'bob', password: `x${i}` } })
  const locked = await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'bob', password: 'demo' } })
  t.equal(locked.statusCode, 429)
  t.equal(locked.json().error.code, 'TOO_MANY_REQUESTS')
  t.match(locked.headers['retry-after'], /^\d+$/)
})
