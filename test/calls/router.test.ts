import t from 'tap'
import { EventRouter } from '../../src/calls/router.js'
import { silentLogger } from '../../src/domain/log.js'
import { FakeTelephony, channel, ev } from '../helpers/fake-telephony.js'

t.test('events reach the owner of the channel; Dial by peer; playbacks by id', async (t) => {
  const tel = new FakeTelephony()
  const r = new EventRouter(tel.events, silentLogger())
  const got: string[] = []
  r.onChannel('c1', (e) => got.push(`c1:${e.type}`))
  r.onChannel('c2', (e) => got.push(`c2:${e.type}`))
  r.onPlayback('p1', (e) => got.push(`p1:${e.type}`))
  tel.emit(ev.dtmf(channel('c1'), '5'))
  tel.emit(ev.dial(channel('c2'), 'RINGING'))
  tel.emit(ev.playbackStarted('p1'))
  tel.emit(ev.playbackFinished('p1'))
  tel.emit(ev.playbackFinished('p1'))
  tel.emit(ev.dtmf(channel('c3'), '1'))
  t.same(got, ['c1:ChannelDtmfReceived', 'c2:Dial', 'p1:PlaybackStarted', 'p1:PlaybackFinished'])
})

t.test('nothing stays registered for objects that are gone', async (t) => {
  const tel = new FakeTelephony()
  const r = new EventRouter(tel.events, silentLogger())
  for (let i = 0; i < 1000; i++) {
    const c = channel(`c${i}`)
    r.onChannel(c.id, () => {})
    r.onChannel(c.id, () => {})
    r.onPlayback(`p${i}`, () => {})
    tel.emit(ev.playbackFinished(`p${i}`))
    tel.emit(ev.destroyed(c))
  }
  t.same(r.size(), { channels: 0, playbacks: 0 })
  const off = r.onChannel('x', () => {})
  off()
  off()
  t.same(r.size(), { channels: 0, playbacks: 0 }, 'unsubscribe is idempotent and cleans up')
})

t.test('a throwing handler does not stop the others; StasisStart listeners see new channels', async (t) => {
  const tel = new FakeTelephony()
  const r = new EventRouter(tel.events, silentLogger())
  const seen: string[] = []
  r.onChannel('c1', () => {
    throw new Error('boom')
  })
  r.onChannel('c1', (e) => seen.push(e.type))
  const offStart = r.onStasisStart((e) => seen.push(`start:${e.args.join(',')}`))
  tel.emit(ev.stasisStart(channel('c1'), ['inbound', '803164']))
  offStart()
  tel.emit(ev.stasisStart(channel('c1'), ['inbound', 'x']))
  t.same(seen, ['start:inbound,803164', 'StasisStart', 'StasisStart'])
  r.close()
  tel.emit(ev.dtmf(channel('c1'), '1'))
  t.equal(seen.length, 3, 'closed router delivers nothing')
})
