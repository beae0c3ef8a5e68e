/**
 * A dropped events socket: channels stay in Stasis (res_stasis keeps an app with channels),
 * events meanwhile are lost, GET /applications still lists the app, a channel hung up
 * meanwhile is gone, and a new socket for the app gets the later events.
 */
import t from 'tap'
import { Events, ari, isType, startTestSim } from './helpers.js'

t.test('channels survive a dropped socket and events resume on a new one', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const ev1 = await Events.open(sim.url, 'centralino')
  const a = sim.placeCall({ from: '3331111111', to: '803164' })
  const b = sim.placeCall({ from: '3332222222', to: '803164' })
  await ev1.waitFor(isType('StasisStart', a.channelId))
  await ev1.waitFor(isType('StasisStart', b.channelId))
  sim.dropEventSockets()
  await new Promise<void>((r) => ev1.ws.once('close', () => r()))

  // no socket: the app is inactive but still exists while it has channels
  const apps = await ari(sim.url, 'GET', '/applications')
  t.match(apps.json, [{ name: 'centralino', channel_ids: [a.channelId, b.channelId].sort() }].map((x) => ({ name: x.name })))
  const app = await ari(sim.url, 'GET', '/applications/centralino')
  t.equal(app.status, 200)
  t.same([...(app.json as { channel_ids: string[] }).channel_ids].sort(), [a.channelId, b.channelId].sort())
  // operations still work on channels in Stasis; their events are dropped
  t.equal((await ari(sim.url, 'POST', `/channels/${a.channelId}/answer`)).status, 204)
  b.hangup()
  t.equal((await b.done).cause, 16)
  t.equal((await ari(sim.url, 'GET', `/channels/${b.channelId}`)).status, 404)

  const ev2 = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev2.close())
  const list = await ari(sim.url, 'GET', '/channels')
  t.same((list.json as Array<{ id: string; state: string }>).map((c) => [c.id, c.state]), [[a.channelId, 'Up']], 'the surviving channel is listed, answered')
  t.same(ev2.list, [], 'nothing was queued for the new socket')
  await ari(sim.url, 'POST', `/channels/${a.channelId}/play`, { media: 'sound:beep', playbackId: 'pb-after' })
  const started = await ev2.waitFor((e) => e.type === 'PlaybackStarted')
  t.equal((started.playback as { id: string }).id, 'pb-after')
  t.notOk(ev2.list.some((e) => e.type === 'ApplicationReplaced'), 'no ApplicationReplaced: the app had no socket')
  a.hangup()
  await ev2.waitFor(isType('StasisEnd', a.channelId))
})

t.test('an app with no socket and no channels is gone; Stasis() then fails', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  const call = sim.placeCall({ from: '3331111111', to: '803164' })
  await ev.waitFor(isType('StasisStart', call.channelId))
  ev.close()
  await new Promise<void>((r) => ev.ws.once('close', () => r()))
  call.hangup()
  await call.done
  t.equal((await ari(sim.url, 'GET', '/applications/centralino')).status, 404, 'cleaned up once its last channel left Stasis')
  const next = sim.placeCall({ from: '3331111111', to: '803164' })
  t.equal((await next.done).cause, 0)
})

t.test('a second socket replaces the first, which is not closed and gets nothing more', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  const first = await Events.open(sim.url, 'centralino')
  t.teardown(() => first.close())
  const second = await Events.open(sim.url, 'centralino')
  t.teardown(() => second.close())
  const replaced = await first.waitFor(isType('ApplicationReplaced'))
  t.same(Object.keys(replaced), ['type', 'timestamp', 'application', 'asterisk_id'])
  const call = sim.placeCall({ from: '3331111111', to: '803164' })
  await second.waitFor(isType('StasisStart', call.channelId))
  t.equal(first.list.length, 1)
  t.equal(first.ws.readyState, first.ws.OPEN)
  call.hangup()
  await call.done
})
