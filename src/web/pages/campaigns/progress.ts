/**
 * A campaign's progress panel: channels, dates, contacts, attempts, answered, reached, the
 * outcome breakdown, the abandon rate against its ceiling, and two charts (outcomes by attempt
 * number, attempts and answers by hour). Drawn from GET /api/campaigns/:id/progress; the page
 * redraws it every few seconds while the campaign runs.
 */
import { barChart } from '../../lib/chart.js'
import { h, percent } from '../../lib/dom.js'
import { when, type Campaign, type Counts, type Progress } from './types.js'

/** Outcomes in the order they are shown (src/domain/campaign.ts DialOutcome). */
export const OUTCOMES = ['reached', 'no_answer', 'busy', 'machine', 'abandoned', 'failed', 'invalid'] as const
const LABEL: Record<string, string> = { reached: 'reached', no_answer: 'no answer', busy: 'busy', machine: 'machine', abandoned: 'abandoned', failed: 'failed', invalid: 'invalid' }

const n = (c: Counts | undefined, k: string) => c?.[k] ?? 0
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)

function stat(label: string, value: string | number, testid: string, sub?: string): HTMLElement {
  return h('div', { class: 'figure' }, h('div', { class: 'big', 'data-testid': testid }, value), h('div', { class: 'muted' }, label), sub ? h('div', { class: 'muted small' }, sub) : null)
}

const row = (label: string, value: string | number, testid?: string) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num', 'data-testid': testid }, value))

/** '2026-11-23T10' (the local hour in the campaign's zone) -> '23/11 10:00'. */
export const hourLabel = (bucket: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(bucket)
  return m ? `${m[3]}/${m[2]} ${m[4]}:00` : bucket
}

function abandonBadge(p: Progress): HTMLElement {
  const { rate, ceiling } = p.abandon
  if (rate === null) return h('span', { class: 'badge' }, 'no live answer yet')
  const cls = rate > ceiling ? 'bad' : rate > ceiling * 0.8 ? 'warn' : 'ok'
  return h('span', { class: `badge ${cls}` }, rate > ceiling ? 'over the ceiling' : rate > ceiling * 0.8 ? 'near the ceiling' : 'within the ceiling')
}

function windowText(p: Progress, tz: string | undefined): string {
  const w = p.window
  if (!w) return '–'
  if (w.open) return w.closesAt ? `open until ${when(w.closesAt, tz)}` : 'open'
  return w.nextOpensAt ? `closed; opens ${when(w.nextOpensAt, tz)}` : 'closed; no window within a year'
}

export function progressView(c: Campaign, p: Progress): HTMLElement {
  const tz = c.config.windows.timezone
  const inUse = sum(p.inFlight)
  const engines = Object.keys(p.inFlight).length
  const started = c.history.find((x) => x.status === 'running')?.at
  const lastChange = c.history.at(-1)?.at
  const hours = Object.keys(p.byHour).sort()
  const lastHour = hours.at(-1)
  const o = p.byOutcome
  const attemptNos = Object.keys(p.byAttempt).sort((a, b) => Number(a) - Number(b))
  const shownOutcomes = OUTCOMES.filter((k) => attemptNos.some((a) => n(p.byAttempt[a], k) > 0))
  const answeredOf = (x: Counts | undefined) => n(x, 'reached') + n(x, 'abandoned') + n(x, 'machine')

  const figures = h(
    'div',
    { class: 'figures' },
    stat('lines in use / allowed', `${inUse} / ${c.config.maxChannels}`, 'channels', engines > 1 ? `over ${engines} servers (allowed per server)` : 'allowed per server'),
    stat('contacts', p.contacts.total, 'contacts', `${p.contacts.pending} to call · ${p.contacts.dialing} dialing · ${p.contacts.done} done · ${p.contacts.excluded} excluded`),
    stat('attempts', p.attempts, 'attempts'),
    stat('answered', p.answered, 'answered', `${p.human} by a person · ${p.machine} by a machine`),
    stat('reached', p.reached, 'reached', `${percent(p.reachedRate)} of the contacts · ${p.reachedFirstAttempt} at the first call`),
  )

  const dates = h(
    'table',
    { class: 'kv', 'data-testid': 'dates' },
    h(
      'tbody',
      {},
      row('Calling window', windowText(p, tz), 'window'),
      row('Started', when(started, tz), 'started'),
      row('Last status change', when(lastChange, tz)),
      row('Last attempts (hour)', lastHour ? hourLabel(lastHour) : '–', 'last-activity'),
      row('Figures at', when(p.at, tz)),
    ),
  )

  const feedback = h(
    'table',
    { class: 'kv', 'data-testid': 'feedback' },
    h(
      'tbody',
      {},
      row('Answered', p.answered),
      row('… by a person', p.human),
      row('… by a machine', p.machine),
      row('No answer', n(o, 'no_answer'), 'no_answer'),
      row('Busy', n(o, 'busy'), 'busy'),
      row('Failed', n(o, 'failed') + n(o, 'invalid'), 'failed'),
      row('Abandoned', n(o, 'abandoned'), 'abandoned'),
      row('Put through to an agent', p.putThrough, 'put-through'),
      row('Transfers to operators', p.transfers, 'transfers'),
    ),
  )

  const a = p.abandon
  const abandon = h(
    'div',
    { class: 'abandon', 'data-testid': 'abandon' },
    h('div', { class: 'big', 'data-testid': 'abandon-rate' }, percent(a.rate)),
    h('div', { class: 'muted' }, `abandon rate, ceiling ${percent(a.ceiling)} `, abandonBadge(p)),
    h('meter', { min: 0, max: Math.max(a.ceiling * 1.5, a.rate ?? 0), low: a.ceiling * 0.8, high: a.ceiling, optimum: 0, value: a.rate ?? 0, title: 'abandon rate against the ceiling' }),
    h('div', { class: 'muted small' }, `${a.abandons} abandoned of ${a.answers} live answers over the last ${Math.round(a.windowMs / 3_600_000)} h`),
  )

  const byAttempt =
    attemptNos.length > 0
      ? barChart(
          shownOutcomes.map((k) => LABEL[k] ?? k),
          attemptNos.map((no) => ({ label: `call ${no}`, values: shownOutcomes.map((k) => n(p.byAttempt[no], k)) })),
          { title: 'Outcomes by attempt number', width: Math.max(640, 60 + shownOutcomes.length * 120) },
        )
      : h('p', { class: 'muted' }, 'No attempts yet.')
  const byHour =
    hours.length > 0
      ? barChart(
          ['attempts', 'answered'],
          hours.map((k) => ({ label: hourLabel(k).slice(hours.length > 6 ? 6 : 0), values: [sum(p.byHour[k] ?? {}), answeredOf(p.byHour[k])] })),
          { title: 'Attempts and answers by hour' },
        )
      : h('p', { class: 'muted' }, 'No attempts yet.')

  return h(
    'section',
    { class: 'card campaign-progress', 'data-testid': 'progress' },
    h('h2', {}, 'Progress'),
    figures,
    h('div', { class: 'grid' }, h('div', {}, h('h3', {}, 'Dates'), dates), h('div', {}, h('h3', {}, 'Feedback'), feedback), h('div', {}, h('h3', {}, 'Abandoned calls'), abandon)),
    h('div', { class: 'grid' }, h('div', { 'data-testid': 'chart-attempts' }, byAttempt), h('div', { 'data-testid': 'chart-hours' }, byHour)),
  )
}
