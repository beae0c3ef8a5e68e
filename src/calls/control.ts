/**
 * Live calls for the people's side: what each call of this engine is doing, and the
 * operator's transfers (blind, or attended: consult, complete, cancel) as plain results. The
 * HTTP API turns the results into its error shape.
 */
import { maskPhone } from '../domain/redact.js'
import type { SessionRegistry } from './registry.js'
import type { TransferResult } from './session.js'

export interface LiveCall {
  callId: string
  phase: string
  startedAt: number
  /** Masked: the list is for the wallboard and the desks, not a directory. */
  caller?: string
  section?: string
  agentId?: string
  /** What the caller chose in the voice portal (node path), for the agent. */
  trail?: string[]
  /** Names of what the caller typed in the voice portal (collect nodes), not the values. */
  collected?: string[]
}

export interface TransferRequest {
  section: string
  mode: 'blind' | 'attended'
  priority?: number
  by?: string
}

export interface CallControl {
  list(): LiveCall[]
  get(callId: string): LiveCall | undefined
  transfer(callId: string, r: TransferRequest): Promise<TransferResult>
  /** Blind transfer to an external number (checked by transferableNumber first). */
  transferExternal(callId: string, number: string, by?: string): Promise<TransferResult>
  completeConsult(callId: string): Promise<TransferResult>
  cancelConsult(callId: string): Promise<TransferResult>
  /** Hangs the caller up (from the operator's desk or a supervisor). */
  hangup(callId: string, by?: string): Promise<TransferResult>
  /**
   * What the caller typed (collect nodes: name -> value), for the operator on that call only:
   * the routes give it to that agent and to no one else, and it is never logged.
   */
  given(callId: string): Record<string, string> | undefined
}

/**
 * The values a caller gave in the voice portal: the flow's variables without the built-in ones
 * (call.id, caller.*) and without the back office's answers (named <service node>.<field>).
 */
export function callerGiven(out: { vars?: Record<string, string>; trail: Array<{ node: string }> }): Record<string, string> {
  const nodes = new Set(out.trail.map((x) => x.node))
  const given: Record<string, string> = {}
  for (const [k, v] of Object.entries(out.vars ?? {})) {
    if (k === 'call.id' || k.startsWith('caller.')) continue
    const dot = k.lastIndexOf('.')
    if (dot > 0 && nodes.has(k.slice(0, dot))) continue
    given[k] = v
  }
  return given
}

/**
 * The numbers an operator may transfer a caller to: Italian landlines (0...) and mobiles (3...),
 * with or without +39/0039, written with spaces, dots or dashes. Foreign, premium (89x), short
 * and service numbers are refused: a public service's trunk is not a way out to anywhere
 * (toll fraud). Returns the number as dialed (+39...), or undefined.
 */
export function transferableNumber(raw: string): string | undefined {
  const n = raw.replace(/[\s.\-()/]/g, '').replace(/^0039/, '+39')
  const national = n.startsWith('+39') ? n.slice(3) : n.startsWith('+') ? undefined : n
  if (national === undefined || !/^\d+$/.test(national)) return undefined
  if (/^0\d{5,10}$/.test(national) || /^3\d{8,9}$/.test(national)) return `+39${national}`
  return undefined
}

const gone: TransferResult = { ok: false, code: 'NOT_FOUND', message: 'no such call on this engine' }

export function callControl(registry: SessionRegistry): CallControl {
  const view = (callId: string): LiveCall | undefined => {
    const s = registry.get(callId)
    if (!s) return undefined
    const out = s.flowOutput
    return {
      callId: s.callId,
      phase: s.phase,
      startedAt: s.startedAt,
      ...(s.callerNumber ? { caller: maskPhone(s.callerNumber) } : {}),
      ...(s.section ? { section: s.section.id } : {}),
      ...(s.agentId ? { agentId: s.agentId } : {}),
      ...(out ? { trail: out.trail.map((x) => x.node), collected: Object.keys(callerGiven(out)) } : {}),
    }
  }
  return {
    list: () => registry.all().map((s) => view(s.callId)!),
    get: view,
    async transfer(callId, r) {
      const s = registry.get(callId)
      if (!s) return gone
      return r.mode === 'attended' ? s.consult(r.section, { by: r.by }) : s.transferToSection(r.section, { priority: r.priority, by: r.by })
    },
    async transferExternal(callId, number, by) {
      const s = registry.get(callId)
      if (!s) return gone
      return s.transferToNumber(number, { by })
    },
    completeConsult: async (callId) => registry.get(callId)?.completeConsult() ?? gone,
    cancelConsult: async (callId) => registry.get(callId)?.cancelConsult() ?? gone,
    hangup: async (callId, by) => registry.get(callId)?.hangup({ by }) ?? gone,
    given(callId) {
      const out = registry.get(callId)?.flowOutput
      return out ? callerGiven(out) : undefined
    },
  }
}
