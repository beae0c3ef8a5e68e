import t from 'tap'
import { dialLeg, type DialLegParams } from '../../src/calls/dial-leg.js'
import { EventRouter } from '../../src/calls/router.js'
import { SimClock } from '../../src/domain/clock.js'
import { AppError } from '../../src/domain/errors.js'
import { silentLogger } from '../../src/domain/log.js'
import { settle } from '../helpers/async.js'
import { FakeTelephony, channel, ev } from '../helpers/fake-telephony.js'

function setup() {
  const telephony = new FakeTelephony()
  const log = silentLogger()
  const router = new EventRouter(telephony.events, log)
  const clock = new SimClock()
  const abort = new AbortController()
  const params: DialLegParams = { endpoint: 'PJSIP/op101', channelId: 'leg1', app: 'centralino', appArgs: ['agent', 'call1'], timeoutSec: 15, callerChannelId: 'call1', signal: abort.signal }
  return { telephony, router, clock, abort, params, deps: { telephony, router, clock, log } }
}

t.test('create then dial with the ring timeout and the caller id; answered keeps the channel', async (t) => {
  const s = setup()
  const p = dialLeg(s.deps, s.params)
  await settle()
  t.match(s.telephony.ops('channels.create')[0], { id: 'leg1', args: { endpoint: 'PJSIP/op101', app: 'centralino', appArgs: ['agent', 'call1'] } })
  t.match(s.telephony.ops('channels.dial')[0], { id: 'leg1', args: { timeoutSec: 15, caller: 'call1' } })
  s.telephony.emit(ev.stasisStart(channel('leg1', { state: 'Down' }), ['agent', 'call1']))
  s.telephony.emit(ev.dial(channel('leg1'), 'RINGING'))
  s.telephony.emit(ev.dial(channel('leg1'), 'ANSWER'))
  t.same(await p, { kind: 'answered', channelId: 'leg1' })
  t.equal(s.telephony.ops('channels.hangup').length, 0)
  t.same(s.router.size(), { channels: 0, playbacks: 0 })
})

t.test('busy is classified from the Dial status and the leg is hung up at once', async (t) => {
  const s = setup()
  const p = dialLeg(s.deps, s.params)
  await settle()
  s.telephony.emit(ev.dial(channel('leg1'), 'BUSY'))
  t.same(await p, { kind: 'no_answer', cause: 17, status: 'BUSY' })
  await settle()
  t.equal(s.telephony.ops('channels.hangup')[0]?.id, 'leg1')
})

t.test('an answer seen as a state change counts too', async (t) => {
  const s = setup()
  const p = dialLeg(s.deps, s.params)
  await settle()
  s.telephony.emit(ev.state(channel('leg1'), 'Ringing'))
  s.telephony.emit(ev.state(channel('leg1'), 'Up'))
  t.equal((await p).kind, 'answered')
})

t.test('no answer: Asterisk hangs up the leg (cause 19), or our guard timer does', async (t) => {
  const s = setup()
  const p = dialLeg(s.deps, s.params)
  await settle()
  s.telephony.emit(ev.hangupRequest(channel('leg1'), 19))
  t.same(await p, { kind: 'no_answer', cause: 19 })

  const s2 = setup()
  const p2 = dialLeg(s2.deps, s2.params)
  await settle()
  s2.clock.advance(17_999)
  await settle()
  s2.clock.advance(1)
  t.same(await p2, { kind: 'no_answer', cause: 19, status: 'NOANSWER' })
})

t.test('the caller leaving stops the ring', async (t) => {
  const s = setup()
  const p = dialLeg(s.deps, s.params)
  await settle()
  s.abort.abort()
  t.same(await p, { kind: 'caller_gone' })
  await settle()
  t.equal(s.telephony.ops('channels.hangup')[0]?.id, 'leg1')
  t.equal(s.clock.pending(), 0, 'guard timer cancelled')
})

t.test('a refused create is a failure with its reason, not an exception', async (t) => {
  const s = setup()
  s.telephony.failNext.set('channels.create', new AppError('ARI_HTTP', 'Allocation failed', { status: 500 }))
  const r = await dialLeg(s.deps, s.params)
  t.equal(r.kind, 'failed')
  t.match(r, { reason: /ARI_HTTP: Allocation failed/ })
  t.equal(s.telephony.ops('channels.dial').length, 0)
})
