/**
 * The engine's live picture for the wallboard and the desks (LiveHub's read), as flat keys:
 *   sections.<id>.waiting | .offered | .longestWaitSec | .ewtSec (what a caller joining now
 *   would be told; null when unknown)
 *   agents.<state>            national, from the store
 *   calls.<phase>             this engine's calls (ivr = in the menus)
 * Plain data, read from the queue service and the session registry.
 */
import type { LiveState } from './live.js'

export interface WallboardSources {
  snapshot(): Promise<{ sections: Array<{ id: string; waiting: number; offered: number; longestWaitMs: number }>; agents: Record<string, number> }>
  /** Per section, the estimated wait (s) of a caller joining behind `waiting` callers. */
  sectionEstimates(waiting: Record<string, number>): Promise<Record<string, number | undefined>>
  callsByPhase(): Record<string, number>
}

export async function wallboardState(s: WallboardSources): Promise<LiveState> {
  const snap = await s.snapshot()
  const estimates = await s.sectionEstimates(Object.fromEntries(snap.sections.map((sec) => [sec.id, sec.waiting])))
  const out: LiveState = {}
  for (const sec of snap.sections) {
    out[`sections.${sec.id}.waiting`] = sec.waiting
    out[`sections.${sec.id}.offered`] = sec.offered
    out[`sections.${sec.id}.longestWaitSec`] = Math.round(sec.longestWaitMs / 1000)
    const est = estimates[sec.id]
    out[`sections.${sec.id}.ewtSec`] = est === undefined ? null : Math.round(est)
  }
  for (const [state, n] of Object.entries(snap.agents)) out[`agents.${state}`] = n
  for (const [phase, n] of Object.entries(s.callsByPhase())) out[`calls.${phase}`] = n
  return out
}
