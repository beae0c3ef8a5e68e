/**
 * Answering-machine detection through the [centralino-amd] dialplan context (originate): a
 * machine is hung up on or hears the campaign message, a person (HUMAN, or NOTSURE when AMD
 * cannot tell) is put through to an agent; busy numbers are still classified from the channel's
 * events though the originate sends none before Stasis().
 */
import t from 'tap'
import type { CallEvent } from '../../src/domain/events.js'
import { waitUntil } from '../helpers/async.js'
import { campaign, runCampaign, startDialerHarness } from './dialer-harness.js'

const N = (i: number) => `+39335300${String(i).padStart(4, '0')}`

t.test('AMD branches: machine hung up or given the message, HUMAN and NOTSURE put through, busy classified', async (t) => {
  const h = await startDialerHarness()
  t.teardown(() => h.close())
  h.callees.pin(N(1), { machine: true, answerAfterMs: 800, hangupAfterMs: 30_000 })
  h.callees.pin(N(2), { answerAfterMs: 800, hangupAfterMs: 6000 })
  h.callees.pin(N(3), { silent: true, answerAfterMs: 800, hangupAfterMs: 9000 })
  // A carrier's busy comes after a moment: seen through the channel subscription.
  h.callees.pin(N(4), { busy: true, rejectAfterMs: 1500 })
  // A refusal within a few ms may end the channel before the subscription takes.
  h.callees.pin(N(6), { busy: true, rejectAfterMs: 0 })
  h.callees.pin(N(5), { machine: true, answerAfterMs: 800, hangupAfterMs: 30_000 })
  await runCampaign(h, campaign({ id: 'amd', mode: 'predictive', onMachine: 'hangup' }), [N(1), N(2), N(3), N(4), N(6)])
  await runCampaign(h, campaign({ id: 'amd-msg', mode: 'predictive', onMachine: 'message' }), [N(5)])
  const attempts = async () => (await h.store.events.read()).filter((e): e is Extract<CallEvent, { type: 'dial.attempt' }> => e.type === 'dial.attempt')
  await waitUntil(async () => (await attempts()).length >= 6, 40_000, 'six attempts')
  const ev = await attempts()
  const of = (campaignId: string, seq: number) => ev.find((e) => e.campaignId === campaignId && e.contactSeq === seq)!
  t.equal(of('amd', 1).outcome, 'machine')
  t.equal(of('amd', 1).amd, 'MACHINE')
  t.equal(of('amd', 2).outcome, 'reached', 'HUMAN: put through')
  t.equal(of('amd', 2).amd, 'HUMAN')
  t.equal(of('amd', 3).outcome, 'reached', 'NOTSURE counts as a person: put through')
  t.equal(of('amd', 3).amd, 'NOTSURE')
  t.equal(of('amd', 4).outcome, 'busy', 'busy seen through the channel subscription')
  t.match(of('amd', 5).outcome, /^(busy|failed)$/, 'a refusal at once: busy if the subscription took in time, else failed (what was seen); either way the attempt ended')
  t.equal(of('amd-msg', 1).outcome, 'machine')
  const stats = await h.campaigns.stats('amd')
  t.same(stats.byOutcome, of('amd', 5).outcome === 'busy' ? { machine: 1, reached: 2, busy: 2 } : { machine: 1, reached: 2, busy: 1, failed: 1 }, 'every attempt counted once')
  t.equal(stats.counters.put_through, 2)
  t.equal(stats.counters.machine, 1)
  // The machine of the 'hangup' campaign heard nothing; the other one heard the message.
  const machineId = of('amd', 1).callId
  const msgId = of('amd-msg', 1).callId
  await waitUntil(() => h.ari.some((x) => x.e.type === 'PlaybackStarted' && /campaign_machine_message/.test(x.e.playback.media_uri)), 20_000, 'the machine message')
  const played = (id: string) => h.ari.filter((x) => x.e.type === 'PlaybackStarted' && x.e.playback.target_uri === `channel:${id}`).map((x) => (x.e as { playback: { media_uri: string } }).playback.media_uri)
  t.same(played(machineId), [], 'hangup: nothing played to the machine')
  t.match(played(msgId).join(), /campaign_machine_message/, 'message: the campaign message played to the machine')
  t.ok(h.ari.some((x) => x.e.type === 'ChannelHangupRequest' && x.e.channel.id === machineId), 'the machine was hung up')
})
