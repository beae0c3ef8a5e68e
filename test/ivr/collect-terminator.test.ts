/**
 * A collect node that fills up (maxDigits) ends at once; the caller, told to finish with the
 * terminator, still presses it a moment later. On a real Asterisk that key arrived while the
 * back office's answer was playing, cut it short and fell into the next menu as an invalid
 * choice (found by the live suite, test/live). The trailing terminator is swallowed once.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compileFlow } from '../../src/ivr/compile.js'
import { readCatalogue } from '../../src/ivr/catalogue.js'
import type { CompiledFlow } from '../../src/ivr/types.js'
import { compileOk, flush, Harness } from './helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const file = `${root}config/flows/national.yaml`
const r = compileFlow({ file, text: readFileSync(file, 'utf8') }, { catalogue: readCatalogue(`${root}prompts/catalogue.yaml`).catalogue })
if (!r.ok) throw new Error('national.yaml does not compile')
const national: CompiledFlow = r.flow
const MONDAY_10 = Date.UTC(2026, 10, 23, 9, 0)

async function toAnswer(): Promise<Harness> {
  const h = new Harness(national, { callerNumber: '3331234567' }, MONDAY_10)
  h.finishPlay()
  h.dtmf('1')
  h.dtmf('1')
  h.dtmf('1')
  t.same(h.lastItems(), ['enter_request_number'])
  h.dtmf('12345678')
  h.calls[0]!.resolve({ day: '16', month: '12', amount: '1234' })
  await flush()
  return h
}

t.test('the # after a full request number does not cut the answer short', async (t) => {
  const h = await toAnswer()
  t.same(h.lastItems(), ['next_payment_day', 'number:16', 'next_payment_month', 'number:12', 'next_payment_amount', 'number:1234'])
  h.dtmf('#')
  t.ok(h.playing, 'the answer still plays')
  t.same(h.lastItems().slice(0, 1), ['next_payment_day'])
  h.finishPlay()
  t.same(h.lastItems(), ['after_service_menu'], 'no invalid-option prompt')
  h.dtmf('2')
  h.finishPlay()
  t.same(h.output?.outcome, { kind: 'hangup', node: 'goodbye' })
})

t.test('only one key is swallowed: the next one barges in as before', async (t) => {
  const h = await toAnswer()
  h.dtmf('#')
  h.dtmf('1')
  t.same(h.lastItems(), ['main_menu'], 'the 1 skipped the answer and went back to the main menu')
})

t.test('another key first ends the wait for the terminator', async (t) => {
  const h = await toAnswer()
  h.dtmf('2')
  t.same(h.lastItems(), ['goodbye'], '2 barged into the after-service menu')
  t.equal(h.context.skipDigit, undefined)
})

t.test('the # pressed during the back-office call is dropped, and a later # is a key again', async (t) => {
  const h = new Harness(national, { callerNumber: '3331234567' }, MONDAY_10)
  h.finishPlay()
  h.dtmf('111')
  h.dtmf('12345678#')
  t.same(h.lastItems(), ['please_wait'])
  t.equal(h.context.skipDigit, undefined, 'the # during the call ended the wait')
  h.calls[0]!.resolve({ day: '16', month: '12', amount: '1234' })
  await flush()
  h.dtmf('#')
  t.same(h.lastItems(), ['invalid_option'], 'a # now is an ordinary (invalid) key')
})

t.test('a number ended by the terminator, or a collect without one, swallows nothing', async (t) => {
  const flow = compileOk(`
flow: f
start: pin
nodes:
  pin: { type: collect, prompts: [enter], var: pin, minDigits: 2, maxDigits: 4, next: menu }
  menu: { type: menu, prompts: [menu], options: { '1': done }, invalidPrompts: [invalid] }
  done: { type: hangup }
`)
  const h = new Harness(flow)
  h.dtmf('12#')
  t.same(h.lastItems(), ['menu'])
  t.equal(h.context.skipDigit, undefined)
  h.dtmf('#')
  t.same(h.lastItems(), ['invalid'])

  const noTerm = compileOk(`
flow: f
start: pin
nodes:
  pin: { type: collect, prompts: [enter], var: pin, minDigits: 4, maxDigits: 4, terminator: false, next: menu }
  menu: { type: menu, prompts: [menu], options: { '1': done }, invalidPrompts: [invalid] }
  done: { type: hangup }
`)
  const n = new Harness(noTerm)
  n.dtmf('1234')
  t.equal(n.context.skipDigit, undefined)
  n.dtmf('#')
  t.same(n.lastItems(), ['invalid'])
})
