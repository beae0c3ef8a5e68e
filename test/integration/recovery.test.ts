/**
 * Calls survive the engine: engine A runs calls in a menu, in a queue and talking, then "dies"
 * (its Telephony and Store freeze, its events socket closes: nothing it does reaches Asterisk
 * or the store any more, as after kill -9). Engine B starts on the same Asterisk and store: on
 * its first connection it finds the channels in the application and resumes them from their
 * records — the flow at the same node with its deadline, the queue place unchanged, the bridge
 * kept — without playing or dialing anything twice.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { crashableEngine, world } from './crash.js'
import { heard, startHarness } from './harness.js'

t.test('kill -9 of the engine with calls in a menu, waiting and talking: a new engine resumes them all', async (t) => {
  const w = await world(t)
  const { clock, sim, store } = w
  const { h: a, crash } = await crashableEngine(w, { engineId: 'engine-a' })
  // Pensions has nobody free: the waiting caller stays waiting through the crash.
  for (const id of ['op101', 'op201', 'op202']) await a.engine.app.acd.pause(id, 'meeting')

  const talking = sim.placeCall({ from: '+393331119001', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const waiting = sim.placeCall({ from: '+393331119002', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  const connected = await a.waitEvent(talking.channelId, 'queue.connected')
  await a.waitEvent(waiting.channelId, 'queue.entered')
  const before = (await store.queues.get(waiting.channelId))!
  const inMenu = sim.placeCall({ from: '+393331119003', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => inMenu.heard.some((u) => u.endsWith('centralino/main_menu')), 20_000, 'third caller in the main menu')
  await waitUntil(async () => (await store.calls.get(inMenu.channelId))?.flow !== undefined, 5_000, 'menu state saved')

  // kill -9: engine A can no longer act; its socket goes away.
  await crash()
  await a.engine.api.close() // and its HTTP API
  const bridgesAtCrash = sim.stats().bridges
  t.equal(bridgesAtCrash, 1, 'the talking call is bridged at the crash')

  const b = await startHarness({ sim, clock, store, engineId: 'engine-b' })
  t.teardown(() => b.close())
  await waitUntil(() => b.engine.app.registry.size === 3 && b.engine.app.registry.all().every((s) => s.phase !== 'starting'), 10_000, 'engine B took the three calls')
  const phases = b.engine.app.registry.all().map((s) => [s.callId, s.phase])
  t.same(new Map(phases as Array<[string, string]>), new Map([[talking.channelId, 'connected'], [waiting.channelId, 'queue'], [inMenu.channelId, 'ivr']]))

  // The caller in the menu goes on from the same node: 2 is income support.
  await inMenu.sendDtmf('2')
  const entered = await b.waitEvent(inMenu.channelId, 'queue.entered')
  t.equal(entered.section, 'income_support', 'the flow resumed at the main menu')
  t.equal(inMenu.heard.filter((u) => u.endsWith('centralino/main_menu')).length, 1, 'the main menu was not played again')
  t.equal(inMenu.heard.filter((u) => u.endsWith('centralino/welcome')).length, 1, 'nor the welcome')

  // The waiting caller kept its entry and place.
  const after = await store.queues.get(waiting.channelId)
  t.same({ section: after?.section, enteredAt: after?.enteredAt, seq: after?.seq }, { section: before.section, enteredAt: before.enteredAt, seq: before.seq })
  t.ok(await b.engine.app.acd.setReady('op201'))
  const served = await b.waitEvent(waiting.channelId, 'queue.connected', undefined, 30_000)
  t.equal(served.agentId, 'op201')

  // The talking call is still bridged; when the caller hangs up, B closes its books.
  t.equal(talking.heard.length > 0, true)
  talking.hangup()
  await talking.done
  await b.waitEvent(talking.channelId, 'call.ended')
  const op = await store.agents.get(connected.agentId)
  t.match(op?.state, /^(wrap_up|ready)$/, 'the operator was freed by engine B')
  t.equal((await store.events.read()).filter((e) => e.type === 'call.started').length, 3, 'no call started twice')
  t.equal(await store.calls.get(talking.channelId), undefined, 'the ended call left no record')

  inMenu.hangup()
  waiting.hangup()
  await Promise.all([inMenu.done, waiting.done])
  await waitUntil(async () => (await store.calls.list(`centralino@${sim.url}`)).length === 0, 10_000, 'every record removed')
})

t.test('a caller who hangs up while no engine runs: the next engine closes the books', async (t) => {
  const w = await world(t)
  const { clock, sim, store } = w
  const { h: a, crash } = await crashableEngine(w)
  for (const id of ['op101', 'op201', 'op202']) await a.engine.app.acd.pause(id, 'meeting')
  const waiting = sim.placeCall({ from: '+393331119004', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await a.waitEvent(waiting.channelId, 'queue.entered')
  await crash()
  await a.engine.api.close()
  waiting.hangup()
  await waiting.done

  const b = await startHarness({ sim, clock, store })
  t.teardown(() => b.close())
  const ended = await b.waitEvent(waiting.channelId, 'call.ended')
  t.match(ended.reason, /no engine/)
  const abandoned = (await store.events.read()).find((e) => e.type === 'queue.abandoned' && e.callId === waiting.channelId)
  t.ok(abandoned, 'counted as abandoned')
  t.equal(await store.queues.get(waiting.channelId), undefined, 'its queue entry is gone')
  t.equal(await store.calls.get(waiting.channelId), undefined, 'its record is gone')
})

t.test('graceful stop hands the calls over: the next engine resumes the waiting caller in its place', async (t) => {
  const { clock, sim, store } = await world(t)
  const a = await startHarness({ sim, clock, store })
  for (const id of ['op101', 'op201', 'op202']) await a.engine.app.acd.pause(id, 'meeting')
  const waiting = sim.placeCall({ from: '+393331119005', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await a.waitEvent(waiting.channelId, 'queue.entered')
  const before = (await store.queues.get(waiting.channelId))!
  const inMenu = sim.placeCall({ from: '+393331119015', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu')] })
  await waitUntil(() => inMenu.heard.some((u) => u.endsWith('centralino/main_menu')), 20_000, 'a caller hearing the main menu')
  const playing = sim.stats().playbacks
  await a.close()
  t.equal(sim.channelCount(), 2, 'the callers are still on the line')
  t.equal(sim.stats().playbacks, playing, 'the prompt playing was left to finish, not cut')
  t.notOk((await store.events.read()).some((e) => e.callId === waiting.channelId && (e.type === 'call.ended' || e.type === 'queue.abandoned')), 'not counted as ended or abandoned')

  const b = await startHarness({ sim, clock, store })
  t.teardown(() => b.close())
  await waitUntil(() => b.engine.app.registry.get(waiting.channelId)?.phase === 'queue', 10_000, 'resumed in the queue')
  t.same(await store.queues.get(waiting.channelId), before, 'same entry, same place')
  await waitUntil(() => b.engine.app.registry.get(inMenu.channelId)?.phase === 'ivr', 10_000, 'menu caller resumed')
  await inMenu.sendDtmf('3')
  t.equal((await b.waitEvent(inMenu.channelId, 'queue.entered')).section, 'contributions', 'the menu went on where it was')
  t.equal(inMenu.heard.filter((u) => u.endsWith('centralino/main_menu')).length, 1, 'main menu not replayed')
  inMenu.hangup()
  t.ok(await b.engine.app.acd.setReady('op202'))
  t.equal((await b.waitEvent(waiting.channelId, 'queue.connected', undefined, 30_000)).agentId, 'op202')
  waiting.hangup()
  await waiting.done
})

t.test('a standby holding back on the lease takes over a dead engine’s calls once the lease lapses', async (t) => {
  const w = await world(t)
  const { clock, sim, store } = w
  const lease = { ttlMs: 12_000 } // 3 s of real time at 4x: renewals stay on time on a loaded machine
  const { h: a, crash } = await crashableEngine(w, { engineId: 'active', lease })
  for (const id of ['op101', 'op201', 'op202']) await a.engine.app.acd.pause(id, 'meeting')
  let standbyUp = false
  const standby = startHarness({ sim, clock, store, engineId: 'standby', lease }).then((h) => ((standbyUp = true), h))
  t.teardown(async () => (await standby).close())

  const waiting = sim.placeCall({ from: '+393331119006', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await a.waitEvent(waiting.channelId, 'queue.entered')
  t.equal(standbyUp, false, 'the standby waits while the active engine holds the lease')
  t.equal(await store.leases.holder(`server:centralino@${sim.url}`, clock.now()), 'active')

  await crash()
  await a.engine.api.close()
  const crashedAt = clock.now()

  const b = await standby
  await waitUntil(() => b.engine.app.registry.get(waiting.channelId)?.phase === 'queue', 10_000, 'the standby resumed the call')
  const resumedMs = clock.now() - crashedAt
  t.comment(`kill to resumed: ${resumedMs} ms of engine time (lease TTL ${lease.ttlMs} ms)`)
  t.equal(await store.leases.holder(`server:centralino@${sim.url}`, clock.now()), 'standby')
  t.ok(await b.engine.app.acd.setReady('op201'))
  t.equal((await b.waitEvent(waiting.channelId, 'queue.connected', undefined, 30_000)).agentId, 'op201')
  waiting.hangup()
  await waiting.done
})

t.test('an engine dying while an agent rings: the next one drops that leg, the caller keeps its place and is offered again; wrap-up timers are re-armed', async (t) => {
  const w = await world(t, (e) => (e === 'PJSIP/op201' ? { answerAfterMs: 6000 } : { answerAfterMs: 800 }))
  const { clock, sim, store } = w
  const { h: a, crash } = await crashableEngine(w)
  for (const id of ['op101', 'op202']) await a.engine.app.acd.pause(id, 'meeting')
  // op102 finished a call just now: in wrap-up, which the dead engine would have ended.
  await store.agents.transition('op102', ['ready'], 'wrap_up', clock.now())

  const caller = sim.placeCall({ from: '+393331119007', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  const entered = await a.waitEvent(caller.channelId, 'queue.entered')
  await a.waitEvent(caller.channelId, 'agent.offered')
  await waitUntil(() => sim.channelCount() === 2, 5_000, 'the agent phone rings')
  await crash()
  await a.engine.api.close()

  const b = await startHarness({ sim, clock, store })
  t.teardown(() => b.close())
  const connected = await b.waitEvent(caller.channelId, 'queue.connected', undefined, 30_000)
  t.equal(connected.agentId, 'op201')
  t.ok(connected.waitMs >= clock.now() - entered.at - 60_000, 'wait counted from the original entry')
  const evs = await b.eventsOf(caller.channelId)
  t.equal(evs.filter((e) => e.type === 'agent.offered').length, 2, 'offered again after the restart')
  t.equal(evs.filter((e) => e.type === 'queue.entered').length, 1, 'never re-queued')
  t.equal(sim.channelCount(), 2, 'the first agent leg was dropped: caller and one agent leg')
  await waitUntil(async () => (await store.agents.get('op102'))?.state === 'ready', 10_000, 'op102 wrap-up ended by the new engine')
  caller.hangup()
  await caller.done
})
