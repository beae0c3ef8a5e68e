/** Prints the bench figures as compact text tables. */
import type { RateStep } from './inbound-rate.js'
import { KEEP_UP } from './inbound-rate.js'
import type { HoldFigures } from './menu-hold.js'
import type { MachineInfo } from './stats.js'

const f = (n: number, digits = 0) => n.toFixed(digits)
const pct = (share: number) => `${f(share * 100)}%`
const mib = (bytes: number) => `${f(bytes / 2 ** 20, 1)} MiB`

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ')
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function machineText(m: MachineInfo): string {
  return `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}; load average ${m.loadAverage} at start`
}

export function rateTable(steps: RateStep[]): string {
  return table(
    ['offered/s', 'placed', 'started/s', 'prompted', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'engine CPU', 'ms CPU/call', 'loop p99 ms', 'sim CPU', 'kept up'],
    steps.map((s) => [
      f(s.offeredPerSec, 1),
      String(s.placed),
      f(s.startedPerSec, 1),
      String(s.prompted),
      f(s.latencyMs.p50, 1),
      f(s.latencyMs.p90, 1),
      f(s.latencyMs.p99, 1),
      f(s.latencyMs.max, 1),
      String(Object.values(s.errors).reduce((a, b) => a + b, 0)),
      pct(s.engineCpu),
      f(s.engineCpuMsPerCall, 2),
      f(s.engineLoopDelayP99Ms, 1),
      pct(s.simCpu),
      s.keptUp ? 'yes' : 'NO',
    ]),
  )
}

/** The most frequent engine log messages (warn and above). */
function topMessages(byMessage: Record<string, number>, n = 4): string {
  return Object.entries(byMessage)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([m, c]) => `${c} x "${m}"`)
    .join('; ')
}

export function rateNotes(steps: RateStep[], sustained: number, byMessage: Record<string, number>): string {
  const out = [
    `sustained: ${sustained} new calls/s (started >= ${KEEP_UP.startedShare * 100}% of offered, every caller prompted, p99 <= ${KEEP_UP.p99Ms} ms, no errors)`,
    'latency = channel created -> first prompt started, on the simulator; CPU shares are of one core',
  ]
  for (const s of steps) {
    const e = Object.entries(s.errors).filter(([, v]) => v > 0)
    if (e.length) out.push(`  ${s.targetPerSec}/s errors: ${e.map(([k, v]) => `${k} ${v}`).join(', ')}`)
  }
  if (Object.keys(byMessage).length) out.push(`engine log (warn+): ${topMessages(byMessage)}`)
  return out.join('\n')
}

export function holdText(h: HoldFigures): string {
  const m = h.memory
  const other = Object.entries(h.wait.otherPrompts)
  return [
    `${h.inMainMenu}/${h.calls} callers in the main menu, ramp ${h.rampPerSec}/s; setup ${f(h.setupMs / 1000, 1)} s, channel -> main menu p50 ${f(h.toMainMenuMs.p50)} ms, p99 ${f(h.toMainMenuMs.p99)} ms`,
    table(
      ['figure', 'per call', 'total'],
      [
        ['setup CPU (welcome, hours, language, main menu)', `${f(h.setupCpuMsPerCall, 2)} ms`, `${f((h.setupCpuMsPerCall * h.inMainMenu) / 1000, 2)} s`],
        ['heap used after GC (vs. before the calls)', `${f(m.heapPerCallKiB, 1)} KiB`, mib(m.withCalls.heapUsed - m.baseline.heapUsed)],
        ['RSS (vs. before the calls)', `${f(m.rssPerCallKiB, 1)} KiB`, mib(m.withCalls.rss - m.baseline.rss)],
        [`CPU while in the menu (${f(h.wait.seconds)} s window)`, `${f(h.wait.cpuMsPerCallSecond, 3)} ms/call-s`, `${pct(h.wait.engineCpu)} of a core`],
        ['heap growth during the window', `${f(m.heapGrowthDuringWaitPerCallKiB, 2)} KiB`, mib(m.afterWait.heapUsed - m.withCalls.heapUsed)],
        ['teardown CPU (all hang up)', `${f(h.teardown.cpuMsPerCall, 2)} ms`, `${f(h.teardown.ms)} ms wall`],
        [`heap left once all hung up (lowest in ${h.teardown.idleSec} s idle)`, `${f(m.heapRetainedPerCallKiB, 2)} KiB`, mib(m.afterHangup.heapUsed - m.baseline.heapUsed)],
      ],
    ),
    `window: ${h.wait.alive} callers alive, ${h.wait.sessionsInIvr} sessions in the voice portal, ${h.wait.mainMenuReplays} main-menu replays, other prompts: ${other.length ? other.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}; engine loop p99 ${f(h.wait.loopDelayP99Ms, 1)} ms, sim CPU ${pct(h.wait.simCpu)}`,
    `baseline heap ${mib(m.baseline.heapUsed)}, RSS ${mib(m.baseline.rss)}; after hangup: ${h.leftovers.sessions} sessions, ${h.leftovers.channelHandlers} channel / ${h.leftovers.playbackHandlers} playback handlers, ${h.leftovers.callRecords} call records, ${h.leftovers.eventLogEntries} event-log entries; engine warnings ${h.engine.warnings}, errors ${h.engine.errors}${h.engine.warnings + h.engine.errors ? ` (${topMessages(h.engine.byMessage)})` : ''}`,
  ].join('\n')
}
