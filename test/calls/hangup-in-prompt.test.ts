/**
 * A caller who hangs up while a prompt plays: Asterisk reports the hangup and, in the same
 * breath, the prompt finishing. The flow must stop with the hangup, not take the prompt's end
 * as a cue to play the next one to a channel that is gone.
 */
import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { AcdService } from '../../src/acd/service.js'
import { runFlow } from '../../src/calls/ivr-runner.js'
import { SessionRegistry } from '../../src/calls/registry.js'
import { EventRouter } from '../../src/calls/router.js'
import type { SessionDeps } from '../../src/calls/session.js'
import { SimClock } from '../../src/domain/clock.js'
import type { NewCallEvent } from '../../src/domain/events.js'
import { silentLogger } from '../../src/domain/log.js'
import { agentDef, section } from '../helpers/acd-fixtures.js'
import { settle } from '../helpers/async.js'
import { FakeTelephony, channel, ev } from '../helpers/fake-telephony.js'
import { compileOk } from '../ivr/helpers.js'

const FLOW = `
flow: t
start: hello
defaults: { timeoutSec: 5, retries: 2, invalidPrompts: [invalid], timeoutPrompts: [noinput] }
nodes:
  hello: { type: play, prompts: [welcome], next: main }
  main:
    type: menu
    prompts: [menu]
    options: { '1': q }
  q: { type: queue, section: pens }
`

t.test('hangup and the end of the prompt in one batch of events: no next prompt', async (t) => {
  const telephony = new FakeTelephony()
  const log = silentLogger()
  const router = new EventRouter(telephony.events, log)
  const clock = new SimClock()
  const events: NewCallEvent[] = []
  const emit = (e: NewCallEvent) => events.push(e)
  const acd = new AcdService({
    store: createMemoryStore(),
    clock,
    log,
    emit,
    sections: [section('pens'), section('ops', { operator: true })],
    agents: [agentDef('a1', ['pens', 'ops'])],
    connector: { connect: async () => ({ kind: 'caller_gone' }) },
  })
  const flow = compileOk(FLOW)
  const deps = (l: typeof log): SessionDeps => ({
    telephony,
    router,
    clock,
    log: l,
    acd,
    emit,
    app: 'centralino',
    externalEndpoint: (n) => `PJSIP/${n}@trunk`,
    externalTimeoutSec: 30,
    startFlow: (p) => runFlow({ telephony, router, clock, log: l, backOffice: async () => ({}) }, flow, p),
  })
  const registry = new SessionRegistry(deps, { log, router, app: 'centralino' })
  await acd.start(true)
  const caller = channel('caller-1')
  telephony.emit(ev.stasisStart(caller, ['inbound', '803164']))
  await settle()
  const plays = () => telephony.ops('channels.play').map((r) => (r.args as { media: string[] }).media)
  t.same(plays(), [['sound:centralino/welcome']])
  const welcome = (telephony.ops('channels.play')[0]!.args as { playbackId: string }).playbackId

  // One websocket read: the events arrive back to back, nothing runs in between.
  telephony.emit(ev.hangupRequest(caller))
  telephony.emit(ev.playbackFinished(welcome, 'done'))
  telephony.emit(ev.stasisEnd(caller))
  telephony.emit(ev.destroyed(caller))
  await settle()

  t.same(plays(), [['sound:centralino/welcome']], 'the menu prompt is not asked for')
  t.equal(registry.size, 0, 'the session ended')
  t.ok(events.some((e) => e.type === 'call.ended'), 'the call ended in the log')
})
