/**
 * Where the simulator differed from a real Asterisk 22.10 (found by test/live/parity.test.ts,
 * which sends the same requests to both) and now behaves like it.
 */
import t from 'tap'
import { Events, ari, isType, startTestSim } from './helpers.js'

const AGENTS = `
[live-agents]
exten => _[a-z].,1,Answer()
 same => n,Wait(600)
 same => n,Hangup()
`

async function answeredLeg(base: string, ev: Events, id: string, endpoint = 'Local/probe@live-agents'): Promise<void> {
  const c = await ari(base, 'POST', '/channels/create', { endpoint, app: 'centralino', channelId: id })
  if (c.status !== 200) throw new Error(`create ${c.status}`)
  await ev.waitFor(isType('StasisStart', id))
  await ari(base, 'POST', `/channels/${id}/dial`, { timeout: '10' })
}

t.test('a playback id already in use is accepted (no 409); the id finds the oldest, then the next', async (t) => {
  const sim = await startTestSim({ dialplan: AGENTS })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await answeredLeg(sim.url, ev, 'leg')
  await ev.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'ANSWER')
  const first = await ari(sim.url, 'POST', '/channels/leg/play', { media: 'sound:tt-monkeys', playbackId: 'pb' })
  t.equal(first.status, 201)
  await ev.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === 'pb')
  const second = await ari(sim.url, 'POST', '/channels/leg/play', { media: 'sound:tt-weasels', playbackId: 'pb' })
  t.equal(second.status, 201, 'the same id again is accepted')
  t.match((await ari(sim.url, 'GET', '/playbacks/pb')).json, { media_uri: 'sound:tt-monkeys', state: 'playing' }, 'the id finds the oldest')
  t.equal((await ari(sim.url, 'DELETE', '/playbacks/pb')).status, 204)
  await ev.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { media_uri: string }).media_uri === 'sound:tt-weasels')
  t.match((await ari(sim.url, 'GET', '/playbacks/pb')).json, { media_uri: 'sound:tt-weasels', state: 'playing' }, 'then the younger one')
  t.equal((await ari(sim.url, 'DELETE', '/playbacks/pb')).status, 204)
  await ev.waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { media_uri: string }).media_uri === 'sound:tt-weasels')
  t.equal((await ari(sim.url, 'GET', '/playbacks/pb')).status, 404, 'both gone')
})

t.test('a playback started in a bridge ends (done) when the channel leaves it, before ChannelLeftBridge', async (t) => {
  const sim = await startTestSim({ dialplan: AGENTS })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await answeredLeg(sim.url, ev, 'leg')
  await ev.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'ANSWER')
  await ari(sim.url, 'POST', '/bridges', { type: 'mixing', bridgeId: 'b' })
  await ari(sim.url, 'POST', '/bridges/b/addChannel', { channel: 'leg' })
  await ev.waitFor(isType('ChannelEnteredBridge', 'leg'))
  await ari(sim.url, 'POST', '/channels/leg/play', { media: 'sound:tt-monkeys', playbackId: 'in-bridge' })
  await ev.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === 'in-bridge')
  const from = ev.list.length
  await ari(sim.url, 'POST', '/bridges/b/removeChannel', { channel: 'leg' })
  await ev.waitFor(isType('ChannelLeftBridge', 'leg'), 10_000, from)
  const after = ev.list.slice(from).map((e) => (e.playback ? `${e.type}:${(e.playback as { state: string }).state}` : e.type))
  t.same(after.filter((x) => x.startsWith('Playback') || x === 'ChannelLeftBridge'), ['PlaybackFinished:done', 'ChannelLeftBridge'])

  // One started outside a bridge plays on when the channel joins and leaves one.
  await ari(sim.url, 'POST', '/channels/leg/play', { media: 'sound:tt-monkeys', playbackId: 'outside' })
  await ev.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === 'outside')
  const from2 = ev.list.length
  await ari(sim.url, 'POST', '/bridges/b/addChannel', { channel: 'leg' })
  await ari(sim.url, 'POST', '/bridges/b/removeChannel', { channel: 'leg' })
  await ev.waitFor(isType('ChannelLeftBridge', 'leg'), 10_000, from2)
  t.match((await ari(sim.url, 'GET', '/playbacks/outside')).json, { state: 'playing' }, 'still playing')
  t.notOk(ev.list.slice(from2).some((e) => e.type === 'PlaybackFinished'))
})

t.test('dialing a Local channel into a missing context: no Dial event, ChannelDestroyed with cause 16', async (t) => {
  const sim = await startTestSim({ dialplan: AGENTS })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await answeredLeg(sim.url, ev, 'dead', 'Local/probe@no-such-context')
  const gone = await ev.waitFor(isType('ChannelDestroyed', 'dead'))
  t.equal(gone.cause, 16)
  t.same(ev.types('dead').filter((x) => x !== 'ChannelVarset' && x !== 'ChannelDialplan'), ['StasisStart', 'StasisEnd', 'ChannelDestroyed'])
})
