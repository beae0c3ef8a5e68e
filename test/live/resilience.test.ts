/**
 * LIVE (opt-in): the engine's events WebSocket to a real Asterisk is cut mid-call (a TCP proxy
 * between them drops it); the engine reconnects, resyncs and the call goes on. The same
 * scenario as test/integration/resilience.test.ts against the simulator. Skipped unless
 * CENTRALINO_LIVE_ARI_URL is set; see asterisk-config/README.md.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { liveEnv, SKIP_MESSAGE } from './ari-caller.js'
import { startLiveHarness } from './harness.js'

const env = liveEnv()
if (!env) {
  t.plan(0, SKIP_MESSAGE)
} else {
  t.test('events socket dropped during the main menu: the engine reconnects and the call goes on to an agent', async (t) => {
    const h = await startLiveHarness(env, { proxy: true })
    t.teardown(() => h.close())
    const call = await h.caller.placeCall({ from: '+393331230000', to: '803164' })
    await call.heardPrompt('choose_language')
    await call.dtmf('1')
    await call.heardPrompt('main_menu')
    t.equal(h.proxy!.dropEventSockets(), 1, "the engine's events socket was cut")
    await waitUntil(async () => (await h.engine.app.summary()).eventLag.reconnects >= 1, 20_000, 'reconnect')
    await waitUntil(() => h.engine.app.registry.size === 1, 10_000, 'the session kept')
    // Pressed after the reconnect: the new socket delivers it to the same session.
    await call.dtmf('2')
    const connected = await h.waitEvent(call.channelId, 'queue.connected', undefined, 60_000)
    t.equal(connected.section, 'income_support')
    const started = (await h.eventsOf(call.channelId)).filter((e) => e.type === 'call.started')
    t.equal(started.length, 1, 'the same session carried on (no second start)')
    t.equal((await h.bridgesOf(call.channelId)).length, 1, 'caller bridged on Asterisk')
    await call.hangup()
    await h.waitEvent(call.channelId, 'call.ended')
  })

  t.test('a caller who hangs up while the socket is half-open is ended at resync; a call that arrived meanwhile is adopted', async (t) => {
    const h = await startLiveHarness(env, { proxy: true })
    t.teardown(() => h.close())
    const a = await h.caller.placeCall({ from: '+393331230001', to: '803164' })
    await a.heardPrompt('choose_language')
    // A half-open socket: Asterisk still thinks the engine is there (a cleanly closed one makes
    // the application inactive at once, and Stasis() then fails a new call straight away), so
    // the new call enters Stasis unseen; the engine notices by its ping and resyncs.
    t.equal(h.proxy!.stallEventSockets(), 1, "the engine's events socket went silent")
    await a.hangup()
    const b = await h.caller.placeCall({ from: '+393331230002', to: '803164' })
    await waitUntil(async () => (await h.engine.app.summary()).eventLag.reconnects >= 1, 30_000, 'reconnect after the ping timed out')
    const ended = await h.waitEvent(a.channelId, 'call.ended', undefined, 30_000)
    t.ok(ended, 'the vanished caller was ended')
    await b.heardPrompt('choose_language')
    await b.dtmf('1')
    await b.heardPrompt('main_menu')
    await b.dtmf('0')
    const connected = await h.waitEvent(b.channelId, 'queue.connected', undefined, 60_000)
    t.equal(connected.section, 'operators', 'the second call was served')
    await b.hangup()
    await h.waitEvent(b.channelId, 'call.ended')
    t.ok((await h.engine.app.summary()).eventLag.reconnects >= 1)
  })
}
