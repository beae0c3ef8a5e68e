import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compileFlow } from '../../src/ivr/compile.js'
import { readCatalogue } from '../../src/ivr/catalogue.js'
import { flowPaths, formatPaths } from '../../src/ivr/paths.js'
import type { CompiledFlow } from '../../src/ivr/types.js'
import { flush, Harness } from './helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const file = `${root}config/flows/national.yaml`
const r = compileFlow({ file, text: readFileSync(file, 'utf8') }, { catalogue: readCatalogue(`${root}prompts/catalogue.yaml`).catalogue })
if (!r.ok) throw new Error('national.yaml does not compile')
const national: CompiledFlow = r.flow

const MONDAY_10 = Date.UTC(2026, 10, 23, 9, 0)

t.test('payment dates self-service, in English, back to the main menu and on to a section', async (t) => {
  const h = new Harness(national, { callerNumber: '3331234567' }, MONDAY_10)
  t.same(h.lastItems(), ['welcome'])
  h.finishPlay()
  t.same(h.lastItems(), ['choose_language'], 'open on Monday 10:00')
  h.dtmf('2')
  t.same(h.lastItems(), ['main_menu'])
  t.equal(h.playing?.lang, 'en')
  h.dtmf('1')
  t.same(h.lastItems(), ['pensions_menu'])
  h.dtmf('1')
  t.same(h.lastItems(), ['enter_request_number'])
  h.dtmf('12345678')
  t.same(h.calls[0]?.input, { action: 'payment-dates', params: { request: '12345678', caller: '3331234567' } })
  t.same(h.lastItems(), ['please_wait'])
  h.calls[0]!.resolve({ day: '16', month: '12', amount: '1234' })
  await flush()
  t.same(h.lastItems(), ['next_payment_day', 'number:16', 'next_payment_month', 'number:12', 'next_payment_amount', 'number:1234'])
  t.equal(h.playing?.lang, 'en')
  h.finishPlay()
  t.same(h.lastItems(), ['after_service_menu'])
  h.dtmf('1')
  h.dtmf('3')
  t.same(h.output?.outcome, { kind: 'queue', node: 'contributions', section: 'contributions', priority: 0 })
  t.equal(h.output?.lang, 'en')
  t.equal(h.output?.vars.request_number, '12345678', 'what the caller gave, for the agent')
  t.same(h.nodes(), ['welcome', 'office_hours', 'choose_language', 'main', 'pensions', 'pensions.request_number', 'pensions.payments', 'pensions.after', 'main', 'contributions'])
})

t.test('closed on Sunday: the closed message, then hang up', async (t) => {
  const h = new Harness(national, {}, Date.UTC(2026, 10, 22, 10, 0))
  h.finishPlay()
  t.same(h.lastItems(), ['closed_hours'])
  h.finishPlay()
  t.same(h.output?.outcome, { kind: 'hangup', node: 'closed' })
})

t.test('a caller who types ahead during the welcome skips straight on', async (t) => {
  const h = new Harness(national, {}, MONDAY_10)
  h.dtmf('1')
  t.same(h.lastItems(), ['main_menu'], 'language 1 chosen by the early digit')
  h.dtmf('2')
  t.same(h.output?.outcome, { kind: 'queue', node: 'income_support', section: 'income_support', priority: 0 })
})

t.test('certificate self-service; a back-office failure goes to an operator', async (t) => {
  const ok = new Harness(national, {}, MONDAY_10)
  ok.dtmf('14')
  ok.dtmf('123456#')
  t.same(ok.calls[0]?.input, { action: 'certificate-send', params: { request: '123456' } })
  ok.calls[0]!.resolve({})
  await flush()
  t.same(ok.lastItems(), ['certificate_sent', 'goodbye'])
  ok.finishPlay()
  t.same(ok.output?.outcome, { kind: 'hangup', node: 'done' })

  const ko = new Harness(national, {}, MONDAY_10)
  ko.dtmf('14')
  ko.dtmf('123456#')
  ko.calls[0]!.reject(new Error('down'))
  await flush()
  t.same(ko.lastItems(), ['service_unavailable'])
  ko.finishPlay()
  t.same(ko.output?.outcome, { kind: 'operator', node: 'operator' })
})

t.test('silence in the main menu ends with an operator', async (t) => {
  const h = new Harness(national, {}, MONDAY_10)
  h.dtmf('1')
  h.finishPlay()
  h.clock.advance(6000)
  for (let i = 0; i < 2; i++) {
    t.same(h.lastItems(), ['no_input'])
    h.finishPlay()
    t.same(h.lastItems(), ['main_menu'])
    h.finishPlay()
    h.clock.advance(6000)
  }
  t.same(h.output?.outcome, { kind: 'operator', node: 'operator' })
})

t.test('the paths report of the example flow', async (t) => {
  const lines = formatPaths(flowPaths(national))
  const find = (re: RegExp) => lines.find((l) => re.test(l))
  t.ok(find(/^\(no keys\) -> welcome -> office_hours \(closed\) -> closed: hangup$/), 'closed branch')
  t.ok(find(/^0 -> welcome -> office_hours \(open\) -> choose_language \(0 operator\) -> operator: operator$/), 'operator from the language choice')
  t.ok(
    find(/^<lang> 1 1 <8 digits> 2 -> .* -> pensions\.request_number \(collect request_number\) -> pensions\.payments \(service payment-dates: success\) -> pensions\.after \(2\) -> goodbye: hangup$/),
    'payment dates, then hang up',
  )
  t.ok(find(/pensions\.payments \(service payment-dates: failure\) -> pensions\.queue: queue pensions$/), 'service failure')
  t.ok(find(/^<lang> 9 -> .*main \(9\) -> \(back to main\)$/), 'repeat cut with a marker')
  t.ok(find(/^<lang> \(no input\) -> .*main \(no valid input after 2 retries\) -> operator: operator$/), 'timeout/invalid fallback')
  t.ok(find(/choose_language \(1 it \| 2 en \| else it\)/), 'language choices')
  t.ok(lines.every((l) => !l.includes('$')), 'no built-in nodes in this flow')
})
