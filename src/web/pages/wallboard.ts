/**
 * The wallboard: a big-screen view of the switchboard for everyone logged in.
 *
 * - Per section: callers waiting now, the longest wait now, the wait a caller joining now would
 *   be told (all from the live picture, GET /api/live), and today's offered / answered /
 *   abandoned and service level (GET /api/stats?interval=all from local midnight, every 30 s).
 * - Agents by state and calls by phase (live picture).
 * - The last hour: per 5-minute interval offered / answered / abandoned (GET /api/stats
 *   interval=5m), and the callers waiting, sampled from the live picture since the page opened
 *   (in memory, one hour at most).
 * - The connection (live / reconnecting) and the time of the last update.
 *
 * Times for the statistics are the engine's: its clock may differ from the browser's (a demo
 * engine runs a faster clock), so the page learns the engine's "now" from the `to` of a stats
 * answer and asks for today and the last hour in that time.
 *
 * Colours: a longest wait or an estimated wait over the section's target answer time, and a
 * service level under the section's target percentage, are shown in red (only when the target
 * is known: the statistics give the target time; the target percentage comes from GET
 * /api/sections when that route answers). Every role reads the statistics (per section, no
 * personal data); if they are refused, the page shows the live figures only.
 */
import { api, ApiError } from '../lib/api.js'
import { barChart, lineChart } from '../lib/chart.js'
import { duration, h, percent, replace } from '../lib/dom.js'
import { openLive } from '../lib/sse.js'
import { mountPage } from '../lib/shell.js'

type Live = Record<string, string | number | boolean | null>

interface StatsRow {
  section: string
  from: string
  to: string
  offered: number
  answered: number
  abandoned: number
  targetSec: number
  answeredWithinTarget: number
  serviceLevel: number | null
}

interface StatsAnswer {
  from: string
  to: string
  rows: StatsRow[]
  totals: StatsRow[]
}

interface SectionMeta {
  name?: string
  /** Target answer time (s). */
  withinSec?: number
  /** Target share answered within it (0..100). */
  percent?: number
}

const HOUR = 3_600_000
const FIVE_MIN = 300_000
const STATS_EVERY_MS = 30_000
const SAMPLE_EVERY_MS = 5_000

/** Agent states and call phases in the order shown, with their labels (others follow as named). */
const AGENT_STATES: Array<[string, string]> = [
  ['ready', 'Ready'],
  ['reserved', 'Ringing'],
  ['on_call', 'Busy'],
  ['wrap_up', 'Wrap-up'],
  ['paused', 'Paused'],
  ['logged_out', 'Logged out'],
]
const CALL_PHASES: Array<[string, string]> = [
  ['ivr', 'In the menus'],
  ['queue', 'Queued'],
  ['connected', 'Connected'],
  ['transfer', 'Transferring'],
  ['starting', 'Starting'],
  ['ending', 'Ending'],
  ['ended', 'Ended'],
]

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const hhmm = (ms: number) => new Date(ms).toTimeString().slice(0, 5)
const hhmmss = (ms: number) => new Date(ms).toTimeString().slice(0, 8)

/** Local midnight (the browser's time zone) of the day of `ms`. */
function midnight(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** Sections of the live picture, in the order of its keys (the configuration's). */
function liveSections(live: Live): string[] {
  const ids: string[] = []
  for (const k of Object.keys(live)) {
    const m = /^sections\.(.+)\.waiting$/.exec(k)
    if (m && !ids.includes(m[1]!)) ids.push(m[1]!)
  }
  return ids
}

/** Keys under `prefix` (agents., calls.): the known ones first, in order, then the others. */
function counts(live: Live, prefix: string, known: Array<[string, string]>): Array<[string, string, number]> {
  const out: Array<[string, string, number]> = known.map(([k, label]) => [k, label, num(live[`${prefix}${k}`]) ?? 0])
  for (const [k, v] of Object.entries(live)) {
    const id = k.startsWith(prefix) ? k.slice(prefix.length) : undefined
    if (id && !known.some(([kk]) => kk === id)) out.push([id, id.replace(/_/g, ' '), num(v) ?? 0])
  }
  return out
}

/** GET /api/sections, if it answers: names and service-level targets by section id. */
async function loadSectionMeta(): Promise<Map<string, SectionMeta>> {
  const out = new Map<string, SectionMeta>()
  try {
    const r = await api.get<unknown>('/api/sections')
    const list = Array.isArray(r) ? r : Array.isArray((r as { sections?: unknown })?.sections) ? (r as { sections: unknown[] }).sections : []
    for (const s of list as Array<{ id?: unknown; name?: unknown; serviceLevel?: { percent?: unknown; withinSec?: unknown } }>) {
      if (typeof s?.id !== 'string') continue
      const meta: SectionMeta = {}
      if (typeof s.name === 'string') meta.name = s.name
      const wi = num(s.serviceLevel?.withinSec)
      const pc = num(s.serviceLevel?.percent)
      if (wi !== undefined) meta.withinSec = wi
      if (pc !== undefined) meta.percent = pc
      out.set(s.id, meta)
    }
  } catch {
    /* not available to this role, or not there: section ids, targets from the statistics */
  }
  return out
}

mountPage({
  id: 'wallboard',
  title: 'Wallboard',
  roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'],
  render(main) {
    let live: Live = {}
    let lastUpdate: number | undefined
    let meta = new Map<string, SectionMeta>()
    let today = new Map<string, StatsRow>()
    let hour: StatsRow[] = []
    let statsNote = 'Loading today’s figures…'
    let statsDenied = false
    /** The engine's clock minus the browser's, learned from the statistics. */
    let offset: number | undefined
    const samples: Array<[number, number]> = []

    const conn = h('span', { class: 'badge', 'data-testid': 'conn' }, 'connecting')
    const updated = h('span', { class: 'muted', 'data-testid': 'updated' }, '–')
    const sectionsBody = h('tbody', {})
    const sectionsFoot = h('tfoot', {})
    const agentsEl = h('div', { class: 'wb-counts', 'data-testid': 'agents' })
    const callsEl = h('div', { class: 'wb-counts', 'data-testid': 'calls' })
    const hourChart = h('div', { 'data-testid': 'chart-hour' })
    const waitingChart = h('div', { 'data-testid': 'chart-waiting' })
    const note = h('p', { class: 'muted', 'data-testid': 'stats-note' })

    const th = (label: string, cls?: string) => h('th', { class: cls }, label)
    main.appendChild(
      h(
        'div',
        { class: 'wallboard' },
        h('div', { class: 'row wb-head' }, h('h1', {}, 'Wallboard'), conn, h('span', { class: 'muted' }, 'last update'), updated),
        h(
          'section',
          { class: 'card' },
          h(
            'table',
            { class: 'wb-sections', 'data-testid': 'sections' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                th('Section'),
                th('Waiting', 'num'),
                th('Longest wait', 'num'),
                th('Est. wait', 'num'),
                th('Offered today', 'num'),
                th('Answered', 'num'),
                th('Abandoned', 'num'),
                th('Service level', 'num'),
              ),
            ),
            sectionsBody,
            sectionsFoot,
          ),
          note,
        ),
        h('div', { class: 'grid' }, h('section', { class: 'card' }, h('h2', {}, 'Agents'), agentsEl), h('section', { class: 'card' }, h('h2', {}, 'Calls'), callsEl)),
        h('div', { class: 'grid' }, h('section', { class: 'card' }, hourChart), h('section', { class: 'card' }, waitingChart)),
      ),
    )

    const targetSec = (id: string): number | undefined => meta.get(id)?.withinSec ?? today.get(id)?.targetSec
    const over = (sec: number | undefined, target: number | undefined) => (sec !== undefined && target !== undefined && sec > target ? 'num bad' : 'num')
    const slClass = (sl: number | null | undefined, pc: number | undefined) => (sl === null || sl === undefined || pc === undefined ? 'num' : sl * 100 < pc ? 'num bad' : 'num ok')
    const todayCells = (id: string, r: StatsRow | undefined, pc: number | undefined) => [
      h('td', { class: 'num', 'data-testid': `offered-${id}` }, r ? r.offered : '–'),
      h('td', { class: 'num', 'data-testid': `answered-${id}` }, r ? r.answered : '–'),
      h('td', { class: 'num', 'data-testid': `abandoned-${id}` }, r ? r.abandoned : '–'),
      h('td', { class: slClass(r?.serviceLevel, pc), 'data-testid': `sl-${id}` }, r ? percent(r.serviceLevel) : '–'),
    ]

    const drawSections = () => {
      const ids = liveSections(live)
      for (const id of today.keys()) if (!ids.includes(id)) ids.push(id)
      replace(
        sectionsBody,
        ids.map((id) => {
          const waiting = num(live[`sections.${id}.waiting`])
          const longest = num(live[`sections.${id}.longestWaitSec`])
          const ewt = num(live[`sections.${id}.ewtSec`])
          const target = targetSec(id)
          const m = meta.get(id)
          return h(
            'tr',
            { 'data-testid': `section-${id}` },
            h('td', { class: 'wb-name' }, m?.name ?? id, m?.name ? h('span', { class: 'muted' }, ` ${id}`) : null, target !== undefined ? h('div', { class: 'muted wb-target' }, `target ${m?.percent !== undefined ? `${m.percent}% ` : ''}within ${target} s`) : null),
            h('td', { class: `${over(waiting && longest, target)} wb-big`, 'data-testid': `waiting-${id}` }, waiting ?? '–'),
            h('td', { class: over(longest, target), 'data-testid': `longest-${id}` }, waiting ? duration(longest) : '–'),
            h('td', { class: over(ewt, target), 'data-testid': `ewt-${id}`, title: ewt === undefined ? 'unknown: no agent of the section is working' : undefined }, duration(ewt)),
            todayCells(id, today.get(id), m?.percent),
          )
        }),
      )
      if (today.size === 0) return replace(sectionsFoot)
      const rows = [...today.values()]
      const sum = (f: (r: StatsRow) => number) => rows.reduce((a, r) => a + f(r), 0)
      const resolved = sum((r) => r.answered + r.abandoned)
      const total: StatsRow = {
        section: 'all',
        from: '',
        to: '',
        offered: sum((r) => r.offered),
        answered: sum((r) => r.answered),
        abandoned: sum((r) => r.abandoned),
        targetSec: 0,
        answeredWithinTarget: sum((r) => r.answeredWithinTarget),
        serviceLevel: resolved > 0 ? sum((r) => r.answeredWithinTarget) / resolved : null,
      }
      const waitingAll = ids.reduce((a, id) => a + (num(live[`sections.${id}.waiting`]) ?? 0), 0)
      replace(sectionsFoot, h('tr', { 'data-testid': 'section-all' }, h('th', {}, 'All sections'), h('td', { class: 'num', 'data-testid': 'waiting-all' }, waitingAll), h('td', {}), h('td', {}), todayCells('all', total, undefined)))
    }

    const drawCounts = () => {
      const tile = (kind: string, [id, label, n]: [string, string, number]) =>
        h('div', { class: `wb-tile state-${id}` }, h('div', { class: 'big', 'data-testid': `${kind}-${id}` }, n), h('div', { class: 'muted' }, label))
      replace(agentsEl, counts(live, 'agents.', AGENT_STATES).map((c) => tile('agents', c)))
      replace(callsEl, counts(live, 'calls.', CALL_PHASES).map((c) => tile('calls', c)))
    }

    const drawCharts = () => {
      const byStart = new Map<string, [number, number, number]>()
      for (const r of hour) {
        const v = byStart.get(r.from) ?? [0, 0, 0]
        byStart.set(r.from, [v[0] + r.offered, v[1] + r.abandoned, v[2] + r.answered])
      }
      const bars = [...byStart.entries()].sort(([a], [b]) => Date.parse(a) - Date.parse(b)).map(([from, values]) => ({ label: hhmm(Date.parse(from)), values }))
      replace(
        hourChart,
        statsDenied
          ? h('p', { class: 'muted' }, 'The last hour’s figures are for supervisors and viewers.')
          : barChart(['offered', 'abandoned', 'answered'], bars, { title: 'Last hour, per 5 minutes (all sections)', height: 240 }),
      )
      const now = Date.now()
      replace(waitingChart, lineChart([{ name: 'waiting', points: samples }], { title: 'Callers waiting, since this page opened', height: 240, xRange: [Math.max(samples[0]?.[0] ?? now, now - HOUR), now], yLabel: (y) => String(Math.round(y)) }))
    }

    const waitingTotal = () => liveSections(live).reduce((a, id) => a + (num(live[`sections.${id}.waiting`]) ?? 0), 0)
    const sample = (force: boolean) => {
      if (lastUpdate === undefined) return
      const now = Date.now()
      const total = waitingTotal()
      const last = samples[samples.length - 1]
      if (!force && last && last[1] === total && now - last[0] < SAMPLE_EVERY_MS) return
      // a step: the previous value up to now, then the new one
      if (last && last[1] !== total) samples.push([now, last[1]])
      samples.push([now, total])
      while (samples.length > 0 && samples[0]![0] < now - HOUR) samples.shift()
      drawCharts()
    }

    const stopLive = openLive(
      (state) => {
        live = state
        lastUpdate = Date.now()
        updated.textContent = hhmmss(lastUpdate)
        drawSections()
        drawCounts()
        sample(false)
      },
      (s) => {
        conn.textContent = s === 'open' ? 'live' : s === 'retrying' ? 'reconnecting' : 'not allowed'
        conn.className = `badge ${s === 'open' ? 'ok' : s === 'retrying' ? 'warn' : 'bad'}`
      },
    )

    const refreshStats = async () => {
      if (statsDenied) return
      try {
        if (offset === undefined) {
          const probe = await api.get<StatsAnswer>('/api/stats?interval=all')
          offset = Date.parse(probe.to) - Date.now()
        }
        const day = await api.get<StatsAnswer>(`/api/stats?interval=all&from=${midnight(Date.now() + offset)}`)
        const to = Date.parse(day.to)
        offset = to - Date.now()
        const last = await api.get<StatsAnswer>(`/api/stats?interval=5m&from=${Math.floor((to - HOUR) / FIVE_MIN) * FIVE_MIN + FIVE_MIN}&to=${to}`)
        today = new Map(day.totals.map((r) => [r.section, r]))
        hour = last.rows
        statsNote = `Today’s figures since ${hhmm(midnight(to))} (engine time ${hhmm(to)}), refreshed every 30 s.`
      } catch (err) {
        if (err instanceof ApiError && err.status === 403) {
          statsDenied = true
          statsNote = 'Today’s figures are not available to your role; the live figures are shown.'
        } else {
          offset = undefined // the engine's day may have turned: learn its time again
          statsNote = `Today’s figures could not be read: ${(err as Error).message}`
        }
      }
      note.textContent = statsNote
      drawSections()
      drawCharts()
    }

    void loadSectionMeta().then((m) => {
      meta = m
      drawSections()
    })
    void refreshStats()
    drawCounts()
    drawCharts()
    const timers = [setInterval(() => void refreshStats(), STATS_EVERY_MS), setInterval(() => sample(true), SAMPLE_EVERY_MS)]
    return () => {
      stopLive()
      for (const t of timers) clearInterval(t)
    }
  },
})
