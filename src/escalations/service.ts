/**
 * Escalation service: operators open tickets for the regional consultancy centre and book
 * appointments with an agency official; status changes follow ALLOWED_TRANSITIONS and each is
 * recorded (who, when, from, to, note) and queued for the webhook in the same atomic step of
 * the store. Errors are AppError: NOT_FOUND, CONFLICT (a change the status does not allow, or
 * someone changed it first), BAD_REQUEST (an appointment in the past).
 * Logs name escalations by id only: citizens' data never reaches them.
 */
import type { Clock } from '../domain/clock.js'
import {
  ALLOWED_TRANSITIONS,
  canTransition,
  type AppointmentData,
  type Escalation,
  type EscalationChange,
  type EscalationData,
  type EscalationFilter,
  type EscalationStatus,
  type EscalationStore,
  type TicketData,
} from '../domain/escalations.js'
import { AppError } from '../domain/errors.js'
import { deriveId, newId } from '../domain/ids.js'
import type { Logger } from '../domain/log.js'

export interface EscalationServiceDeps {
  store: EscalationStore
  clock: Clock
  log: Logger
  /** Called after every recorded change (the webhook poster delivers it promptly). */
  onChange?: () => void
}

export type NewTicket = Omit<TicketData, 'kind'> & { callId?: string }
export type NewAppointment = Omit<AppointmentData, 'kind'> & { callId?: string }

/** The idempotency key of a change: the same escalation and version always give the same id. */
export function changeIdOf(escalationId: string, seq: number): string {
  return deriveId('escalation-change', escalationId, seq)
}

export class EscalationService {
  constructor(private readonly d: EscalationServiceDeps) {}

  createTicket(t: NewTicket, by: string): Promise<Escalation> {
    const { callId, ...data } = t
    return this.create({ kind: 'ticket', ...data }, by, callId)
  }

  async createAppointment(a: NewAppointment, by: string): Promise<Escalation> {
    const { callId, ...data } = a
    if (!Number.isFinite(data.startsAt)) throw new AppError('BAD_REQUEST', 'startsAt is not a valid date and time', { path: '/body/startsAt' })
    if (data.startsAt <= this.d.clock.now()) throw new AppError('BAD_REQUEST', 'an appointment must start in the future', { path: '/body/startsAt' })
    return this.create({ kind: 'appointment', ...data }, by, callId)
  }

  async get(id: string): Promise<Escalation> {
    const e = await this.d.store.get(id)
    if (!e) throw new AppError('NOT_FOUND', `no escalation ${id}`)
    return e
  }

  list(filter: EscalationFilter = {}): Promise<Escalation[]> {
    return this.d.store.list(filter)
  }

  /** Moves the escalation to `to`; CONFLICT when its status does not allow it or it changed meanwhile. */
  async changeStatus(id: string, to: EscalationStatus, by: string, note?: string): Promise<Escalation> {
    const cur = await this.get(id)
    if (!canTransition(cur.status, to)) {
      throw new AppError('CONFLICT', `escalation ${id} is ${cur.status}: it cannot become ${to}`, {
        status: cur.status,
        allowed: ALLOWED_TRANSITIONS[cur.status],
      })
    }
    const seq = cur.version + 1
    const change: EscalationChange = { seq, changeId: changeIdOf(id, seq), at: this.d.clock.now(), by, from: cur.status, to, ...(note ? { note } : {}) }
    const next = await this.d.store.transition(id, change)
    if (!next) throw new AppError('CONFLICT', `escalation ${id} was changed meanwhile; read it again`, { status: cur.status, version: cur.version })
    this.d.log.info({ escalationId: id, from: change.from, to, version: seq }, 'escalation status changed')
    this.d.onChange?.()
    return next
  }

  private async create(data: EscalationData, by: string, callId: string | undefined): Promise<Escalation> {
    const id = newId()
    const at = this.d.clock.now()
    const change: EscalationChange = { seq: 1, changeId: changeIdOf(id, 1), at, by, from: null, to: 'open' }
    const e = { ...data, id, status: 'open', createdAt: at, createdBy: by, updatedAt: at, ...(callId ? { callId } : {}), version: 1, history: [change] } as Escalation
    await this.d.store.create(e)
    this.d.log.info({ escalationId: id, kind: e.kind, section: e.section }, 'escalation opened')
    this.d.onChange?.()
    return e
  }
}
