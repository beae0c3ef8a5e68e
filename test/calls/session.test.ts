import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { AcdService } from '../../src/acd/service.js'
import type { FlowOutput, FlowRun } from '../../src/calls/flow-run.js'
import { SessionRegistry } from '../../src/calls/registry.js'
import { EventRouter } from '../../src/calls/router.js'
import type { SessionDeps } from '../../src/calls/session.js'
import { SimClock } from '../../src/domain/clock.js'
import type { NewCallEvent } from '../../src/domain/events.js'
import { silentLogger } from '../../src/domain/log.js'
import { agentDef, section } from '../helpers/acd-fixtures.js'
import { deferred, settle, type Deferred } from '../helpers/async.js'
import { FakeTelephony, channel, ev, notFound } from '../helpers/fake-telephony.js'

interface FakeFlow extends FlowRun {
  digits: string[]
  stopped: boolean
  result: Deferred<FlowOutput>
}

async function setup() {
  const telephony = new FakeTelephony()
  const log = silentLogger()
  const router = new EventRouter(telephony.events, log)
  const clock = new SimClock()
  const store = createMemoryStore()
  const events: NewCallEvent[] = []
  const emit = (e: NewCallEvent) => events.push(e)
  const flows: FakeFlow[] = []
  const ref: { registry?: SessionRegistry } = {}
  const acd = new AcdService({
    store,
    clock,
    log,
    emit,
    sections: [section('pens', { announce: { onEntry: true, everySec: 30, position: true } }), section('ops', { operator: true })],
    agents: [agentDef('a1', ['pens', 'ops'])],
    connector: { connect: (r) => ref.registry!.connect(r) },
  })
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
    startFlow: () => {
      const result = deferred<FlowOutput>()
      const f: FakeFlow = {
        flowId: 'national',
        version: 'v1',
        digits: [],
        stopped: false,
        result,
        done: result.promise,
        send: (d) => f.digits.push(d),
        stop: () => {
          f.stopped = true
        },
      }
      flows.push(f)
      return f
    },
  })
  const registry = new SessionRegistry(deps, { log, router, app: 'centralino' })
  ref.registry = registry
  await acd.start(true)
  const caller = channel('caller-1')
  const out = (outcome: FlowOutput['outcome']): FlowOutput => ({ outcome, lang: 'it', vars: { pin: '12345678' }, trail: [{ node: 'main', input: '1', at: 0 }] })
  return { telephony, router, clock, store, events, flows, acd, registry, caller, out }
}

t.test('caller in a section queue: music, position, agent rings, bridge, agent hangs up, all released', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  t.equal(s.telephony.ops('channels.answer')[0]?.id, 'caller-1')
  t.equal(s.registry.countByPhase().ivr, 1)
  s.telephony.emit(ev.dtmf(s.caller, '1'))
  t.same(s.flows[0]!.digits, ['1'], 'digits reach the flow')
  s.flows[0]!.result.resolve(s.out({ kind: 'queue', node: 'pens_q', section: 'pens', priority: 0 }))
  await settle()
  // the only agent is rung at once; the caller hears music and its position
  t.ok(s.telephony.ops('channels.startMoh').some((r) => r.id === 'caller-1'))
  const play = s.telephony.ops('channels.play')[0]!
  t.match(play, { id: 'caller-1', args: { media: ['sound:centralino/queue_next'], lang: 'it' } })
  const leg = s.telephony.ops('channels.create')[0]!
  t.match(leg, { args: { endpoint: 'PJSIP/a1', appArgs: ['agent', 'caller-1'] } })
  s.telephony.emit(ev.playbackFinished((play.args as { playbackId: string }).playbackId))
  s.telephony.emit(ev.dial(channel(leg.id!), 'ANSWER'))
  await settle()
  t.equal(s.telephony.ops('bridges.create').length, 1)
  t.same(s.telephony.ops('bridges.addChannel')[0]?.args, ['caller-1', leg.id])
  t.equal(s.registry.countByPhase().connected, 1)
  t.equal((await s.store.agents.get('a1'))?.state, 'on_call')
  // the agent hangs up: the caller is hung up, the bridge destroyed, the agent freed
  s.telephony.emit(ev.stasisEnd(channel(leg.id!)))
  await settle()
  t.ok(s.telephony.ops('channels.hangup').some((r) => r.id === 'caller-1'))
  s.telephony.emit(ev.stasisEnd(s.caller))
  await settle()
  t.equal(s.telephony.ops('bridges.destroy').length, 1)
  t.equal(s.registry.size, 0)
  t.equal((await s.store.agents.get('a1'))?.state, 'ready')
  const types = s.events.map((e) => e.type)
  t.same(
    types.filter((x) => x !== 'queue.announced'),
    ['call.started', 'ivr.finished', 'queue.entered', 'agent.offered', 'queue.connected', 'call.ended'],
  )
  t.ok(types.indexOf('queue.announced') > types.indexOf('queue.entered'), 'position announced after entry')
  t.same(s.router.size(), { channels: 0, playbacks: 0 }, 'no handler left behind')
})

t.test('caller hangs up while the agent rings: leg hung up, abandon logged, agent ready again', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  s.flows[0]!.result.resolve(s.out({ kind: 'operator', node: '$operator' }))
  await settle()
  const leg = s.telephony.ops('channels.create')[0]!
  t.ok(leg, 'the operator is rung')
  s.telephony.emit(ev.stasisEnd(s.caller))
  await settle()
  t.ok(s.telephony.ops('channels.hangup').some((r) => r.id === leg.id), 'agent leg hung up')
  t.equal((await s.store.agents.get('a1'))?.state, 'ready')
  t.equal(await s.store.queues.get('caller-1'), undefined)
  t.match(s.events.find((e) => e.type === 'queue.abandoned'), { section: 'ops', position: 1 })
  t.equal(s.registry.size, 0)
})

t.test('caller hangs up in the menu: the flow is stopped, nothing queued', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  s.telephony.emit(ev.stasisEnd(s.caller))
  await settle()
  t.equal(s.flows[0]!.stopped, true)
  t.equal(s.registry.size, 0)
  t.notOk(s.events.some((e) => e.type === 'queue.entered'))
  t.match(s.events.at(-1), { type: 'call.ended' })
})

t.test('flow ends with hangup: the engine hangs up', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  s.flows[0]!.result.resolve(s.out({ kind: 'hangup', node: 'bye' }))
  await settle()
  t.ok(s.telephony.ops('channels.hangup').some((r) => r.id === 'caller-1'))
  t.equal(s.registry.size, 0)
})

t.test('external transfer that nobody answers: apology, then hangup', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  s.flows[0]!.result.resolve(s.out({ kind: 'transfer', node: 'tx', number: '0612345678' }))
  await settle()
  const leg = s.telephony.ops('channels.create')[0]!
  t.match(leg.args, { endpoint: 'PJSIP/0612345678@trunk', appArgs: ['external', 'caller-1'] })
  s.telephony.emit(ev.dial(channel(leg.id!), 'CONGESTION'))
  await settle()
  const play = s.telephony.ops('channels.play').at(-1)!
  t.match(play.args, { media: ['sound:centralino/transfer_failed'] })
  s.telephony.emit(ev.playbackFinished((play.args as { playbackId: string }).playbackId))
  await settle()
  t.ok(s.telephony.ops('channels.hangup').some((r) => r.id === 'caller-1'))
  t.match(s.events.find((e) => e.type === 'call.transferred'), { kind: 'external', target: '0612345678' })
})

t.test('a channel gone before it is answered ends quietly', async (t) => {
  const s = await setup()
  s.telephony.failNext.set('channels.answer', notFound())
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  t.equal(s.registry.size, 0)
  t.match(s.events.at(-1), { type: 'call.ended' })
})

t.test('agent answers just as the caller leaves: the agent is released, not connected', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  s.flows[0]!.result.resolve(s.out({ kind: 'queue', node: 'q', section: 'pens', priority: 0 }))
  await settle()
  const leg = s.telephony.ops('channels.create')[0]!
  s.telephony.failNext.set('bridges.addChannel', notFound())
  s.telephony.emit(ev.dial(channel(leg.id!), 'ANSWER'))
  s.telephony.emit(ev.stasisEnd(s.caller))
  await settle()
  t.ok(s.telephony.ops('channels.hangup').some((r) => r.id === leg.id))
  t.equal((await s.store.agents.get('a1'))?.state, 'ready')
  t.equal(s.registry.size, 0)
})

t.test('resync: sessions whose channel vanished end; inbound channels that arrived meanwhile are adopted', async (t) => {
  const s = await setup()
  s.telephony.emit(ev.stasisStart(s.caller, ['inbound', '803164']))
  await settle()
  const newcomer = channel('caller-2')
  await s.registry.resync([newcomer])
  await settle()
  t.equal(s.registry.get('caller-1'), undefined, 'vanished channel ended')
  t.ok(s.registry.get('caller-2'), 'newcomer adopted from its Stasis arguments')
  t.equal(s.flows.length, 2)
  await s.registry.close()
})
