/**
 * Estimated wait (pure): how long until a waiting caller is answered, from the live service
 * rate of the agents who can serve it and the number of callers who will be served first.
 *
 * Model: each agent i logged in, not paused and eligible for the caller frees up once every
 * h_i seconds on average (h_i = its recent handle time: ring + talk + wrap-up). Together they
 * serve mu = sum(1/h_i) callers per second. A caller with k callers ahead needs k + 1 agents
 * to free up, less the agents ready right now; with exponential-like handle times the time to
 * the n-th release among busy agents is about n / mu. So wait = max(0, k + 1 - ready) / mu.
 * No eligible agent logged in: no estimate (undefined), and nothing is announced about time.
 *
 * Handle times: rolling windows per section and per agent in a section (HandleTimes). Until a
 * section has measurements its configured expectedHandleSec (default 180 s) is assumed, and a
 * few measurements are blended with that prior rather than trusted alone; an agent's own
 * mean is likewise blended with its section's.
 */
import type { AgentState } from '../domain/acd.js'

export const DEFAULT_HANDLE_SEC = 180
/** Weight of the prior, in samples: 2 measured calls count as much as the assumption. */
const PRIOR_WEIGHT = 2

export interface ServingAgent {
  state: AgentState
  /** Mean seconds the agent is occupied per call (ring + talk + wrap-up). */
  handleSec: number
}

export interface WaitInput {
  /** Callers who will be served before this one (see routing.callersAhead). */
  ahead: number
  /** Agents eligible for the caller, whatever their state (only logged-in, unpaused ones count). */
  agents: readonly ServingAgent[]
  /** Share (0-1) of recent callers of the section who hung up before being answered. */
  abandonShare?: number
}

const SERVING: ReadonlySet<AgentState> = new Set(['ready', 'reserved', 'on_call', 'wrap_up'])

/** Seconds until the caller is answered, or undefined when no agent can serve it now. */
export function estimateWait(i: WaitInput): number | undefined {
  let rate = 0
  let ready = 0
  for (const a of i.agents) {
    if (!SERVING.has(a.state) || !(a.handleSec > 0)) continue
    rate += 1 / a.handleSec
    if (a.state === 'ready') ready++
  }
  if (rate === 0) return undefined
  const stay = 1 - Math.min(1, Math.max(0, i.abandonShare ?? 0))
  const turns = Math.max(0, Math.max(0, i.ahead) * stay + 1 - ready)
  return turns / rate
}

class Window {
  private readonly xs: number[] = []
  private at = 0
  sum = 0
  constructor(private readonly size: number) {}
  get n(): number {
    return this.xs.length
  }
  push(x: number): void {
    if (this.xs.length < this.size) {
      this.xs.push(x)
    } else {
      this.sum -= this.xs[this.at]!
      this.xs[this.at] = x
      this.at = (this.at + 1) % this.size
    }
    this.sum += x
  }
}

/** Rolling windows of handle times (seconds), per section and per agent within a section. */
export class HandleTimes {
  private readonly sections = new Map<string, Window>()
  private readonly agents = new Map<string, Window>()

  constructor(private readonly opts: { sectionWindow?: number; agentWindow?: number } = {}) {}

  record(section: string, agentId: string, sec: number): void {
    if (!(sec >= 0) || !Number.isFinite(sec)) return
    this.win(this.sections, section, this.opts.sectionWindow ?? 100).push(sec)
    this.win(this.agents, `${section}\u0000${agentId}`, this.opts.agentWindow ?? 20).push(sec)
  }

  /** The section's mean handle time, blended with the prior while measurements are few. */
  section(section: string, priorSec = DEFAULT_HANDLE_SEC): number {
    return blend(this.sections.get(section), priorSec)
  }

  /** The agent's mean handle time in the section, blended with the section's. */
  agent(section: string, agentId: string, priorSec = DEFAULT_HANDLE_SEC): number {
    return blend(this.agents.get(`${section}\u0000${agentId}`), this.section(section, priorSec))
  }

  private win(m: Map<string, Window>, k: string, size: number): Window {
    let w = m.get(k)
    if (!w) m.set(k, (w = new Window(size)))
    return w
  }
}

function blend(w: Window | undefined, prior: number): number {
  if (!w || w.n === 0) return prior
  return (prior * PRIOR_WEIGHT + w.sum) / (PRIOR_WEIGHT + w.n)
}

/** Rolling share of abandoned calls per section (the last `window` callers who left the queue). */
export class QueueOutcomes {
  private readonly sections = new Map<string, Window>()

  constructor(private readonly window = 200) {}

  record(section: string, abandoned: boolean): void {
    let w = this.sections.get(section)
    if (!w) this.sections.set(section, (w = new Window(this.window)))
    w.push(abandoned ? 1 : 0)
  }

  /** Share of abandons among the last callers; 0 until 10 have left (too few to tell). */
  abandonShare(section: string): number {
    const w = this.sections.get(section)
    return w && w.n >= 10 ? w.sum / w.n : 0
  }
}
