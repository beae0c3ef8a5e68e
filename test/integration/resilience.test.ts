/**
 * Calls carry on through the events WebSocket dropping (the engine reconnects, resyncs, and
 * the flow continues), and through a flow being hot-reloaded while they run.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import type { FlowReload } from '../../src/ivr/index.js'
import { waitUntil } from '../helpers/async.js'
import { heard, startHarness } from './harness.js'

t.test('events socket dropped during the main menu: the engine reconnects and the call goes on to an agent', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const call = sim.placeCall({ from: '+393331230000', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => call.heard.some((u) => u.endsWith('centralino/main_menu')), 20_000, 'main menu')
  sim.dropEventSockets()
  await waitUntil(async () => (await h.engine.app.summary()).eventLag.reconnects >= 1, 20_000, 'reconnect')
  // Pressed after the reconnect: the new socket delivers it to the same session.
  await call.sendDtmf('2')
  const connected = await h.waitEvent(call.channelId, 'queue.connected', undefined, 30_000)
  t.equal(connected.section, 'income_support')
  const started = (await h.eventsOf(call.channelId)).filter((e) => e.type === 'call.started')
  t.equal(started.length, 1, 'the same session carried on (no second start)')
  call.hangup()
  await call.done
  await h.waitEvent(call.channelId, 'call.ended')
})

t.test('a caller who hangs up while the socket is down is ended at resync; a call that arrived meanwhile is adopted', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const a = sim.placeCall({ from: '+393331230001', to: '803164', script: [heard('choose_language')] })
  await waitUntil(() => a.heard.length > 0 && h.engine.app.registry.size === 1, 20_000, 'first call in the menu')
  // Keep the engine away long enough to miss events: drop, then hang up and place a call at once.
  sim.dropEventSockets()
  a.hangup()
  const b = sim.placeCall({ from: '+393331230002', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }, { waitFor: 'bridged', timeoutMs: 60_000 }, { wait: 2000 }, { hangup: true }] })
  await a.done
  const ended = await h.waitEvent(a.channelId, 'call.ended', undefined, 30_000)
  t.ok(ended, 'the vanished caller was ended')
  const connected = await h.waitEvent(b.channelId, 'queue.connected', undefined, 40_000)
  t.equal(connected.section, 'operators', 'the second call was served')
  await b.done
  t.ok((await h.engine.app.summary()).eventLag.reconnects >= 1)
})

t.test('hot reload: the call in progress finishes on its version, new calls get the new one, a broken file changes nothing', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const file = path.join(h.dir, 'config/flows/national.yaml')
  const original = readFileSync(file, 'utf8')
  const v1 = h.engine.flows.current('national')!.version

  const first = sim.placeCall({ from: '+393331230003', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => first.heard.some((u) => u.endsWith('centralino/main_menu')), 20_000, 'first caller in the main menu')

  const reloaded = new Promise<FlowReload>((resolve) => h.engine.flows.onReload(resolve))
  // Version 2: option 2 leads to the contributions section instead of income support.
  const changed = original.replace("'2': income_support", "'2': contributions")
  t.not(changed, original, 'the edit applies to the example flow')
  writeFileSync(file, changed)
  await reloaded
  const v2 = h.engine.flows.current('national')!.version
  t.not(v2, v1)

  await first.sendDtmf('2')
  const firstEntered = await h.waitEvent(first.channelId, 'queue.entered')
  t.equal(firstEntered.section, 'income_support', 'the call in progress kept its version')
  const firstFin = await h.waitEvent(first.channelId, 'ivr.finished')
  t.equal(firstFin.flowVersion, v1)

  const rejected = new Promise((resolve) => h.engine.flows.onRejected(resolve))
  writeFileSync(file, changed.replace('type: menu', 'type: menu\n    bogus: [unclosed'))
  await rejected
  t.equal(h.engine.flows.current('national')!.version, v2, 'the broken file was rejected, version 2 stays')

  const second = sim.placeCall({ from: '+393331230004', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '2' }] })
  const secondEntered = await h.waitEvent(second.channelId, 'queue.entered')
  t.equal(secondEntered.section, 'contributions', 'a new call runs the new version')
  const secondFin = await h.waitEvent(second.channelId, 'ivr.finished')
  t.equal(secondFin.flowVersion, v2)
  first.hangup()
  second.hangup()
  await Promise.all([first.done, second.done])
})
