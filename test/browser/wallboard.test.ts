/**
 * The wallboard in a real browser: callers waiting in a section with its agents paused show up
 * on the page without a reload, and go once agents are ready again; the charts are drawn; after
 * a reload today's figures (from the statistics) count the callers offered and answered; an
 * operator sees the live figures and today's statistics too.
 */
import t from 'tap'
import type { Locator } from 'playwright-core'
import { heard } from '../integration/harness.js'
import { waitUntil } from '../helpers/async.js'
import { noBrowser, startBrowserHarness } from './harness.js'

/** Waits until the element's text is `want` (the page updates from the live stream). */
async function text(l: Locator, want: string, what: string): Promise<string> {
  let got: string | null = null
  await waitUntil(async () => (got = await l.textContent()) === want, 30_000, `${what} = ${want} (last seen ${String(got)})`)
  return want
}

// Every agent: members of contributions and those skilled for it, and the operators it overflows to.
const AGENTS = ['op101', 'op102', 'op103', 'op201', 'op202', 'op301', 'op302', 'op401']

t.test('callers waiting appear live, go when agents are ready, and count in today’s figures', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())
  const sim = b.h.engine.sim!

  // One call answered and over before the page opens: today's figures start from it.
  const first = sim.placeCall({ from: '+393332220000', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '1' }, heard('pensions_menu'), { dtmf: '2' }] })
  await b.h.waitEvent(first.channelId, 'queue.connected')
  first.hangup()
  await b.h.waitEvent(first.channelId, 'call.ended')

  for (const id of AGENTS) t.equal((await b.api('supervisor', 'POST', `/api/agents/${id}/pause`, { reason: 'meeting' })).status, 200, `${id} paused`)

  const { page, errors } = await b.open('/wallboard', 'supervisor')
  await text(page.getByTestId('conn'), 'live', 'connection')
  const waiting = page.getByTestId('waiting-contributions')
  t.equal(await text(waiting, '0', 'waiting before the calls'), '0', 'nobody waits at first')
  t.equal(await text(page.getByTestId('agents-paused'), '8', 'paused agents'), '8', 'the agents by state: all paused')
  t.equal(await page.getByTestId('agents-ready').textContent(), '0')
  t.equal(await text(page.getByTestId('offered-pensions'), '1', 'pensions offered today'), '1', 'today: the earlier call offered in pensions')
  t.equal(await page.getByTestId('answered-pensions').textContent(), '1', 'and answered')
  t.equal(await page.getByTestId('offered-contributions').textContent(), '0', 'nothing offered in contributions yet')

  const calls = [1, 2, 3].map((i) => sim.placeCall({ from: `+39333222000${i}`, to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '3' }] }))
  for (const c of calls) await b.h.waitEvent(c.channelId, 'queue.entered', (e) => e.section === 'contributions')

  t.equal(await text(waiting, '3', 'waiting with three callers queued'), '3', 'the waiting count rose without a reload')
  t.equal(await text(page.getByTestId('calls-queue'), '3', 'calls queued'), '3', 'calls by phase: three queued')
  t.not(await page.getByTestId('longest-contributions').textContent(), '–', 'the longest wait is shown')
  t.equal(await page.getByTestId('ewt-contributions').textContent(), '–', 'no estimated wait while no agent of the section is working')
  t.equal(await page.getByTestId('waiting-pensions').textContent(), '0', 'other sections unaffected')
  t.equal(await page.getByTestId('waiting-all').textContent(), '3', 'the total row')
  // 20 s (the default target answer time) pass in 2 s at the harness's tenfold clock
  await waitUntil(async () => ((await page.getByTestId('longest-contributions').getAttribute('class')) ?? '').includes('bad'), 30_000, 'the longest wait over target')
  t.match(await page.getByTestId('longest-contributions').textContent(), /^0:(2\d|[3-5]\d)$|^[1-9]\d*:\d\d$/, 'the longest wait over 20 s is shown in red')
  t.notMatch(await page.getByTestId('longest-pensions').getAttribute('class'), /bad/, 'not where nobody waits')
  t.match(await page.getByTestId('updated').textContent(), /^\d\d:\d\d:\d\d$/, 'the time of the last update')

  await waitUntil(async () => (await page.getByTestId('chart-waiting').locator('path[data-series="waiting"]').count()) === 1, 30_000, 'the waiting line')
  const offeredBars = page.getByTestId('chart-hour').locator('svg rect[data-series="offered"]')
  t.ok((await offeredBars.count()) >= 12, 'the last hour in 5-minute bars')
  const heights = await offeredBars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))))
  t.equal(heights.filter((x) => x > 0).length, 1, 'one bar for the call offered earlier')
  await b.shot(page, 'wallboard')

  for (const id of ['op202', 'op302', 'op401']) t.equal((await b.api('supervisor', 'POST', `/api/agents/${id}/ready`)).status, 200, `${id} ready`)
  t.equal(await text(waiting, '0', 'waiting after agents are ready'), '0', 'the waiting count fell back without a reload')
  for (const c of calls) await b.h.waitEvent(c.channelId, 'queue.connected')
  t.equal(await text(page.getByTestId('calls-connected'), '3', 'calls connected'), '3', 'calls by phase: three connected')
  t.equal(await text(page.getByTestId('agents-on_call'), '3', 'busy agents'), '3', 'agents by state: three busy')
  let ewt: string | null = null
  await waitUntil(async () => (ewt = await page.getByTestId('ewt-contributions').textContent()) !== '–', 30_000, 'an estimated wait')
  t.match(ewt, /^\d+:\d\d$/, 'an estimated wait for a caller joining now, once agents of the section are working')

  await page.reload()
  t.equal(await text(page.getByTestId('offered-contributions'), '3', 'offered today after the reload'), '3', 'today: three offered')
  t.equal(await page.getByTestId('answered-contributions').textContent(), '3', 'today: three answered')
  t.equal(await page.getByTestId('abandoned-contributions').textContent(), '0', 'today: none abandoned')
  t.match(await page.getByTestId('sl-contributions').textContent(), /^\d+\.\d%$/, 'a service level for today')
  t.equal(await page.getByTestId('offered-all').textContent(), '4', 'the total row counts every section')
  t.same(
    errors.filter((e) => !e.startsWith('Failed to load resource')),
    [],
    'no script errors',
  )

  // An operator's wall screen shows the same: the live figures and today's statistics.
  const op = await b.open('/wallboard', 'op201')
  t.equal(await text(op.page.getByTestId('waiting-contributions'), '0', 'an operator’s waiting count'), '0', 'an operator sees the live figures')
  t.equal(await text(op.page.getByTestId('agents-on_call'), '3', 'an operator’s busy count'), '3')
  t.equal(await text(op.page.getByTestId('offered-contributions'), '3', 'an operator’s offered count'), '3', 'and today’s statistics')
  t.same(op.errors, [], 'no script errors for the operator')
})
