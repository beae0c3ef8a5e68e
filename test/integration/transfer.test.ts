/**
 * Blind transfer: an operator sends the caller to a section; the caller joins it with the
 * entry time of its first queue, so it is ahead of callers who came later, and the operator
 * is freed.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { heard, startHarness } from './harness.js'

t.test('operator transfers a caller to pensions: the caller keeps its place, the operator is freed', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  // No pensions agent free for now; op101 also serves pensions, keep it out of the way.
  for (const id of ['op101', 'op201', 'op202']) t.ok(await acd.pause(id, 'meeting'), `${id} paused`)

  const a = sim.placeCall({ from: '+393331110001', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const aConnected = await h.waitEvent(a.channelId, 'queue.connected')
  const aEntered = await h.waitEvent(a.channelId, 'queue.entered')
  t.equal(aConnected.section, 'operators')

  const b = sim.placeCall({ from: '+393331110002', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await h.waitEvent(b.channelId, 'queue.entered', (e) => e.section === 'pensions')

  const session = h.engine.app.registry.get(a.channelId)!
  t.same(await session.transferToSection('nowhere'), { ok: false, code: 'NOT_FOUND', message: 'unknown section nowhere' })
  t.same(await session.transferToSection('pensions', { by: 'op-test' }), { ok: true })

  const entry = await acd.entry(a.channelId)
  t.equal(entry?.section, 'pensions')
  const aFinished = await h.waitEvent(a.channelId, 'ivr.finished')
  t.ok(entry && entry.enteredAt >= aFinished.at && entry.enteredAt <= aEntered.at, 'entry time of the first queue kept (between the end of the menu and the operators queue entry)')
  t.equal(await acd.ahead(a.channelId), 0, 'the transferred caller is first')
  t.equal(await acd.ahead(b.channelId), 1, 'the later caller is behind it')
  const transferred = (await h.eventsOf(a.channelId)).find((e) => e.type === 'call.transferred')
  t.match(transferred, { target: 'pensions', kind: 'section', by: 'op-test' })
  const operator = await h.store.agents.get(aConnected.agentId)
  t.match(operator?.state, /^(wrap_up|ready)$/, 'the operator is free of the call')
  await waitUntil(() => sim.stats().bridges === 0, 10_000, 'the operator bridge is gone')

  t.ok(await acd.setReady('op201'))
  const second = await h.waitEvent(a.channelId, 'queue.connected', (e) => e.section === 'pensions', 30_000)
  t.equal(second.agentId, 'op201', 'the first free pensions agent takes the transferred caller first')
  t.equal(second.waitMs >= aConnected.waitMs, true, 'wait counted from the first entry')
  t.notOk((await h.eventsOf(b.channelId)).some((e) => e.type === 'queue.connected'), 'the later caller still waits')
  a.hangup()
  b.hangup()
  await Promise.all([a.done, b.done])
})

t.test('attended transfer: the caller waits on hold while the operator speaks to a pensions agent, then talks to that agent', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  for (const id of ['op101', 'op201']) await acd.pause(id, 'meeting') // op202 is the pensions agent left
  const moh: boolean[] = []
  const a = sim.placeCall({ from: '+393331110011', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  a.on('moh', (d) => moh.push((d as { on: boolean }).on))
  const op = await h.waitEvent(a.channelId, 'queue.connected')
  const session = h.engine.app.registry.get(a.channelId)!
  t.same(await session.consult('pensions', { by: op.agentId }), { ok: true }, 'op202 answered the consultation')
  t.equal((await h.store.agents.get('op202'))?.state, 'on_call')
  t.ok(moh.includes(true), 'the caller heard music on hold meanwhile')
  t.same(await session.consult('contributions'), { ok: false, code: 'BAD_STATE', message: 'a consultation is already in progress' })

  t.same(await session.completeConsult(), { ok: true })
  const transferred = (await h.eventsOf(a.channelId)).find((e) => e.type === 'call.transferred')
  t.match(transferred, { target: 'pensions', kind: 'section', mode: 'attended', agentId: 'op202', by: op.agentId })
  await waitUntil(() => sim.channelCount() === 2 && sim.stats().bridges === 1, 10_000, 'caller and op202 alone in the bridge')
  t.match((await h.store.agents.get(op.agentId))?.state, /^(wrap_up|ready)$/, 'the operator is free')
  a.hangup()
  await a.done
  await h.waitEvent(a.channelId, 'call.ended')
  t.match((await h.store.agents.get('op202'))?.state, /^(wrap_up|ready)$/, 'op202 freed when the caller hangs up')
})

t.test('attended transfer called off, and one to a section with nobody free', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  for (const id of ['op101', 'op201', 'op302', 'op401']) await acd.pause(id, 'meeting')
  const a = sim.placeCall({ from: '+393331110012', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const op = await h.waitEvent(a.channelId, 'queue.connected')
  const session = h.engine.app.registry.get(a.channelId)!
  t.same(await session.consult('pensions'), { ok: true })
  t.same(await session.cancelConsult(), { ok: true })
  await waitUntil(() => sim.channelCount() === 2, 10_000, 'the consulted leg is gone')
  t.match((await h.store.agents.get('op202'))?.state, /^(wrap_up|ready)$/, 'the consulted agent is free again')
  t.equal(h.engine.app.registry.get(a.channelId)?.phase, 'connected', 'the caller is back with the operator')
  t.equal((await h.eventsOf(a.channelId)).filter((e) => e.type === 'call.transferred').length, 0)
  // op202 (pensions and contributions) still in wrap-up or just ready: contributions has nobody else.
  await acd.pause('op202', 'meeting')
  t.same(await session.consult('contributions'), { ok: false, code: 'NO_AGENT', message: 'no agent of contributions is free' })
  t.equal((await h.store.agents.get(op.agentId))?.state, 'on_call', 'the operator still has the caller')
  a.hangup()
  await a.done
})

t.test('over HTTP: the operator on the call transfers it blind with its own token', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  for (const id of ['op101', 'op103']) await h.engine.app.acd.pause(id, 'meeting') // op102 answers the switchboard
  const a = sim.placeCall({ from: '+393331110013', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const op = await h.waitEvent(a.channelId, 'queue.connected')
  t.equal(op.agentId, 'op102')
  const call = (token: string, body: unknown) =>
    fetch(`${h.engine.apiUrl}/api/calls/${encodeURIComponent(a.channelId)}/transfer`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const listed = (await (await fetch(`${h.engine.apiUrl}/api/calls`, { headers: { authorization: 'Bearer demo-op102' } })).json()) as Array<{ callId: string; trail: string[] }>
  t.same(listed.map((c) => c.callId), [a.channelId], 'the operator sees its call')
  t.same(listed[0]!.trail, ['welcome', 'office_hours', 'choose_language', 'main', 'operator'], 'with what the caller chose')
  t.equal((await call('demo-op101', { section: 'pensions' })).status, 403, 'another operator may not')
  const r = await call('demo-op102', { section: 'pensions' })
  t.equal(r.status, 200)
  const entered = await h.waitEvent(a.channelId, 'queue.entered', (e) => e.section === 'pensions')
  t.ok(entered)
  t.match((await h.eventsOf(a.channelId)).find((e) => e.type === 'call.transferred'), { target: 'pensions', by: 'op102' })
  a.hangup()
  await a.done
})

t.test('a consultation called off while the agent rings leaves the agent ready, not paused', async (t) => {
  const h = await startHarness({ phones: (e) => (e === 'PJSIP/op202' ? { answerAfterMs: 60_000 } : { answerAfterMs: 1000 }) })
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  for (const id of ['op101', 'op201']) await h.engine.app.acd.pause(id, 'meeting')
  const a = sim.placeCall({ from: '+393331110014', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  await h.waitEvent(a.channelId, 'queue.connected')
  const session = h.engine.app.registry.get(a.channelId)!
  const consulting = session.consult('pensions')
  await waitUntil(async () => (await h.store.agents.get('op202'))?.state === 'reserved' && sim.channelCount() === 3, 10_000, 'op202 ringing')
  t.same(await session.cancelConsult(), { ok: true })
  t.match(await consulting, { ok: false })
  t.equal((await h.store.agents.get('op202'))?.state, 'ready', 'op202 ready again (it did not miss a call)')
  await waitUntil(() => sim.channelCount() === 2, 10_000, 'the ringing leg dropped')
  t.equal(session.phase, 'connected', 'the caller is back with the operator')
  a.hangup()
  await a.done
})

t.test('operator transfers a caller to an external number over the API: the operator is freed, the caller talks to that number', async (t) => {
  const dialed: string[] = []
  const h = await startHarness({ phones: (endpoint) => (dialed.push(endpoint), { answerAfterMs: 1000 }) })
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const a = sim.placeCall({ from: '+393331110021', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  const op = await h.waitEvent(a.channelId, 'queue.connected')
  const post = (token: string, number: string) =>
    fetch(`${h.engine.api!.url}/api/calls/${a.channelId}/transfer-external`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number }),
    })
  const other = op.agentId === 'op101' ? 'demo-op102' : 'demo-op101'
  t.equal((await post(other, '06 1234 5678')).status, 403, 'another operator may not transfer this call')
  t.equal((await post(`demo-${op.agentId}`, '+44 20 7946 0958')).status, 400, 'a foreign number is refused')
  const r = await post(`demo-${op.agentId}`, '06 1234 5678')
  t.equal(r.status, 200)
  await waitUntil(() => h.engine.app.registry.get(a.channelId)?.phase === 'connected' && sim.stats().bridges === 1, 20_000, 'caller bridged with the external number')
  t.ok(dialed.includes('PJSIP/+390612345678@trunk'), 'the normalised number was dialed on the trunk')
  t.match(await h.store.agents.get(op.agentId), { state: /^(wrap_up|ready)$/ }, 'the operator is free')
  const transferred = (await h.eventsOf(a.channelId)).find((e) => e.type === 'call.transferred')
  t.match(transferred, { target: '+390612345678', kind: 'external', mode: 'blind', by: op.agentId })
  t.equal(h.engine.app.registry.get(a.channelId)?.agentId, undefined)
  a.hangup()
  await a.done
  await waitUntil(() => sim.channelCount() === 0, 10_000, 'the external leg hung up with the caller')
})
