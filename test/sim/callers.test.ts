/** Simulated citizens: inbound calls into Stasis, scripted DTMF after a prompt, giving up. */
import t from 'tap'
import { Events, ari, isType, startTestSim } from './helpers.js'

t.test('an inbound call enters Stasis(centralino,inbound,EXTEN) like a dialplan channel', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const call = sim.placeCall({ from: '+393331234567', to: '803164', callerName: 'Mario' })
  const start = await ev.waitFor(isType('StasisStart'))
  t.same(start.args, ['inbound', '803164'])
  const ch = start.channel as unknown as { id: string; name: string; state: string; caller: unknown; dialplan: Record<string, unknown> }
  t.match(ch.name, /^PJSIP\/trunk-[0-9a-f]{8}$/)
  t.equal(ch.state, 'Ring')
  t.same(ch.caller, { name: 'Mario', number: '+393331234567' })
  t.same(ch.dialplan, { context: 'from-trunk', exten: '803164', priority: 2, app_name: 'Stasis', app_data: 'centralino,inbound,803164' })
  t.equal(call.channelId, ch.id)
  t.same(ev.types(), ['StasisStart'], 'a dialplan Stasis() app gets no STASISSTATUS varset before StasisStart (as traced in amd)')
  const answered = (await ari(sim.url, 'POST', `/channels/${ch.id}/answer`)).status
  t.equal(answered, 204)
  await ev.waitFor((e) => e.type === 'ChannelStateChange' && e.channel?.state === 'Up')
  t.equal((await ari(sim.url, 'DELETE', `/channels/${ch.id}`)).status, 204)
  const done = await call.done
  t.equal(done.cause, 16)
  await ev.waitFor(isType('StasisEnd'))
  t.notOk(ev.list.some((e) => e.type === 'ChannelDestroyed'), 'no ChannelDestroyed for a channel that entered Stasis from dialplan')
  t.equal(sim.channelCount(), 0)
})

t.test('a scripted caller presses digits once the prompt starts; playbacks are heard in order', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const call = sim.placeCall({
    from: '3331234567',
    to: '803164',
    script: [{ waitFor: 'answered' }, { waitFor: 'playback', media: 'sound:centralino/welcome' }, { dtmf: '12', gapMs: 100 }],
  })
  const start = await ev.waitFor(isType('StasisStart'))
  const id = start.channel!.id
  await ari(sim.url, 'POST', `/channels/${id}/answer`)
  const r = await ari(sim.url, 'POST', `/channels/${id}/play`, { media: 'sound:centralino/welcome,number:42', playbackId: 'pb-1' })
  t.equal(r.status, 201)
  t.match(r.json, { id: 'pb-1', media_uri: 'sound:centralino/welcome', next_media_uri: 'number:42', state: 'queued' })
  const d1 = await ev.waitFor(isType('ChannelDtmfReceived', id))
  const d2 = await ev.waitFor((e) => e.type === 'ChannelDtmfReceived' && e !== d1)
  t.same([d1.digit, d2.digit, d1.duration_ms], ['1', '2', 100])
  const started = ev.list.findIndex((e) => e.type === 'PlaybackStarted')
  t.ok(started >= 0 && started < ev.list.indexOf(d1), 'the digits come after the prompt started')
  await ev.waitFor((e) => e.type === 'PlaybackContinuing')
  await ev.waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { state: string }).state === 'done')
  t.same(call.heard, ['sound:centralino/welcome', 'number:42'])
  call.hangup()
  const res = await call.done
  t.equal(res.cause, 16)
  await ev.waitFor(isType('StasisEnd', id))
  const hr = ev.list.find(isType('ChannelHangupRequest', id))
  t.match(hr, { cause: 16 })
  t.notOk('soft' in (hr ?? {}), 'a far-end hangup is not a soft hangup')
})

t.test('a caller waiting for a prompt that never comes gives up', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const call = sim.placeCall({ from: '3331234567', to: '803164', script: [{ waitFor: 'playback', timeoutMs: 2000 }] })
  const res = await call.done
  t.equal(res.cause, 16)
  t.same(res.heard, [])
  t.ok(res.durationMs >= 2000, 'gave up after the step timeout (clock time)')
  await ev.waitFor(isType('StasisEnd'))
})

t.test('a number with no dialplan extension is refused without a channel', async (t) => {
  const sim = await startTestSim({ dialplan: '[from-trunk]\nexten => 803164,1,Stasis(centralino)\n' })
  t.teardown(() => sim.close())
  const call = sim.placeCall({ from: '1', to: '999' })
  t.equal((await call.done).cause, 1)
  t.equal(sim.channelCount(), 0)
})

t.test('without a registered app the call fails Stasis and is hung up', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const mon = await Events.open(sim.url, 'mon', '&subscribeAll=true')
  t.teardown(() => mon.close())
  const call = sim.placeCall({ from: '3331234567', to: '803164' })
  const res = await call.done
  t.equal(res.cause, 0, 'Stasis() returns -1, the dialplan ends with no cause set')
  await mon.waitFor((e) => e.type === 'ChannelVarset' && e.value === 'FAILED')
  await mon.waitFor(isType('ChannelDestroyed'))
})
