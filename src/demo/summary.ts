/** One-line and final summaries of a running engine, for the demo's console. */
import type { Summary } from '../app.js'

export function mmss(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function summaryLine(s: Summary, elapsedMs: number): string {
  const waiting = Object.entries(s.waiting)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const t = s.totals
  const a = s.agents
  return [
    `[${mmss(elapsedMs)}]`,
    `calls ${s.calls}`,
    `in menus ${s.inMenus}`,
    `waiting: ${waiting}`,
    `longest wait ${mmss(s.longestWaitMs)}`,
    `talking ${s.talking}`,
    `agents ready ${a.ready ?? 0}/ringing ${a.reserved ?? 0}/on call ${a.on_call ?? 0}/wrap-up ${a.wrap_up ?? 0}/paused ${a.paused ?? 0}`,
    `answered ${t['queue.connected'] ?? 0}`,
    `abandoned ${t['queue.abandoned'] ?? 0}`,
    `self-service ${s.flowOutcomes.hangup ?? 0}`,
  ].join(' | ')
}

export function finalReport(s: Summary, placed: number, elapsedMs: number): string {
  const t = s.totals
  const lines = [
    `--- centralino demo: ${mmss(elapsedMs)} of simulated time ---`,
    `calls placed by simulated citizens: ${placed}; started in the engine: ${t['call.started'] ?? 0}; ended: ${t['call.ended'] ?? 0}`,
    `voice portal outcomes: ${Object.entries(s.flowOutcomes).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `queues: entered ${t['queue.entered'] ?? 0}, answered by an agent ${t['queue.connected'] ?? 0}, abandoned ${t['queue.abandoned'] ?? 0}, agent did not answer ${t['agent.no_answer'] ?? 0}`,
    `events socket: ${s.eventLag.received} events, ${s.eventLag.malformed} malformed, ${s.eventLag.reconnects} reconnects`,
  ]
  return lines.join('\n')
}
