/**
 * The IVR runner on a scriptable telephony: calls running the same flow version share its
 * machine, so each must still play on its own channel, barge in on its own prompt, and keep
 * its own prompt counter and outcome; a restored call awaits its prompt in progress.
 */
import t from 'tap'
import { runFlow, type IvrRunnerDeps } from '../../src/calls/ivr-runner.js'
import type { FlowState } from '../../src/calls/flow-run.js'
import { EventRouter } from '../../src/calls/router.js'
import { SimClock } from '../../src/domain/clock.js'
import { silentLogger } from '../../src/domain/log.js'
import { settle } from '../helpers/async.js'
import { FakeTelephony, ev } from '../helpers/fake-telephony.js'
import { compileOk } from '../ivr/helpers.js'

const FLOW = `
flow: t
start: main
defaults: { timeoutSec: 5, retries: 2, invalidPrompts: [invalid], timeoutPrompts: [noinput] }
nodes:
  main:
    type: menu
    prompts: [menu]
    options: { '1': sub, '2': q }
  sub:
    type: menu
    prompts: [sub]
    options: { '1': q }
  q: { type: queue, section: pensions }
`

function setup() {
  const telephony = new FakeTelephony()
  const log = silentLogger()
  const clock = new SimClock(Date.UTC(2026, 10, 23, 9, 0))
  const d: IvrRunnerDeps = {
    telephony,
    router: new EventRouter(telephony.events, log),
    clock,
    log,
    backOffice: async () => {
      throw new Error('no back office here')
    },
  }
  const plays = (channelId: string) =>
    telephony.ops('channels.play').filter((r) => r.id === channelId).map((r) => r.args as { playbackId: string; media: string[] })
  const stops = () => telephony.ops('playbacks.stop').map((r) => r.id)
  return { telephony, d, clock, plays, stops }
}

t.test('two calls on one flow version: own channel, own barge-in, own outcome', async (t) => {
  const s = setup()
  const flow = compileOk(FLOW)
  const a = runFlow(s.d, flow, { callId: 'call-a', channelId: 'chan-a' })
  const b = runFlow(s.d, flow, { callId: 'call-b', channelId: 'chan-b' })
  await settle()
  const [pa] = s.plays('chan-a')
  const [pb] = s.plays('chan-b')
  t.same(pa?.media, ['sound:centralino/menu'])
  t.same(pb?.media, ['sound:centralino/menu'])
  t.not(pa?.playbackId, pb?.playbackId, 'each call its own playback id')

  a.send('1')
  await settle()
  t.same(s.stops(), [pa!.playbackId], "a's digit stops a's prompt only")
  t.same(s.plays('chan-a').map((p) => p.media), [['sound:centralino/menu'], ['sound:centralino/sub']])
  t.equal(s.plays('chan-b').length, 1, 'b still hears its menu')

  s.telephony.emit(ev.playbackFinished(pb!.playbackId))
  b.send('2')
  const outB = await b.done
  t.same(outB.outcome, { kind: 'queue', node: 'q', section: 'pensions', priority: 0 })
  t.same(outB.trail.map((x) => x.node), ['main', 'q'])

  a.send('1')
  const outA = await a.done
  t.same(outA.trail.map((x) => x.node), ['main', 'sub', 'q'])
  t.same(s.plays('chan-b').length, 1, "a's prompts never went to b's channel")
})

t.test('a restored call awaits the prompt it was playing, then goes on counting from it', async (t) => {
  const s = setup()
  const flow = compileOk(FLOW)
  let saved: FlowState | undefined
  const first = runFlow(s.d, flow, { callId: 'call-a', channelId: 'chan-a', onChange: (st) => (saved = st) })
  await settle()
  first.send('1')
  await settle()
  const inProgress = s.plays('chan-a')[1]!.playbackId
  first.stop() // the engine went away; Asterisk kept playing the prompt
  t.ok(saved, 'state persisted')

  // Another call starting meanwhile on the same flow is not taken for a restore.
  const other = runFlow(s.d, flow, { callId: 'call-b', channelId: 'chan-b' })
  const resumed = runFlow(s.d, flow, { callId: 'call-a', channelId: 'chan-a', restore: saved })
  await settle()
  t.equal(s.plays('chan-b').length, 1, 'a fresh call plays its prompt')
  t.equal(s.plays('chan-a').length, 2, 'the restored call plays nothing again')
  t.same(s.telephony.ops('playbacks.get').map((r) => r.id), [inProgress], 'it waits for the prompt in progress')
  s.telephony.emit(ev.playbackFinished(inProgress))
  await settle()
  s.clock.advance(5_000)
  await settle()
  const after = s.plays('chan-a')[2]
  t.same(after?.media, ['sound:centralino/noinput'], 'the timeout prompt follows')
  t.not(after?.playbackId, inProgress, 'with a new prompt id')
  resumed.stop()
  other.stop()
})
