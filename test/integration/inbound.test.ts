/**
 * Inbound calls end to end: a simulated citizen calls the national number over the simulated
 * trunk, the dialplan hands the channel to Stasis, and the engine drives it through real ARI
 * HTTP requests and the events WebSocket: menu, queue, agent phone ringing, bridge.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { heard, startHarness } from './harness.js'

t.test('0 in the main menu: the operators queue, the longest-idle agent rings, caller and agent bridged', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const call = sim.placeCall({
    from: '+393331234567',
    to: '803164',
    script: [heard('choose_language'), { wait: 300 }, { dtmf: '1' }, heard('main_menu'), { wait: 300 }, { dtmf: '0' }, { waitFor: 'bridged', timeoutMs: 60_000 }, { wait: 5_000 }, { hangup: true }],
  })
  const connected = await h.waitEvent(call.channelId, 'queue.connected')
  t.equal(connected.section, 'operators')
  t.match(connected.agentId, /^op1\d\d$/, 'an operator answered')

  const result = await call.done
  t.match(result.bridgedWith, new RegExp(`^PJSIP/${connected.agentId}(-|$)`), "bridged with that agent's phone")
  t.ok(result.heard.some((u) => u.endsWith('centralino/welcome')), 'heard the welcome')

  await h.waitEvent(call.channelId, 'call.ended')
  const types = (await h.eventsOf(call.channelId)).map((e) => e.type)
  t.same(types.filter((x) => x !== 'queue.announced'), ['call.started', 'ivr.finished', 'queue.entered', 'agent.offered', 'queue.connected', 'call.ended'])
  const finished = (await h.eventsOf(call.channelId)).find((e) => e.type === 'ivr.finished')
  t.match(finished, { outcome: 'operator', trail: ['welcome', 'office_hours', 'choose_language', 'main'] })

  // The agent's leg and the bridge go with the caller; the agent is in wrap-up or ready again.
  await waitUntil(() => sim.channelCount() === 0 && sim.stats().bridges === 0, 10_000, 'channels and bridges released')
  const agent = await h.store.agents.get(connected.agentId)
  t.match(agent?.state, /^(wrap_up|ready)$/, 'the agent is free of the call')
})

t.test('self-service: request number collected, back office answers, the caller hears the dates and is hung up on', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const call = h.engine.sim!.placeCall({
    from: '+393331234567',
    to: '803164',
    script: [
      heard('choose_language'), { dtmf: '1' },
      heard('main_menu'), { wait: 200 }, { dtmf: '1' },
      heard('pensions_menu'), { wait: 200 }, { dtmf: '1' },
      heard('enter_request_number'), { wait: 500 }, { dtmf: '12345678#', gapMs: 150 },
      heard('after_service_menu'), { dtmf: '2' },
      { waitFor: 'answered', timeoutMs: 1 }, heard('goodbye'), { wait: 60_000 },
    ],
  })
  const result = await call.done
  t.equal(result.cause, 16, 'the engine hung up after the goodbye (normal clearing)')
  const sounds = result.heard.map((u) => u.replace(/^sound:centralino\//, ''))
  // Deterministic answer of the embedded back office for request 12345678: day 1+5678%28, month 1+5678%12, amount 600+5678%900.
  const i = sounds.indexOf('next_payment_day')
  t.ok(i > 0, 'heard the payment day prompt')
  t.same(sounds.slice(i, i + 6), ['next_payment_day', `number:${1 + (5678 % 28)}`, 'next_payment_month', `number:${1 + (5678 % 12)}`, 'next_payment_amount', `number:${600 + (5678 % 900)}`])
  t.equal(h.engine.backOffice!.requests, 1, 'one back-office request')
  const fin = await h.waitEvent(call.channelId, 'ivr.finished')
  t.match(fin, { outcome: 'hangup', node: 'goodbye' })
  t.notOk((await h.eventsOf(call.channelId)).some((e) => e.type === 'queue.entered'), 'served without a queue')
})

t.test('pensions queue with every agent busy: position announced, music on hold, then an agent; the caller keeps its place when an agent does not answer', async (t) => {
  // Of the pensions agents only op202 answers: whoever rings first, the caller ends with op202.
  const h = await startHarness({ phones: (e) => (e === 'PJSIP/op101' || e === 'PJSIP/op201' ? { noAnswer: true } : { answerAfterMs: 800 }) })
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  const moh: boolean[] = []
  const call = sim.placeCall({
    from: '+393331234568',
    to: '803164',
    script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }, { waitFor: 'bridged', timeoutMs: 120_000 }, { wait: 1000 }, { hangup: true }],
  })
  call.on('moh', (d) => moh.push((d as { on: boolean }).on))
  const connected = await h.waitEvent(call.channelId, 'queue.connected', undefined, 40_000)
  await call.done
  t.equal(connected.section, 'pensions')
  const evs = await h.eventsOf(call.channelId)
  const entered = evs.find((e) => e.type === 'queue.entered')
  t.match(entered, { section: 'pensions', position: 1 })
  t.ok(evs.some((e) => e.type === 'queue.announced'), 'position announced on entry')
  const offers = evs.filter((e) => e.type === 'agent.offered')
  const noAnswer = evs.filter((e) => e.type === 'agent.no_answer')
  t.equal(connected.agentId, 'op202')
  t.equal(offers.length, noAnswer.length + 1, 'every unanswered offer was followed by another')
  t.ok(noAnswer.every((e) => e.type === 'agent.no_answer' && ['op101', 'op201'].includes(e.agentId)), 'only the silent phones missed it')
  const entries = evs.filter((e) => e.type === 'queue.entered')
  t.equal(entries.length, 1, 'one queue entry throughout: the place was kept')
  t.ok(call.heard.some((u) => /centralino\/queue_(next|ahead)|number:/.test(u)), 'heard its position')
  t.ok(moh.includes(true), 'music on hold while waiting')
})
