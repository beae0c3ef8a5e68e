import t from 'tap'
import { compileOk, Harness } from './helpers.js'

const FLOW = `
flow: t
start: main
defaults: { timeoutSec: 5, retries: 2, invalidPrompts: [invalid], timeoutPrompts: [noinput] }
operator: { digit: '0', target: op }
nodes:
  main:
    type: menu
    prompts: [menu]
    options: { '1': sub, '2': q, '9': main }
  sub:
    type: menu
    prompts: [sub]
    options: { '1': q }
    fallback: bye
    operator: false
  q: { type: queue, section: pensions, priority: 3 }
  op: { type: operator }
  bye: { type: hangup, prompts: [goodbye] }
`

t.test('a digit after the prompts picks the option; the final node gives the output', async (t) => {
  const h = new Harness(compileOk(FLOW))
  t.same(h.lastItems(), ['menu'])
  t.equal(h.plays[0]!.lang, 'it')
  h.finishPlay()
  t.same(h.value, { main: 'wait' })
  h.dtmf('2')
  t.equal(h.status, 'done')
  t.same(h.output?.outcome, { kind: 'queue', node: 'q', section: 'pensions', priority: 3 })
  t.same(
    h.output?.trail.map((s) => [s.node, s.input, s.outcome]),
    [
      ['main', '2', 'option'],
      ['q', undefined, undefined],
    ],
  )
  t.equal(h.output?.lang, 'it')
  t.equal(h.output?.vars['call.id'], 'call-1')
})

t.test('barge-in: a digit during the menu prompts stops them and counts', async (t) => {
  const h = new Harness(compileOk(FLOW))
  const menuPlay = h.playing!
  h.dtmf('1')
  t.ok(menuPlay.stopped, 'menu playback stopped')
  t.same(h.value, { sub: 'prompt' })
  t.same(h.lastItems(), ['sub'])
})

t.test('timeouts follow the retries with their prompts, then the default fallback (the operator target)', async (t) => {
  const h = new Harness(compileOk(FLOW))
  h.finishPlay()
  const t0 = h.clock.now()
  t.equal(h.context.deadlineAt, t0 + 5000, 'deadline kept in context')
  h.clock.advance(4999)
  t.same(h.value, { main: 'wait' }, 'not yet')
  h.clock.advance(1)
  t.same(h.lastItems(), ['noinput'])
  t.equal(h.context.retries, 1)
  t.equal(h.context.deadlineAt, null, 'no deadline while prompts play')
  h.finishPlay()
  t.same(h.lastItems(), ['menu'], 'menu replayed')
  h.finishPlay()
  h.clock.advance(5000)
  t.same(h.lastItems(), ['noinput'])
  t.equal(h.context.retries, 2)
  h.finishPlay()
  h.finishPlay()
  h.clock.advance(5000)
  t.equal(h.status, 'done')
  t.same(h.output?.outcome, { kind: 'operator', node: 'op' })
  t.equal(h.output?.trail[0]?.outcome, 'fallback:timeout')
  t.equal(h.clock.pending(), 0, 'no timer left behind')
})

t.test('invalid digits share the retry count with timeouts; a digit during the invalid prompt counts', async (t) => {
  const h = new Harness(compileOk(FLOW))
  h.finishPlay()
  h.dtmf('7')
  t.same(h.lastItems(), ['invalid'])
  t.equal(h.context.retries, 1)
  t.equal(h.context.pending, '', 'invalid digit consumed')
  h.finishPlay()
  h.finishPlay()
  h.clock.advance(5000)
  t.same(h.lastItems(), ['noinput'])
  t.equal(h.context.retries, 2)
  h.dtmf('1')
  t.same(h.value, { sub: 'prompt' }, 'digit during the timeout prompt picks the option')
  t.equal(h.context.retries, 0, 'retries reset on a new node')
})

t.test('after the retries an invalid digit takes the explicit fallback', async (t) => {
  const h = new Harness(compileOk(FLOW))
  h.dtmf('1')
  for (let i = 0; i < 2; i++) {
    h.dtmf('5')
    t.same(h.lastItems(), ['invalid'])
    h.finishPlay()
  }
  h.dtmf('5')
  t.same(h.value, 'bye')
  t.same(h.lastItems(), ['goodbye'])
  t.equal(h.status, 'active', 'the hangup waits for its prompts')
  h.finishPlay()
  t.equal(h.status, 'done')
  t.same(h.output?.outcome, { kind: 'hangup', node: 'bye' })
})

t.test('the operator digit works on every menu unless the menu disables it', async (t) => {
  const a = new Harness(compileOk(FLOW))
  a.finishPlay()
  a.dtmf('0')
  t.same(a.output?.outcome, { kind: 'operator', node: 'op' })
  t.equal(a.output?.trail[0]?.outcome, 'operator')

  const b = new Harness(compileOk(FLOW))
  b.dtmf('1')
  b.dtmf('0')
  t.same(b.lastItems(), ['invalid'], 'operator: false on sub: 0 is just invalid')
  t.equal(b.status, 'active')
})

t.test('an option back to the same menu replays it and resets the retries', async (t) => {
  const h = new Harness(compileOk(FLOW))
  h.finishPlay()
  h.dtmf('8')
  h.finishPlay()
  t.equal(h.context.retries, 1)
  h.dtmf('9')
  t.same(h.value, { main: 'prompt' })
  t.same(h.lastItems(), ['menu'])
  t.equal(h.context.retries, 0)
  t.same(h.nodes(), ['main', 'main'])
})

t.test('with the operator disabled, the default fallback says goodbye and hangs up', async (t) => {
  const flow = compileOk(`
flow: t
start: main
operator: false
defaults: { timeoutSec: 3, retries: 0 }
nodes:
  main: { type: menu, prompts: [menu], options: { '0': q } }
  q: { type: queue, section: s }
`)
  t.equal(flow.operator, null)
  const h = new Harness(flow)
  h.finishPlay()
  h.clock.advance(3000)
  t.same(h.lastItems(), ['goodbye'])
  h.finishPlay()
  t.same(h.output?.outcome, { kind: 'hangup', node: '$hangup' })

  const h2 = new Harness(flow)
  h2.dtmf('0')
  t.same(h2.output?.outcome, { kind: 'queue', node: 'q', section: 's', priority: 0 }, '0 is an ordinary option here')
})

t.test('the operator target may be a queue; a custom operator digit', async (t) => {
  const flow = compileOk(`
flow: t
start: main
operator: { digit: '*', target: switchboard }
nodes:
  main: { type: menu, prompts: [menu], options: { '0': q } }
  q: { type: queue, section: s }
  switchboard: { type: queue, section: operators, priority: 5 }
`)
  const h = new Harness(flow)
  h.dtmf('*')
  t.same(h.output?.outcome, { kind: 'queue', node: 'switchboard', section: 'operators', priority: 5 })
})

t.test('without an operator setting, 0 reaches the built-in operator node', async (t) => {
  const h = new Harness(compileOk(`
flow: t
start: main
nodes:
  main: { type: menu, prompts: [menu], options: { '1': q } }
  q: { type: queue, section: s }
`))
  h.dtmf('0')
  t.same(h.output?.outcome, { kind: 'operator', node: '$operator' })
})

t.test('a persisted snapshot re-arms the deadline from context.deadlineAt', async (t) => {
  const flow = compileOk(FLOW)
  const h = new Harness(flow)
  h.finishPlay()
  h.clock.advance(2000)
  const snap = h.actor.getPersistedSnapshot()
  h.stop()
  const { createActor } = await import('xstate')
  const restored = createActor(h.machine, { snapshot: snap, input: { callId: 'call-1' } })
  restored.start()
  t.same(restored.getSnapshot().value, { main: 'wait' })
  h.clock.advance(2999)
  t.same(restored.getSnapshot().value, { main: 'wait' })
  h.clock.advance(1)
  t.equal(restored.getSnapshot().context.retries, 1, 'timed out at the original deadline')
  restored.stop()
})
