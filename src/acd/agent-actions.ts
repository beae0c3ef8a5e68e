/**
 * What an agent (or a supervisor for them) does to its own state: log in with an endpoint,
 * become ready, pause with a reason, end wrap-up, log out. Each is a compare-and-set on the
 * Store (store.agents.transition), so an action never overrides a change routing made at the
 * same moment (an agent reserved for a caller cannot log out under it); then the queue
 * service dispatches, so an agent who became ready is offered the waiting callers at once.
 *
 * Errors are AppError: NOT_FOUND (no such agent), CONFLICT with details.state (the action is
 * not possible in the agent's state). Doing what is already done (ready when ready, log out
 * when logged out) succeeds and changes nothing.
 */
import type { AgentDef, AgentRecord, AgentState } from '../domain/acd.js'
import type { Clock } from '../domain/clock.js'
import { AppError } from '../domain/errors.js'
import type { Store } from '../domain/store.js'

export interface AgentActionsDeps {
  store: Pick<Store, 'agents'>
  clock: Clock
  /** The queue service's dispatch: offers waiting callers to ready agents. */
  dispatch: () => void
  /**
   * The agent's configuration (config/sections.yaml, edited through the API): its name,
   * sections and skills are shown over the store's record, which keeps those of its first
   * registration. With it, a record neither configured nor serving anything (an agent removed
   * through the API) is no agent: not listed, not found, cannot log in.
   */
  profile?: (id: string) => AgentDef | undefined
}

export class AgentActions {
  constructor(private readonly d: AgentActionsDeps) {}

  async get(id: string): Promise<AgentRecord> {
    const a = this.view(await this.d.store.agents.get(id))
    if (!a) throw new AppError('NOT_FOUND', `no agent ${id}`)
    return a
  }

  list(): Promise<AgentRecord[]> {
    return this.d.store.agents.list().then((l) => l.flatMap((a) => this.view(a) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
  }

  /** The record with the configured name, sections and skills (see AgentActionsDeps.profile). */
  private view(a: AgentRecord | undefined): AgentRecord | undefined {
    if (!a || !this.d.profile) return a
    const p = this.d.profile(a.id)
    if (!p) return a.sections.length > 0 || Object.keys(a.skills ?? {}).length > 0 ? a : undefined
    const { skills: _skills, ...rest } = a
    return { ...rest, name: p.name, sections: p.sections, ...(p.skills ? { skills: p.skills } : {}) }
  }

  /** logged_out -> ready on `endpoint` (the phone or softphone the agent's calls ring). */
  async login(id: string, endpoint: string): Promise<AgentRecord> {
    const a = await this.get(id)
    if (a.state !== 'logged_out') throw conflict(a, `agent ${id} is already logged in (${a.state}); log out first`)
    const now = this.d.clock.now()
    // The endpoint is not part of a transition's patch: written while the agent is still
    // logged out (no routing looks at it), then the compare-and-set logs it in.
    if (a.endpoint !== endpoint) await this.d.store.agents.upsert({ ...a, endpoint })
    const next = await this.d.store.agents.transition(id, ['logged_out'], 'ready', now, { idleSince: now })
    if (!next) throw conflict(await this.get(id), `agent ${id} changed state meanwhile`)
    this.d.dispatch()
    return this.view(next) ?? next
  }

  /** paused or wrap_up -> ready. */
  ready(id: string): Promise<AgentRecord> {
    return this.move(id, ['paused', 'wrap_up'], 'ready', { idleSince: this.d.clock.now() }, {
      logged_out: 'log in with an endpoint first',
    })
  }

  /** ready, wrap_up or paused (another reason) -> paused with `reason`. */
  pause(id: string, reason: string): Promise<AgentRecord> {
    return this.move(id, ['ready', 'wrap_up', 'paused'], 'paused', { pauseReason: reason }, {})
  }

  /** wrap_up -> ready, ending the wrap-up time early. */
  endWrapUp(id: string): Promise<AgentRecord> {
    return this.move(id, ['wrap_up'], 'ready', { idleSince: this.d.clock.now() }, {}, false)
  }

  /** ready, paused or wrap_up -> logged_out; not while a call rings or is in progress. */
  logout(id: string): Promise<AgentRecord> {
    return this.move(id, ['ready', 'paused', 'wrap_up'], 'logged_out', {}, {
      reserved: 'a call is ringing on its phone',
      on_call: 'it is on a call',
    })
  }

  private async move(
    id: string,
    from: AgentState[],
    to: AgentState,
    patch: Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>>,
    why: Partial<Record<AgentState, string>>,
    sameIsDone = true,
  ): Promise<AgentRecord> {
    const next = await this.d.store.agents.transition(id, from, to, this.d.clock.now(), patch)
    if (next) {
      if (to === 'ready') this.d.dispatch()
      return this.view(next) ?? next
    }
    const a = await this.get(id)
    if (sameIsDone && a.state === to) return a
    const reason = why[a.state]
    throw conflict(a, `agent ${id} cannot go ${to.replace('_', ' ')} from ${a.state.replace('_', ' ')}${reason ? `: ${reason}` : ''}`)
  }
}

function conflict(a: AgentRecord, message: string): AppError {
  return new AppError('CONFLICT', message, { state: a.state })
}
