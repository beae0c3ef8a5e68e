/**
 * Routing and announcements in the whole engine against the simulator (the example
 * configuration): a returning citizen goes back to the operator who served them, found
 * through the call's own record; a waiting caller hears its position and the estimated wait.
 */
import t from 'tap'
import { heard, startHarness } from '../integration/harness.js'

const CITIZEN = '+393331112223'
const toOperator = (hangupAfterMs: number) => [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }, { waitFor: 'bridged' as const, timeoutMs: 60_000 }, { wait: hangupAfterMs }, { hangup: true as const }]

t.test('continuity: calling again, the citizen is answered by the operator who served them, not the longest idle', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const first = sim.placeCall({ from: CITIZEN, to: '803164', script: toOperator(500) })
  const served = await h.waitEvent(first.channelId, 'queue.connected')
  await first.done
  await h.waitEvent(first.channelId, 'call.ended')
  t.match(await h.store.history.lastServed(CITIZEN, h.clock.now(), 60_000), { agentId: served.agentId }, 'recorded on connect')
  // The operator who served is the one who was idle least: without continuity another would answer.
  const second = sim.placeCall({ from: CITIZEN, to: '803164', script: toOperator(500) })
  const entered = await h.waitEvent(second.channelId, 'queue.entered')
  t.equal(entered.section, 'operators')
  const again = await h.waitEvent(second.channelId, 'queue.connected')
  t.equal(again.agentId, served.agentId, 'the same operator')
  // Another citizen meanwhile gets whoever is longest idle.
  const other = sim.placeCall({ from: '+393339998887', to: '803164', script: toOperator(500) })
  const otherServed = await h.waitEvent(other.channelId, 'queue.connected')
  t.not(otherServed.agentId, served.agentId)
  await Promise.all([second.done, other.done])
})

t.test('a caller waiting for pensions hears how many are ahead and about how long it will take', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  // Two of the three pensions agents away; the third talking to someone else.
  for (const id of ['op101', 'op202']) t.ok(await acd.pause(id, 'meeting'))
  const toPensions = [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }]
  const talking = sim.placeCall({ from: '+393330000011', to: '803164', script: [...toPensions, { waitFor: 'bridged', timeoutMs: 60_000 }, { wait: 60_000 }, { hangup: true }] })
  await h.waitEvent(talking.channelId, 'queue.connected')
  const waiting = sim.placeCall({ from: '+393330000012', to: '803164', script: [...toPensions, heard('queue_wait_minutes'), { hangup: true }] })
  const result = await waiting.done
  const sounds = result.heard.map((u) => u.replace(/^sound:centralino\//, ''))
  const i = sounds.indexOf('queue_next')
  t.ok(i >= 0, 'next in line')
  // One pensions agent of 300 s (the configured assumption before any call is measured).
  t.same(sounds.slice(i, i + 4), ['queue_next', 'queue_wait_about', 'number:5', 'queue_wait_minutes'])
  talking.hangup()
  await talking.done
})
