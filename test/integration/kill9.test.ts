/**
 * kill -9 for real: the engine runs in its own process (npm run engine's entry, on the Redis
 * store and a simulated Asterisk in this process), with calls in a menu, waiting and talking.
 * SIGKILL, then a new engine process on the same Asterisk and Redis: it resumes every call.
 * Prints the time from the kill to the calls resumed (a figure, not an assertion).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { readSections } from '../../src/config/sections.js'
import { RealClock } from '../../src/domain/clock.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import { waitUntil } from '../helpers/async.js'
import { startRedisServer } from '../helpers/redis-server.js'
import { startEngineProcess, writeAlwaysOpenConfig } from '../helpers/engine-process.js'
import { heard } from './harness.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

t.test('SIGKILL with calls in a menu, waiting and talking; a new engine process resumes them', async (t) => {
  const redis = await startRedisServer(t)
  if (!redis) return
  const now = Date.now()
  // The engine process runs on real time: give it the example flow open around the clock, so
  // the test does not depend on the hour in Rome.
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-kill9-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { configFile, flow } = writeAlwaysOpenConfig(dir)
  t.match(flow, /sun: \['00:00-24:00'\]/, 'the test flow is open every day')
  const clock = new RealClock()
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const sim = await startSimulator({ clock, users: { engine: 'engine' }, soundDuration: catalogueDurations(catalogue, path.join(ROOT, 'prompts/audio')), phones: () => ({ answerAfterMs: 500 }) })
  t.teardown(() => sim.close())
  const prefix = `kill9-${process.pid}`
  const store = createRedisStore({ url: redis.url, prefix })
  t.teardown(() => store.close())
  // Agents logged in (the HTTP API would do this): ready, except pensions' who are in a meeting.
  const { config } = readSections(path.join(ROOT, 'config/sections.yaml'))
  for (const a of config!.agents) {
    const paused = ['op101', 'op201', 'op202'].includes(a.id)
    await store.agents.upsert({ ...a, state: paused ? 'paused' : 'ready', pauseReason: paused ? 'meeting' : undefined, since: now, idleSince: now })
  }
  const env = {
    CENTRALINO_CONFIG: configFile,
    CENTRALINO_TELEPHONY: 'ari',
    CENTRALINO_ARI_URL: sim.url,
    CENTRALINO_STORE: 'redis',
    CENTRALINO_REDIS_URL: redis.url,
    CENTRALINO_REDIS_PREFIX: prefix,
    CENTRALINO_HTTP_PORT: '0',
    CENTRALINO_LOG_LEVEL: 'info',
  }
  const first = startEngineProcess(env)
  t.teardown(() => first.stop('SIGKILL'))
  await waitUntil(() => first.count('engine started') > 0, 60_000, 'first engine up')

  const talking = sim.placeCall({ from: '+393331129001', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const waiting = sim.placeCall({ from: '+393331129002', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await waitUntil(() => talking.heard.length > 0 && sim.stats().bridges === 1, 60_000, 'the operator call bridged')
  await waitUntil(async () => (await store.queues.get(waiting.channelId)) !== undefined, 60_000, 'the second caller waiting')
  const before = (await store.queues.get(waiting.channelId))!
  const inMenu = sim.placeCall({ from: '+393331129003', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => inMenu.heard.some((u) => u.endsWith('centralino/main_menu')), 60_000, 'third caller in the main menu')
  await waitUntil(async () => (await store.calls.get(inMenu.channelId))?.flow !== undefined, 10_000, 'menu state saved')

  await first.stop('SIGKILL')
  const killedAt = Date.now()
  t.equal(sim.channelCount(), 4, 'the calls are still up in Asterisk: three callers and the operator')

  const second = startEngineProcess(env)
  t.teardown(() => second.stop('SIGTERM'))
  await waitUntil(() => second.count('resuming call') === 3, 60_000, 'three calls resumed')
  const resumedMs = Date.now() - killedAt
  t.comment(`SIGKILL to the three calls resumed by a new engine process: ${resumedMs} ms (process start included)`)

  await inMenu.sendDtmf('2')
  await waitUntil(async () => (await store.queues.get(inMenu.channelId))?.section === 'income_support', 20_000, 'the menu caller went on from the main menu')
  t.equal(inMenu.heard.filter((u) => u.endsWith('centralino/main_menu')).length, 1, 'main menu not replayed')
  const after = (await store.queues.get(waiting.channelId))!
  t.same([after.enteredAt, after.seq, after.section], [before.enteredAt, before.seq, before.section], 'queue place unchanged')
  t.equal(sim.stats().bridges, 1, 'the talking call is still bridged')
  talking.hangup()
  await talking.done
  await waitUntil(async () => (await store.events.read()).some((e) => e.callId === talking.channelId && e.type === 'call.ended'), 20_000, 'the new engine ended the talking call')
  t.equal((await store.events.read()).filter((e) => e.type === 'call.started').length, 3, 'no call started twice')
  inMenu.hangup()
  waiting.hangup()
  await Promise.all([inMenu.done, waiting.done])
})
