/**
 * Routing policy (pure): which waiting caller goes to which ready agent now.
 * Callers are served in order of priority (high first), then time of entry; each takes the
 * longest-idle ready agent who serves its section. Agents serving several sections go to
 * the best caller among them. Later issues add skills, overflow and continuity here.
 */
import { compareEntries, type AgentRecord, type QueueEntry } from '../domain/acd.js'

export interface Assignment {
  callId: string
  section: string
  agentId: string
}

/**
 * @param waiting every queue entry of every section (any status; only 'waiting' are routed)
 * @param agents every agent (only 'ready' ones are used)
 */
export function planAssignments(waiting: readonly QueueEntry[], agents: readonly AgentRecord[]): Assignment[] {
  const ready = agents.filter((a) => a.state === 'ready').sort((a, b) => a.idleSince - b.idleSince || (a.id < b.id ? -1 : 1))
  if (ready.length === 0) return []
  const taken = new Set<string>()
  const out: Assignment[] = []
  for (const e of waiting.filter((x) => x.status === 'waiting').sort(compareEntries)) {
    const agent = ready.find((a) => !taken.has(a.id) && a.sections.includes(e.section))
    if (!agent) continue
    taken.add(agent.id)
    out.push({ callId: e.callId, section: e.section, agentId: agent.id })
    if (taken.size === ready.length) break
  }
  return out
}

/** How many callers of the section will be served before this one (0 = next). */
export function callersAhead(entries: readonly QueueEntry[], callId: string): number | undefined {
  const sorted = [...entries].sort(compareEntries)
  const i = sorted.findIndex((e) => e.callId === callId)
  return i < 0 ? undefined : i
}
