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
      ...(out ? { trail: out.trail.map((x) => x.node), collected: Object.keys(out.vars ?? {}) } : {}),
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
  }
}
