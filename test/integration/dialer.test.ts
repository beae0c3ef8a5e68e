/**
 * The dialer against the simulator over HTTP/WebSocket: a progressive campaign (create + dial)
 * puts persons through to the section's agents and classifies busy, no answer and refused
 * numbers; with no agent free, the information message starts within 2 s of the answer and the
 * attempt is abandoned (the number then waits 5 days, for every campaign); consent is checked
 * again right before the dial; every attempt is accounted for.
 */
import t from 'tap'
import type { DialOutcome } from '../../src/domain/campaign.js'
import type { CallEvent } from '../../src/domain/events.js'
import { waitUntil } from '../helpers/async.js'
import { campaign, runCampaign, startDialerHarness } from './dialer-harness.js'

const N = (i: number) => `+39333100${String(i).padStart(4, '0')}`

async function attempts(h: { store: { events: { read(): Promise<CallEvent[]> } } }) {
  return (await h.store.events.read()).filter((e): e is Extract<CallEvent, { type: 'dial.attempt' }> => e.type === 'dial.attempt')
}

const sum = (o: Partial<Record<DialOutcome, number>>) => Object.values(o).reduce((a, b) => a + (b ?? 0), 0)

t.test('progressive: persons put through to agents, busy / no answer / refused classified, every attempt accounted', async (t) => {
  const h = await startDialerHarness()
  t.teardown(() => h.close())
  const numbers = [N(1), N(2), N(3), N(4), N(5), N(6)]
  h.callees.pin(N(4), { busy: true })
  h.callees.pin(N(5), { noAnswer: true })
  h.callees.pin(N(6), { congestion: true })
  await runCampaign(h, campaign({ id: 'prog', mode: 'progressive', ringSeconds: 15 }), numbers)
  await waitUntil(async () => (await attempts(h)).length >= 6, 30_000, 'six attempts')
  const ev = await attempts(h)
  const by = Object.fromEntries(ev.map((e) => [e.contactSeq, e.outcome]))

  t.same(by, { 1: 'reached', 2: 'reached', 3: 'reached', 4: 'busy', 5: 'no_answer', 6: 'failed' })
  const stats = await h.campaigns.stats('prog')
  t.equal(sum(stats.byOutcome), 6, 'attempts = sum of outcomes in the store')
  t.same(stats.byOutcome, { reached: 3, busy: 1, no_answer: 1, failed: 1 })
  t.equal(stats.counters.put_through, 3, 'three put through to an agent')
  t.equal(stats.counters.attempts, 6)
  const counts = await h.campaigns.counts('prog')
  t.equal(counts.done, 3, 'reached contacts are done')
  t.equal(counts.pending, 3, 'the others are scheduled again')
  t.equal(counts.dialing, 0)
  const reached = await h.campaigns.getContact('prog', N(1))
  t.equal(reached?.status, 'done')
  const busy = await h.campaigns.getContact('prog', N(4))
  t.ok(busy && busy.nextAt >= h.clock.now() + 9 * 60_000 - 60_000, 'busy retried about 10 minutes later')
  // A connected call: the agent's leg was bridged with the person.
  const events = await h.store.events.read()
  t.ok(events.some((e) => e.type === 'call.started' && e.direction === 'outbound'), 'an outbound call session ran')
})

t.test('no agent free: the information message starts within 2 s of the answer; abandoned, 5-day rule recorded', async (t) => {
  // A slower clock: each real millisecond of HTTP and event latency costs `factor` simulated ones.
  const h = await startDialerHarness({ factor: 4 })
  t.teardown(() => h.close())
  for (const a of ['op202', 'op302', 'op401']) await h.engine.app.acd.pause(a, 'test')
  await runCampaign(h, campaign({ id: 'sorry', mode: 'progressive' }), [N(10)])
  // Progressive dials one line per ready agent: none is ready, so nothing is dialed.
  await new Promise((r) => setTimeout(r, 400))
  t.equal((await attempts(h)).length, 0, 'progressive: no ready agent, no call')
  // An agent becomes ready and is taken away as the person answers (pause after the launch).
  await h.engine.app.acd.setReady('op401')
  await waitUntil(() => h.ari.some((x) => x.e.type === 'Dial' && x.e.dialstatus === 'RINGING'), 10_000, 'ringing')
  await h.engine.app.acd.pause('op401', 'test')
  await waitUntil(async () => (await attempts(h)).length >= 1, 20_000, 'the attempt')
  const [a] = await attempts(h)
  t.equal(a!.outcome, 'abandoned')
  const answer = h.ari.find((x) => x.e.type === 'Dial' && x.e.dialstatus === 'ANSWER')
  await waitUntil(() => h.ari.some((x) => x.e.type === 'PlaybackStarted' && /campaign_sorry/.test(x.e.playback.media_uri)), 10_000, 'the message')
  const sorry = h.ari.find((x) => x.e.type === 'PlaybackStarted' && /campaign_sorry/.test(x.e.playback.media_uri))!
  const answeredAt = Date.parse(answer!.e.timestamp)
  const startedAt = Date.parse(sorry.e.timestamp)
  t.ok(startedAt - answeredAt <= 2000, `message started ${startedAt - answeredAt} ms after the answer (simulator clock)`)
  t.ok(startedAt - answeredAt >= 1000, 'after a real wait for an agent')
  const stats = await h.campaigns.stats('sorry')
  t.same(stats.byOutcome, { abandoned: 1 })
  const win = await h.campaigns.abandonWindow('sorry', h.clock.now(), 24 * 3600_000)
  t.same(win, { answers: 1, abandons: 1 }, 'the abandon window counts it')
  const until = await h.campaigns.abandonedUntil(N(10))
  t.ok(until !== undefined && until >= answeredAt + 5 * 86_400_000 - 5000, 'national register: not before 5 days')
  const c = await h.campaigns.getContact('sorry', N(10))
  t.ok(c && c.cooldownUntil !== undefined && c.nextAt >= c.cooldownUntil, 'the contact waits for its cooldown')
  // Another campaign with the same number, agents ready: the number is not dialed (no agent reserved first).
  await h.engine.app.acd.setReady('op401')
  await runCampaign(h, campaign({ id: 'other', mode: 'progressive' }), [N(10)])
  await waitUntil(async () => (await h.campaigns.getContact('other', N(10)))?.nextAt !== 0, 10_000, 'the other campaign to consider it')
  const o = await h.campaigns.getContact('other', N(10))
  t.equal(o?.attempts, 0, 'not dialed by another campaign within 5 days')
  t.ok(o && o.nextAt >= until!, 'scheduled after the cooldown')
  t.equal((await attempts(h)).filter((e) => e.campaignId === 'other').length, 0)
})

t.test('consent re-checked right before the dial: a number opted out after the import is never dialed', async (t) => {
  const h = await startDialerHarness()
  t.teardown(() => h.close())
  const c = campaign({ id: 'consent', mode: 'progressive' })
  await h.campaigns.put(c, h.clock.now())
  await h.campaigns.addContacts('consent', [
    { id: N(20), number: N(20), fields: {}, lines: [2] },
    { id: N(21), number: N(21), fields: {}, lines: [3] },
    { id: N(22), number: N(22), fields: {}, lines: [4], consent: false },
  ])
  await h.campaigns.addOptOut([N(21)])
  await h.campaigns.setStatus('consent', 'running', h.clock.now())
  h.engine.app.dialer?.kick()
  await waitUntil(async () => (await h.campaigns.counts('consent')).pending === 0 && (await h.campaigns.counts('consent')).dialing === 0, 20_000, 'all contacts handled')
  const ev = await attempts(h)
  t.same(
    ev.map((e) => e.contactSeq),
    [1],
    'only the contact with consent was dialed',
  )
  t.equal((await h.campaigns.getContact('consent', N(21)))?.status, 'excluded')
  t.equal((await h.campaigns.getContact('consent', N(21)))?.attempts, 0, 'no attempt counted')
  t.equal((await h.campaigns.getContact('consent', N(22)))?.status, 'excluded')
  const dialed = h.ari.filter((x) => x.e.type === 'Dial' && x.e.dialstring?.includes(N(21).slice(1)))
  t.equal(dialed.length, 0, 'no Dial toward the opted-out number')
  await waitUntil(async () => (await h.campaigns.get('consent'))?.status === 'completed', 10_000, 'campaign completed')
})

t.test('calling windows: nothing dialed outside them; calls in progress at the end finish normally', async (t) => {
  const start = Date.UTC(2026, 10, 23, 9, 5, 56) // Monday 10:05:56 in Rome
  const end = Date.UTC(2026, 10, 23, 9, 6, 0)
  const h = await startDialerHarness({ start })
  t.teardown(() => h.close())
  const numbers = Array.from({ length: 8 }, (_, i) => N(30 + i))
  await runCampaign(h, campaign({ id: 'win', mode: 'progressive', windows: { days: { mon: ['10:00-10:06'] }, holidays: 'none', timezone: 'Europe/Rome' } }), numbers)
  await waitUntil(async () => (await attempts(h)).length >= 3, 20_000, 'the calls launched in the window')
  await waitUntil(() => h.clock.now() > end + 8000, 20_000, 'time past the window')
  const dials = h.ari.filter((x) => x.e.type === 'Dial' && x.e.dialstring?.endsWith('@trunk'))
  t.equal(dials.length, 3, 'one line per ready agent, launched before the end')
  t.ok(dials.every((x) => Date.parse(x.e.timestamp) < end), 'every dial inside the window')
  const ev = await attempts(h)
  t.same(
    ev.map((e) => e.outcome),
    ['reached', 'reached', 'reached'],
  )
  const hangups = h.ari.filter((x) => x.e.type === 'ChannelDestroyed' && ev.some((a) => a.callId === (x.e as { channel: { id: string } }).channel.id))
  t.equal(hangups.length, 3, 'the calls ended')
  t.ok(hangups.every((x) => Date.parse(x.e.timestamp) > end), 'after the window closed: they were not cut')
  t.equal((await h.campaigns.counts('win')).pending, 5, 'the rest waits for the next window')
})
