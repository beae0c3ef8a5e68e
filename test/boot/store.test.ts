import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openStore } from '../../src/boot/store.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import { isAppError } from '../../src/domain/errors.js'
import { silentLogger } from '../../src/domain/log.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../helpers/redis-server.js'

t.test('store setting: memory by default, redis through the file or the environment', async (t) => {
  const d = parseEngineConfig(undefined, 'none', {})
  t.same(d.config.store, { kind: 'memory', url: 'redis://127.0.0.1:6379', prefix: 'centralino' })
  const env = parseEngineConfig(undefined, 'none', { CENTRALINO_STORE: 'redis', CENTRALINO_REDIS_URL: '/run/redis.sock', CENTRALINO_REDIS_PREFIX: 'national' })
  t.same(env.errors, [])
  t.same(env.config.store, { kind: 'redis', url: '/run/redis.sock', prefix: 'national' })
  const file = parseEngineConfig('store: { kind: redis, url: "redis://r:6379/2" }\n', 'c.yaml', {})
  t.same(file.errors, [])
  t.same(file.config.store, { kind: 'redis', url: 'redis://r:6379/2', prefix: 'centralino' })
  t.match(parseEngineConfig(undefined, 'none', { CENTRALINO_STORE: 'postgres' }).errors, [{ path: 'CENTRALINO_STORE', message: /memory, redis/ }])
  t.match(parseEngineConfig('store: { prefix: "a{b}" }\n', 'c.yaml', {}).errors, [{ path: 'store.prefix' }])
})

t.test('openStore: memory store', async (t) => {
  const s = await openStore({ kind: 'memory', url: 'x', prefix: 'p' }, silentLogger())
  t.notOk('client' in s)
  await s.close()
})

t.test('openStore: a Redis store that does not answer at boot is STORE_UNAVAILABLE', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-nostore-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const err = await openStore({ kind: 'redis', url: path.join(dir, 'none.sock'), prefix: 'p' }, silentLogger(), { readyTimeoutMs: 300 }).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.ok(isAppError(err, 'STORE_UNAVAILABLE'), String(err))
})

t.test('openStore: a Redis store with the configured prefix', { skip: redisServerAvailable() ? false : NO_REDIS }, async (t) => {
  const redis = (await startRedisServer(t))!
  const s = await openStore({ kind: 'redis', url: redis.url, prefix: 'national' }, silentLogger())
  t.teardown(() => s.close())
  await s.queues.enqueue({ callId: 'c1', section: 'pensions', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
  t.equal((s as { keys?: { queue(x: string): string } }).keys?.queue('pensions'), '{national}:q:pensions')
  t.equal((await s.queues.list('pensions')).length, 1)
})
