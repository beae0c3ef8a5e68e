/**
 * Redis goes away while calls are in progress: the calls carry on (menus, music, the bridge),
 * queue operations wait and complete once Redis is back, nothing is applied twice, and the
 * state converges (the agent whose caller hung up during the outage is freed afterwards).
 */
import t from 'tap'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { waitUntil } from '../helpers/async.js'
import { startRedisServer } from '../helpers/redis-server.js'
import { heard, startHarness } from './harness.js'

const OUTAGE_MS = 30_000

t.test(`Redis down for ${OUTAGE_MS / 1000} s with calls in a menu, waiting and talking`, async (t) => {
  const redis = await startRedisServer(t, { persist: true })
  if (!redis) return
  const store = createRedisStore({ url: redis.url, prefix: 'outage' })
  const h = await startHarness({ store, factor: 2 })
  t.teardown(async () => {
    await h.close()
    await store.close()
  })
  const sim = h.engine.sim!
  for (const id of ['op101', 'op201', 'op202']) await h.engine.app.acd.pause(id, 'meeting')

  const talking = sim.placeCall({ from: '+393331139001', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const waiting = sim.placeCall({ from: '+393331139002', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  const connected = await h.waitEvent(talking.channelId, 'queue.connected', undefined, 60_000)
  await h.waitEvent(waiting.channelId, 'queue.entered', undefined, 60_000)
  const menu = sim.placeCall({ from: '+393331139003', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => menu.heard.some((u) => u.endsWith('centralino/main_menu')), 60_000, 'third caller in the main menu')

  await redis.stop()
  const downAt = Date.now()
  // During the outage: the menu caller chooses income support (its queue entry must wait for
  // Redis), the talking caller hangs up (its agent's release must wait too).
  await menu.sendDtmf('2')
  talking.hangup()
  await talking.done
  await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - downAt)))
  t.equal(sim.channelCount(), 2, 'the waiting and the menu callers are still on the line')
  t.notOk(menu.heard.some((u) => u.endsWith('technical_error')), 'nobody was told about a technical error')
  await redis.start()

  t.equal((await h.waitEvent(menu.channelId, 'queue.entered', undefined, 30_000)).section, 'income_support', 'the menu caller queued once Redis was back')
  await waitUntil(async () => ['wrap_up', 'ready'].includes((await store.agents.get(connected.agentId))?.state ?? ''), 30_000, 'the operator freed')
  t.ok(await store.queues.get(waiting.channelId), 'the waiting caller kept its entry')
  await waitUntil(async () => (await store.events.read()).some((e) => e.callId === talking.channelId && e.type === 'call.ended'), 30_000, 'the talking call ended in the log')
  const events = await store.events.read()
  const count = (callId: string, type: string) => events.filter((e) => e.callId === callId && e.type === type).length
  t.equal(count(menu.channelId, 'queue.entered'), 1, 'joined once')
  t.equal(count(talking.channelId, 'call.ended'), 1, 'ended once')
  t.equal(count(waiting.channelId, 'queue.entered'), 1)
  // And service resumes: a pensions agent back from the meeting takes the waiting caller.
  t.ok(await h.engine.app.acd.setReady('op202'))
  t.equal((await h.waitEvent(waiting.channelId, 'queue.connected', undefined, 30_000)).agentId, 'op202')
  menu.hangup()
  waiting.hangup()
  await Promise.all([menu.done, waiting.done])
})
