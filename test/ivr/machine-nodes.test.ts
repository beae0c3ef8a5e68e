import t from 'tap'
import { compileOk, flush, Harness } from './helpers.js'

const PLAY = `
flow: t
start: intro
defaults: { timeoutSec: 5, retries: 1, invalidPrompts: [invalid] }
nodes:
  intro: { type: play, prompts: [intro], next: notice }
  notice: { type: play, prompts: [notice], next: main, bargeIn: false }
  main: { type: menu, prompts: [menu], options: { '1': q, '2': pin } }
  pin: { type: collect, prompts: [enter], var: pin, maxDigits: 4, next: q }
  q: { type: queue, section: s }
`

t.test('play nodes play in order; without barge-in a digit is ignored', async (t) => {
  const h = new Harness(compileOk(PLAY))
  t.same(h.lastItems(), ['intro'])
  h.finishPlay()
  t.same(h.lastItems(), ['notice'])
  h.dtmf('1')
  t.same(h.value, { notice: 'play' }, 'bargeIn: false keeps playing')
  t.notOk(h.plays[1]!.stopped)
  h.finishPlay()
  t.same(h.lastItems(), ['menu'])
  t.equal(h.context.pending, '')
})

t.test('barge-in on a play node: the digit is carried to the next menu and counts at once', async (t) => {
  const flow = compileOk(PLAY.replace('bargeIn: false', 'bargeIn: true'))
  const h = new Harness(flow)
  h.dtmf('1')
  t.ok(h.plays[0]!.stopped, 'intro stopped')
  t.equal(h.status, 'done', 'notice skipped, menu chose 1 without playing')
  t.same(h.output?.outcome.node, 'q')
  t.same(h.plays.length, 1, 'neither notice nor menu played')
  t.same(
    h.output?.trail.map((s) => [s.node, s.outcome, s.input]),
    [
      ['intro', 'barge-in', '1'],
      ['notice', 'skipped', undefined],
      ['main', 'option', '1'],
      ['q', undefined, undefined],
    ],
  )
})

t.test('a carried digit can start a collect buffer', async (t) => {
  const flow = compileOk(`
flow: t
start: intro
nodes:
  intro: { type: play, prompts: [intro], next: pin }
  pin: { type: collect, prompts: [enter], var: pin, maxDigits: 3, next: q }
  q: { type: queue, section: s }
`)
  const h = new Harness(flow)
  h.dtmf('4')
  t.same(h.value, { pin: 'wait' }, 'collect prompts skipped, waiting for the next digit')
  t.equal(h.context.buffer, '4')
  h.dtmf('56')
  t.equal(h.output?.vars.pin, '456')
})

const COLLECT = `
flow: t
start: pin
operator: false
nodes:
  pin:
    type: collect
    prompts: [enter]
    var: pin
    minDigits: 4
    maxDigits: 6
    timeoutSec: 3
    retries: 1
    invalidPrompts: [bad_pin]
    next: done
    fallback: q
  done: { type: hangup, prompts: [result, { digits: '\${pin}' }] }
  q: { type: queue, section: s }
`

t.test('collect: digits typed during the prompt count; max digits ends the input', async (t) => {
  const h = new Harness(compileOk(COLLECT))
  h.dtmf('12')
  t.ok(h.plays[0]!.stopped, 'prompt stopped by the first digit')
  t.equal(h.context.buffer, '12')
  h.dtmf('3456')
  t.same(h.value, 'done')
  t.equal(h.context.vars.pin, '123456')
  t.same(h.lastItems(), ['result', 'digits:123456'], 'the collected value is readable in later prompts')
})

t.test('collect: the terminator ends the input once minDigits are there', async (t) => {
  const h = new Harness(compileOk(COLLECT))
  h.finishPlay()
  h.dtmf('1234#')
  t.equal(h.context.vars.pin, '1234')
  t.equal(h.context.buffer, '')
})

t.test('collect: too few digits before the terminator is invalid, then a retry, then the fallback', async (t) => {
  const h = new Harness(compileOk(COLLECT))
  h.finishPlay()
  h.dtmf('12#')
  t.same(h.lastItems(), ['bad_pin'])
  t.equal(h.context.buffer, '', 'buffer cleared for the retry')
  h.finishPlay()
  t.same(h.lastItems(), ['enter'], 'asked again')
  h.dtmf('*')
  t.equal(h.status, 'done', 'a non-digit is invalid; retries exhausted')
  t.same(h.output?.outcome, { kind: 'queue', node: 'q', section: 's', priority: 0 })
  t.notOk('pin' in (h.output?.vars ?? {}))
})

t.test('collect: the inter-digit timeout accepts minDigits, rejects fewer, and no input replays', async (t) => {
  const a = new Harness(compileOk(COLLECT))
  a.finishPlay()
  a.dtmf('12345')
  a.clock.advance(2999)
  t.equal(a.context.buffer, '12345')
  a.clock.advance(1)
  t.equal(a.context.vars.pin, '12345', 'accepted on timeout')

  const b = new Harness(compileOk(COLLECT))
  b.finishPlay()
  b.dtmf('1')
  b.clock.advance(2000)
  b.dtmf('2')
  b.clock.advance(2000)
  t.equal(b.context.buffer, '12', 'each digit re-arms the timeout')
  b.clock.advance(1000)
  t.same(b.lastItems(), ['bad_pin'], 'too short on timeout: invalid')

  const c = new Harness(compileOk(COLLECT))
  c.finishPlay()
  c.clock.advance(3000)
  t.same(c.lastItems(), ['bad_pin'], 'timeoutPrompts default to the invalid prompts on collect')
  t.equal(c.context.retries, 1)
})

t.test('collect without a terminator: # is invalid', async (t) => {
  const h = new Harness(compileOk(COLLECT.replace('minDigits: 4', 'minDigits: 4\n    terminator: false')))
  h.finishPlay()
  h.dtmf('1234#')
  t.same(h.lastItems(), ['bad_pin'])
})

const SERVICE = `
flow: t
start: pin
operator: { target: op }
nodes:
  pin: { type: collect, prompts: [enter], var: pin, maxDigits: 4, next: svc }
  svc:
    type: service
    action: payment-dates
    params: { request: '\${pin}', kind: 'pension', year: 2026 }
    waitPrompts: [wait]
    timeoutSec: 5
    success:
      prompts: [result, { number: '\${svc.day}' }, { digits: '\${svc.code}' }]
      next: bye
    failure:
      prompts: [sorry]
      next: op
  bye: { type: hangup }
  op: { type: operator }
`

t.test('service: params resolved, wait prompts, results stored as <node>.<key> and read back', async (t) => {
  const h = new Harness(compileOk(SERVICE))
  h.dtmf('4321')
  t.same(h.calls.map((c) => c.input), [{ action: 'payment-dates', params: { request: '4321', kind: 'pension', year: '2026' } }])
  t.same(h.lastItems(), ['wait'])
  h.calls[0]!.resolve({ day: '16', code: '0042', extra: 7 as unknown as string })
  await flush()
  t.ok(h.plays[1]!.stopped, 'wait prompts stopped when the reply came')
  t.same(h.lastItems(), ['result', 'number:16', 'digits:0042'])
  t.equal(h.context.vars['svc.extra'], '7', 'non-string results become strings')
  h.finishPlay()
  t.same(h.output?.outcome, { kind: 'hangup', node: 'bye' })
  t.equal(h.output?.trail.find((s) => s.node === 'svc')?.outcome, 'success')
  t.equal(h.clock.pending(), 0, 'service deadline cancelled')
})

t.test('service: an error takes the failure branch', async (t) => {
  const h = new Harness(compileOk(SERVICE))
  h.dtmf('4321')
  h.calls[0]!.reject(new Error('502'))
  await flush()
  t.same(h.lastItems(), ['sorry'])
  h.finishPlay()
  t.same(h.output?.outcome, { kind: 'operator', node: 'op' })
  t.equal(h.output?.trail.find((s) => s.node === 'svc')?.outcome, 'failure')
})

t.test('service: no reply within timeoutSec takes the failure branch; a late reply is ignored', async (t) => {
  const h = new Harness(compileOk(SERVICE))
  h.dtmf('4321')
  h.clock.advance(4999)
  t.same(h.value, { svc: 'call' })
  h.clock.advance(1)
  t.same(h.value, { svc: 'failure' })
  t.same(h.lastItems(), ['sorry'])
  t.equal(h.output, undefined)
  h.calls[0]!.resolve({ day: '1' })
  await flush()
  t.notOk('svc.day' in h.context.vars, 'late result not stored')
  t.equal(h.context.trail.find((s) => s.node === 'svc')?.outcome, 'timeout')
})

t.test('service: a digit during the result prompts skips them and is carried on', async (t) => {
  const flow = compileOk(SERVICE.replace('next: bye', 'next: menu2') + `  menu2: { type: menu, prompts: [menu], options: { '1': bye } }\n`)
  const h = new Harness(flow)
  h.dtmf('4321')
  h.calls[0]!.resolve({ day: '3', code: '1' })
  await flush()
  h.dtmf('1')
  t.same(h.output?.outcome, { kind: 'hangup', node: 'bye' })
})

const HOURS = `
flow: t
start: hours
nodes:
  hours:
    type: hours
    schedule: { mon: ['08:00-18:00'], sat: ['08:00-13:00'] }
    closedOn: ['2026-12-07']
    open: q
    closed: closed
  q: { type: queue, section: s }
  closed: { type: hangup, prompts: [closed] }
`

t.test('hours: open and closed branches follow the clock in Europe/Rome', async (t) => {
  const open = new Harness(compileOk(HOURS), {}, Date.UTC(2026, 10, 23, 16, 59)) // Mon 17:59 CET
  t.same(open.output?.outcome.node, 'q')
  t.equal(open.output?.trail[0]?.outcome, 'open')
  const late = new Harness(compileOk(HOURS), {}, Date.UTC(2026, 10, 23, 17, 0)) // Mon 18:00 CET
  t.same(late.value, 'closed')
  const sunday = new Harness(compileOk(HOURS), {}, Date.UTC(2026, 10, 22, 10, 0))
  t.same(sunday.value, 'closed')
  const closedOn = new Harness(compileOk(HOURS), {}, Date.UTC(2026, 11, 7, 10, 0)) // Monday 7 Dec, closedOn
  t.same(closedOn.value, 'closed')
  const holiday = new Harness(compileOk(HOURS), {}, Date.UTC(2027, 2, 29, 10, 0)) // Easter Monday 2027
  t.same(holiday.value, 'closed')
})

const LANG = `
flow: t
language: it
languages: [it, en]
start: lang
defaults: { timeoutSec: 4, retries: 1, timeoutPrompts: [noinput] }
nodes:
  lang: { type: language, prompts: [lang], options: { '1': it, '2': en }, next: main }
  main: { type: menu, prompts: [menu], options: { '1': q } }
  q: { type: queue, section: s }
`

t.test('language: the choice changes the language prompts are played in', async (t) => {
  const h = new Harness(compileOk(LANG))
  t.equal(h.plays[0]!.lang, 'it')
  h.dtmf('2')
  t.equal(h.context.lang, 'en')
  t.same(h.lastItems(), ['menu'])
  t.equal(h.plays[1]!.lang, 'en')
  h.dtmf('1')
  t.equal(h.output?.lang, 'en')
  t.equal(h.output?.trail[0]?.outcome, 'lang:en')
})

t.test('language: no choice after the retries keeps the default language', async (t) => {
  const h = new Harness(compileOk(LANG), { lang: 'en' })
  t.equal(h.plays[0]!.lang, 'en', 'the caller language from input')
  h.finishPlay()
  h.clock.advance(4000)
  t.same(h.lastItems(), ['noinput'])
  h.finishPlay()
  h.finishPlay()
  h.clock.advance(4000)
  t.same(h.value, { main: 'prompt' })
  t.equal(h.context.lang, 'it', 'back to the flow default')
  t.equal(h.plays[h.plays.length - 1]!.lang, 'it')
})

t.test('language: the operator digit works there too, and an unknown input language is ignored', async (t) => {
  const h = new Harness(compileOk(LANG), { lang: 'de' })
  t.equal(h.context.lang, 'it')
  h.dtmf('0')
  t.same(h.output?.outcome, { kind: 'operator', node: '$operator' })
})

t.test('final nodes: transfer, queue with skills, hangup without prompts, input vars', async (t) => {
  const flow = compileOk(`
flow: t
start: main
nodes:
  main: { type: menu, prompts: [menu], options: { '1': out, '2': q, '3': bye } }
  out: { type: transfer, number: '0612345678' }
  q: { type: queue, section: s, priority: 2, skills: [pensions] }
  bye: { type: hangup }
`)
  const a = new Harness(flow, { callerNumber: '3331234567', vars: { 'contact.name': 'Rossi' } })
  a.dtmf('1')
  t.same(a.output?.outcome, { kind: 'transfer', node: 'out', number: '0612345678' })
  t.same(a.output?.vars, { 'contact.name': 'Rossi', 'call.id': 'call-1', 'caller.number': '3331234567' })
  const b = new Harness(flow)
  b.dtmf('2')
  t.same(b.output?.outcome, { kind: 'queue', node: 'q', section: 's', priority: 2, skills: ['pensions'] })
  const c = new Harness(flow)
  c.dtmf('3')
  t.equal(c.status, 'done')
  t.same(c.output?.outcome, { kind: 'hangup', node: 'bye' })
})

t.test('node ids with dots work as targets and in result variables', async (t) => {
  const h = new Harness(
    compileOk(`
flow: t
start: pensions.menu
nodes:
  pensions.menu: { type: menu, prompts: [menu], options: { '1': pensions.dates } }
  pensions.dates:
    type: service
    action: a
    success: { prompts: [{ number: '\${pensions.dates.day}' }], next: pensions.menu }
    failure: { next: pensions.menu }
`),
  )
  h.dtmf('1')
  h.calls[0]!.resolve({ day: '9' })
  await flush()
  t.same(h.lastItems(), ['number:9'])
  h.finishPlay()
  t.same(h.nodes(), ['pensions.menu', 'pensions.dates', 'pensions.menu'])
})

t.test('the default actors: prompts complete at once, the back office fails', async (t) => {
  const { createActor } = await import('xstate')
  const { createFlowMachine } = await import('../../src/ivr/machine.js')
  const { SimClock } = await import('../../src/domain/clock.js')
  const flow = compileOk(SERVICE)
  const actor = createActor(createFlowMachine(flow, { clock: new SimClock() }), { input: { callId: 'x' } })
  actor.start()
  for (const d of '1234') actor.send({ type: 'DTMF', digit: d })
  await flush()
  t.equal(actor.getSnapshot().status, 'done')
  t.same(actor.getSnapshot().output?.outcome, { kind: 'operator', node: 'op' }, 'failure branch')
})
