import t, { type Test } from 'tap'
import { compileErrors, compileOk } from './helpers.js'
import type { ConfigError } from '../../src/config/errors.js'

const brief = (es: ConfigError[]) => es.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`)
/** Column of the first occurrence of token on a line of text (1-based), so expectations read like the file. */
const col = (text: string, line: number, token: string) => {
  const c = text.split('\n')[line - 1]!.indexOf(token)
  if (c < 0) throw new Error(`token ${token} not on line ${line}`)
  return c + 1
}
const has = (t: Test, es: ConfigError[], line: number, column: number, path: string, re: RegExp) => {
  const hit = es.find((e) => e.line === line && e.column === column && e.path === path && re.test(e.message))
  t.ok(hit, `${line}:${column} ${path} ${re}\n  got:\n  ${brief(es).join('\n  ')}`)
}

/** Compiles text and returns a checker of "error at the first `token` on `line`". */
function check(t: Test, text: string, opts: Parameters<typeof compileErrors>[1] = {}) {
  const r = compileErrors(text, opts)
  return {
    ...r,
    at: (line: number, token: string, path: string, re: RegExp) => has(t, r.errors, line, col(text, line, token), path, re),
  }
}

t.test('schema errors: all of them, each at its line and column, sorted', async (t) => {
  const c = check(
    t,
    `flow: t
start: main
languages: it
nodes:
  main:
    type: menu
    prompts: menu
    options: { '1': q }
    timeoutsec: 5
  q:
    type: queue
  x:
    type: menuu
  y:
    prompts: [menu]
`,
  )
  c.at(3, 'it', 'languages', /expected a list/)
  c.at(7, 'menu', 'nodes.main.prompts', /expected a list/)
  c.at(9, 'timeoutsec', 'nodes.main.timeoutsec', /unknown property 'timeoutsec' \(did you mean 'timeoutSec'\?\)/)
  c.at(11, 'type', 'nodes.q.section', /missing required property 'section'/)
  c.at(13, 'menuu', 'nodes.x.type', /unknown node type 'menuu' \(did you mean 'menu'\?\)/)
  c.at(15, 'prompts', 'nodes.y', /missing required property 'type'/)
  t.equal(c.errors.length, 6, brief(c.errors).join('\n'))
  const lines = c.errors.map((e) => e.line)
  t.same(lines, [...lines].sort((a, b) => a - b), 'sorted by position')
})

t.test('YAML syntax errors and duplicate keys are reported with positions', async (t) => {
  const dup = compileErrors('flow: t\nstart: a\nnodes:\n  a: { type: operator }\n  a: { type: operator }\n')
  has(t, dup.errors, 5, 3, '', /unique/)
  const bad = compileErrors('flow: t\nnodes: [\n')
  t.ok(bad.errors.length > 0)
  t.ok(bad.errors.every((e) => e.line >= 1 && e.file === 'test.yaml'))
})

t.test('unknown targets, a missing start, the operator target', async (t) => {
  const c = check(
    t,
    `flow: t
start: mian
operator: { target: main }
nodes:
  main:
    type: menu
    prompts: [menu]
    options: { '1': quue, '2': q }
    fallback: nowhere
  q: { type: queue, section: s }
`,
  )
  c.at(2, 'mian', 'start', /unknown start node 'mian' \(did you mean 'main'\?\)/)
  c.at(3, 'main', 'operator.target', /must be an operator or queue node, not menu/)
  c.at(8, 'quue', 'nodes.main.options.1', /unknown node 'quue'/)
  c.at(9, 'nowhere', 'nodes.main.fallback', /unknown node 'nowhere'/)
  const m = check(t, `flow: t\nstart: q\noperator: { target: op }\nnodes:\n  q: { type: queue, section: s }\n`)
  m.at(3, 'op }', 'operator.target', /unknown operator target 'op'/)
})

t.test('the operator digit cannot also be an option, unless the node disables it', async (t) => {
  const c = check(
    t,
    `flow: t
start: main
nodes:
  main: { type: menu, prompts: [menu], options: { '0': q, '1': sub } }
  sub: { type: menu, prompts: [menu], options: { '0': q }, operator: false }
  lang: { type: language, prompts: [lang], options: { '0': it }, next: main }
  q: { type: queue, section: s }
`,
  )
  c.at(4, "'0'", 'nodes.main.options.0', /operator digit/)
  c.at(6, "'0'", 'nodes.lang.options.0', /operator digit/)
  t.equal(c.errors.length, 2, brief(c.errors).join('\n'))
})

t.test('digits: 0-9, * and #; unquoted numbers are accepted', async (t) => {
  const c = check(
    t,
    `flow: t
start: main
operator: { digit: 9 }
nodes:
  main:
    type: menu
    prompts: [menu]
    options:
      1: q
      12: q
      a: q
      '#': q
  q: { type: queue, section: s }
`,
  )
  c.at(10, '12', 'nodes.main.options.12', /invalid digit '12'/)
  c.at(11, 'a', 'nodes.main.options.a', /invalid digit 'a'/)
  t.equal(c.errors.length, 2, brief(c.errors).join('\n'))
  const f = compileOk(`flow: t\nstart: main\noperator: { digit: 9 }\nnodes:\n  main: { type: menu, prompts: [menu], options: { 1: q } }\n  q: { type: queue, section: s }\n`)
  t.same(f.operator, { digit: '9', target: '$operator' })
})

t.test('prompts must be in the catalogue in every language of the flow', async (t) => {
  const catalogue = { prompts: { menu: { it: 'm' }, welcome: { it: 'b', en: 'w' } } }
  const c = check(
    t,
    `flow: t
languages: [it, en]
start: main
defaults: { invalidPrompts: [invalidd] }
nodes:
  main: { type: menu, prompts: [welcome, menu, nope], options: { '1': q } }
  q: { type: queue, section: s }
`,
    { catalogue },
  )
  c.at(4, 'invalidd', 'defaults.invalidPrompts.0', /prompt 'invalidd' is not in the catalogue/)
  c.at(6, 'menu, nope', 'nodes.main.prompts.1', /prompt 'menu' has no 'en' text/)
  c.at(6, 'nope', 'nodes.main.prompts.2', /prompt 'nope' is not in the catalogue/)
  t.equal(c.errors.length, 3, brief(c.errors).join('\n'))
  const noOperator = compileErrors(`flow: t\noperator: false\nstart: main\nnodes:\n  main: { type: menu, prompts: [welcome], options: { '1': q } }\n  q: { type: queue, section: s }\n`, { catalogue })
  has(t, noOperator.errors, 1, 1, '', /prompt 'goodbye' is not in the catalogue.*built-in hangup/)
})

t.test('sections and service actions are checked when given', async (t) => {
  const text = `flow: t
start: svc
nodes:
  svc:
    type: service
    action: payment-date
    success: { next: q }
    failure: { next: q }
  q: { type: queue, section: pension }
`
  t.same(compileErrors(text).errors, [], 'not checked without sections and engine')
  const c = check(t, text, {
    sections: { sections: [{ id: 'pensions' }, { id: 'operators' }] },
    engine: { backOffice: { actions: { 'payment-dates': {} } } },
  })
  c.at(6, 'payment-date', 'nodes.svc.action', /unknown back-office action 'payment-date' \(did you mean 'payment-dates'\?\)/)
  c.at(9, 'pension', 'nodes.q.section', /unknown section 'pension' \(did you mean 'pensions'\?\)/)
})

t.test('variables must be set somewhere, and on a path reaching their use', async (t) => {
  const c = check(
    t,
    `flow: t
start: main
nodes:
  main:
    type: menu
    prompts: [menu, { number: '\${svc.amount}' }]
    options: { '1': pin, '2': read }
  pin: { type: collect, prompts: [enter], var: pin, maxDigits: 4, next: svc }
  svc:
    type: service
    action: a
    params: { pin: '\${pin}', other: '\${nothing}' }
    success: { prompts: [{ digits: '\${svc.code}' }], next: read }
    failure: { prompts: [{ digits: '\${svc.code}' }], next: main }
  read: { type: hangup, prompts: [{ digits: '\${pin}' }] }
`,
  )
  c.at(6, "'${svc", 'nodes.main.prompts.1.number', /'svc.amount' is not set on any path reaching node 'main'/)
  c.at(12, "'${nothing", 'nodes.svc.params.other', /'nothing' is never set/)
  c.at(14, "'${svc", 'nodes.svc.failure.prompts.0.digits', /'svc.code' is not set on any path reaching node 'svc'/)
  t.equal(c.errors.length, 3, `read may be reached after pin is set; success prompts see the results\n${brief(c.errors).join('\n')}`)
})

t.test('built-in variables need no setting', async (t) => {
  compileOk(`flow: t
start: svc
nodes:
  svc:
    type: service
    action: a
    params: { caller: '\${caller.number}', call: '\${call.id}', name: '\${contact.name}' }
    success: { next: bye }
    failure: { next: bye }
  bye: { type: hangup }
`)
  t.pass()
})

t.test('a cycle with no input node is an error; a loop through a menu is fine', async (t) => {
  const { errors } = compileErrors(`flow: t
start: a
nodes:
  a: { type: play, prompts: [intro], next: b }
  b: { type: play, prompts: [notice], next: a }
  self: { type: play, prompts: [intro], next: self }
`)
  has(t, errors, 4, 3, 'nodes.a', /cycle with no input node: a -> b -> a/)
  has(t, errors, 6, 3, 'nodes.self', /cycle with no input node: self -> self/)
  compileOk(`flow: t
start: a
nodes:
  a: { type: play, prompts: [intro], next: m }
  m: { type: menu, prompts: [menu], options: { '1': a } }
`)
})

t.test('unreachable nodes are warnings, not errors', async (t) => {
  const { errors, warnings } = compileErrors(`flow: t
start: q
nodes:
  q: { type: queue, section: s }
  lost: { type: hangup }
`)
  t.same(errors, [])
  t.equal(warnings.length, 1)
  t.match(warnings[0], { line: 5, column: 3, path: 'nodes.lost', severity: 'warning', message: /unreachable/ })
})

t.test('node details: languages, digits counts, terminator, hours, transfer numbers, file name', async (t) => {
  const c = check(
    t,
    `flow: t
language: fr
languages: [it, en]
start: lang
nodes:
  lang: { type: language, prompts: [lang], options: { '1': it, '2': de }, next: pin }
  pin: { type: collect, prompts: [enter], var: pin, minDigits: 6, maxDigits: 4, terminator: '5', next: h }
  h:
    type: hours
    schedule: { sun: ['8-12'] }
    open: out
    closed: out
  out: { type: transfer, number: 612345678 }
`,
    { expectedId: 'other' },
  )
  c.at(1, 't', 'flow', /does not match its file name 'other'/)
  c.at(2, 'fr', 'language', /'fr' is not in languages/)
  c.at(6, 'de', 'nodes.lang.options.2', /language 'de' is not one of the flow's languages/)
  c.at(7, '6,', 'nodes.pin.minDigits', /greater than maxDigits/)
  c.at(7, "'5'", 'nodes.pin.terminator', /'#' or '\*'/)
  c.at(10, "'8-12'", 'nodes.h.schedule.sun.0', /time range such as '08:00-18:00'/)
  c.at(13, '612345678', 'nodes.out.number', /quoted string/)
  t.equal(c.errors.length, 7, brief(c.errors).join('\n'))
  const n = check(
    t,
    `flow: t
start: h
nodes:
  h:
    type: hours
    schedule: { mon: ['18:00-08:00'] }
    closedOn: ['2026-02-30']
    timezone: Mars/Olympus
    open: q
    closed: q
  q: { type: queue, section: s }
`,
  )
  n.at(6, "'18:00", 'nodes.h.schedule.mon.0', /must end after it starts/)
  n.at(7, "'2026", 'nodes.h.closedOn.0', /not a calendar date/)
  n.at(8, 'Mars', 'nodes.h.timezone', /unknown time zone/)
})

t.test('a document that is not a flow', async (t) => {
  const { errors } = compileErrors('- just\n- a list\n')
  t.equal(errors.length, 1)
  t.match(errors[0], { line: 1, column: 1, message: /must be a mapping/ })
  const empty = compileErrors('')
  t.equal(empty.errors.length, 1)
})

t.test('a compiled flow: version is a content hash, defaults applied', async (t) => {
  const text = `flow: t
start: main
defaults: { timeoutSec: 7, retries: 1, invalidPrompts: [invalid] }
nodes:
  main: { type: menu, prompts: [menu], options: { '1': q }, retries: 3 }
  q: { type: queue, section: s }
`
  const a = compileOk(text)
  const b = compileOk(text)
  const c = compileOk(text + '\n# changed\n')
  t.equal(a.version, b.version)
  t.not(a.version, c.version)
  t.match(a.version, /^[0-9a-f]{12}$/)
  t.match(a.nodes.main, { timeoutSec: 7, retries: 3, invalidPrompts: ['invalid'], timeoutPrompts: [], fallback: '$operator', operator: true })
  t.same(a.languages, ['it'])
  t.equal(a.language, 'it')
})
