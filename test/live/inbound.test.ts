/**
 * LIVE (opt-in): inbound calls end to end on a real Asterisk 22, the same scenarios as
 * test/integration/inbound.test.ts runs against the simulator. Skipped unless
 * CENTRALINO_LIVE_ARI_URL is set; see asterisk-config/README.md.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { liveEnv, SKIP_MESSAGE } from './ari-caller.js'
import { AGENTS_CONTEXT, startLiveHarness } from './harness.js'

const env = liveEnv()
if (!env) {
  t.plan(0, SKIP_MESSAGE)
} else {
  t.test('0 in the main menu: the operators queue, an agent answers, caller and agent bridged', async (t) => {
    const h = await startLiveHarness(env)
    t.teardown(() => h.close())
    const call = await h.caller.placeCall({ from: '+393331234567', to: '803164' })
    await call.answered()
    await call.heardPrompt('choose_language')
    await call.dtmf('1')
    await call.heardPrompt('main_menu')
    await call.dtmf('0')

    const connected = await h.waitEvent(call.channelId, 'queue.connected', undefined, 60_000)
    t.equal(connected.section, 'operators')
    t.match(connected.agentId, /^op1\d\d$/, 'an operator answered')

    // On Asterisk: one mixing bridge holds the engine's channel and the agent's leg.
    const bridges = await h.bridgesOf(call.channelId)
    t.equal(bridges.length, 1, 'the caller is in one bridge')
    const others = (bridges[0]?.channels as string[]).filter((c) => c !== call.channelId)
    t.equal(others.length, 1, 'with one other channel')
    const agentLeg = await h.ari.rest('GET', `/channels/${others[0]}`)
    t.match(agentLeg.name, new RegExp(`^Local/${connected.agentId}@${AGENTS_CONTEXT}-`), "the agent's leg")
    t.ok(call.heard.some((u) => u.endsWith('centralino/welcome')), 'heard the welcome')

    await call.hangup()
    const ended = await h.waitEvent(call.channelId, 'call.ended')
    t.ok(ended)
    const types = (await h.eventsOf(call.channelId)).map((e) => e.type)
    t.same(types.filter((x) => x !== 'queue.announced'), ['call.started', 'ivr.finished', 'queue.entered', 'agent.offered', 'queue.connected', 'call.ended'])
    const finished = (await h.eventsOf(call.channelId)).find((e) => e.type === 'ivr.finished')
    t.match(finished, { outcome: 'operator', trail: ['welcome', 'office_hours', 'choose_language', 'main'] })
    const started = (await h.eventsOf(call.channelId)).find((e) => e.type === 'call.started')
    t.match(started, { direction: 'inbound', callerNumber: '+393331234567' }, 'the caller id crossed the Local channel')

    // The agent's leg and the bridge go with the caller; the agent is free of the call.
    await waitUntil(async () => (await h.bridgesOf(call.channelId)).length === 0, 10_000, 'bridge released')
    await waitUntil(async () => ((await h.ari.rest('GET', '/channels')) as { id: string }[]).every((c) => c.id !== others[0]), 10_000, "agent's leg hung up")
    const agent = await h.store.agents.get(connected.agentId)
    t.match(agent?.state, /^(wrap_up|ready)$/, 'the agent is free of the call')
  })

  t.test('self-service: request number collected, back office answers, the caller hears the dates and is hung up on', async (t) => {
    const h = await startLiveHarness(env)
    t.teardown(() => h.close())
    const call = await h.caller.placeCall({ from: '+393331234567', to: '803164' })
    await call.heardPrompt('choose_language')
    await call.dtmf('1')
    await call.heardPrompt('main_menu')
    await call.dtmf('1')
    await call.heardPrompt('pensions_menu')
    await call.dtmf('1')
    await call.heardPrompt('enter_request_number')
    await call.dtmf('12345678#', 150)
    await call.heardPrompt('after_service_menu', 60_000)
    await call.dtmf('2')
    await call.heardPrompt('goodbye')
    const gone = await call.ended(60_000)
    t.equal(gone.cause, 16, 'the engine hung up after the goodbye (normal clearing)')

    const sounds = call.heard.map((u) => u.replace(/^sound:centralino\//, ''))
    const i = sounds.indexOf('next_payment_day')
    t.ok(i > 0, 'heard the payment day prompt')
    t.same(sounds.slice(i, i + 6), ['next_payment_day', `number:${1 + (5678 % 28)}`, 'next_payment_month', `number:${1 + (5678 % 12)}`, 'next_payment_amount', `number:${600 + (5678 % 900)}`])
    t.equal(h.backOffice.requests, 1, 'one back-office request')
    const fin = await h.waitEvent(call.channelId, 'ivr.finished')
    t.match(fin, { outcome: 'hangup', node: 'goodbye' })
    await h.waitEvent(call.channelId, 'call.ended')
    t.notOk((await h.eventsOf(call.channelId)).some((e) => e.type === 'queue.entered'), 'served without a queue')
  })
}
