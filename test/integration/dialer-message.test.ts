/**
 * A message campaign end to end on the simulator: the person who answers hears the campaign's
 * message flow (an ordinary voice-portal flow), presses 0 for an operator and is put through to
 * the operators' section; the attempt counts as reached and the transfer is counted.
 */
import t from 'tap'
import { raiseDtmf } from '../../src/sim/callers.js'
import type { SimulatorInternals } from '../../src/sim/index.js'
import { waitUntil } from '../helpers/async.js'
import { campaign, runCampaign, startDialerHarness } from './dialer-harness.js'

t.test('message campaign: the flow plays, 0 reaches an operator, counted as a transfer', async (t) => {
  const h = await startDialerHarness()
  t.teardown(() => h.close())
  const number = '+393331009001'
  h.callees.pin(number, { answerAfterMs: 500 })
  await runCampaign(h, campaign({ id: 'msg', mode: 'message', section: 'operators', messageFlow: 'national', transferKey: '0', amd: false }), [number])
  const played = (media: string) => h.ari.find((x) => x.e.type === 'PlaybackStarted' && x.e.playback.media_uri.endsWith(`centralino/${media}`))
  await waitUntil(() => played('choose_language') !== undefined, 20_000, 'the message flow plays to the person')
  const ev = played('choose_language')!.e as { playback: { target_uri: string } }
  const channelId = ev.playback.target_uri.replace(/^channel:/, '')
  const sim = (h.engine.sim as unknown as { internals(): SimulatorInternals }).internals().sim
  const press = (digit: string) => raiseDtmf(sim, sim.registry.get(channelId)!, digit)
  press('1')
  await waitUntil(() => played('main_menu') !== undefined, 20_000, 'the main menu')
  press('0')
  const events = async () => (await h.store.events.read()).filter((e) => e.callId === channelId)
  await waitUntil(async () => (await events()).some((e) => e.type === 'queue.connected'), 30_000, 'put through to an operator')
  const connected = (await events()).find((e) => e.type === 'queue.connected') as { section: string; agentId: string }
  t.equal(connected.section, 'operators')
  await waitUntil(async () => ((await h.campaigns.stats('msg')).byOutcome.reached ?? 0) === 1, 10_000, 'the attempt recorded')
  t.same((await h.campaigns.stats('msg')).byOutcome, { reached: 1 })
  t.equal((await h.campaigns.getContact('msg', number))?.status, 'done')
  // The transfer is counted when the call ends.
  await h.engine.app.registry.get(channelId)?.callerGone('test over')
  await waitUntil(async () => ((await h.campaigns.stats('msg')).counters.transfers ?? 0) === 1, 10_000, 'the transfer counted')
})
