import t from 'tap'
import { flowPaths, formatPaths } from '../../src/ivr/paths.js'
import { compileOk } from './helpers.js'

t.test('every key path, with fallbacks, branches, loops and built-in nodes', async (t) => {
  const flow = compileOk(`
flow: t
operator: false
start: hours
defaults: { retries: 1 }
nodes:
  hours: { type: hours, schedule: { mon: ['08:00-18:00'] }, open: main, closed: bye }
  main:
    type: menu
    prompts: [menu]
    options: { '1': pin, '2': out, '9': main }
  pin: { type: collect, prompts: [enter], var: pin, minDigits: 4, maxDigits: 6, next: svc, fallback: main }
  svc:
    type: service
    action: check
    success: { next: q }
    failure: { next: bye }
  q: { type: queue, section: pensions, priority: 2 }
  out: { type: transfer, number: '0612345678' }
  bye: { type: hangup, prompts: [goodbye] }
`)
  t.same(formatPaths(flowPaths(flow)), [
    '1 <4-6 digits> -> hours (open) -> main (1) -> pin (collect pin) -> svc (service check: success) -> q: queue pensions (priority 2)',
    '1 <4-6 digits> -> hours (open) -> main (1) -> pin (collect pin) -> svc (service check: failure) -> bye: hangup',
    '1 (no input) -> hours (open) -> main (1) -> pin (no valid input after 1 retries) -> (back to main)',
    '2 -> hours (open) -> main (2) -> out: transfer 0612345678',
    '9 -> hours (open) -> main (9) -> (back to main)',
    '(no input) -> hours (open) -> main (no valid input after 1 retries) -> $hangup: hangup',
    '(no keys) -> hours (closed) -> bye: hangup',
  ])
  const p = flowPaths(flow)[0]!
  t.same(p.keys, ['1', '<4-6 digits>'])
  t.equal(p.endNode, 'q')
})

t.test('the listing is cut after maxPaths, and says so', async (t) => {
  const flow = compileOk(`
flow: t
start: a
nodes:
  a: { type: menu, prompts: [menu], options: { '1': b, '2': b, '3': b } }
  b: { type: menu, prompts: [menu], options: { '1': c, '2': c, '3': c } }
  c: { type: menu, prompts: [menu], options: { '1': q, '2': q, '3': q } }
  q: { type: queue, section: s }
`)
  const all = flowPaths(flow)
  t.equal(all.length, 2 + 3 * (2 + 3 * (2 + 3)), 'at each level three options go deeper, the operator digit and the fallback end')
  const cut = flowPaths(flow, 10)
  t.equal(cut.length, 10)
  const lines = formatPaths(cut, 10)
  t.equal(lines.length, 11)
  t.match(lines[10], /cut at 10 paths/)
})
