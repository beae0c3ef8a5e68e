/**
 * Escalations: tickets for the regional consultancy centre and appointments with an agency
 * official, opened by operators for cases they cannot close on the phone. Each has a status
 * (open, in charge, closed) and a history of every change; every change is also queued in an
 * outbox and POSTed to the consultancy centre's webhook until delivered.
 *
 * The EscalationStore port is shaped for Redis: an escalation is a hash (its fields as JSON)
 * with its history in a list (or stream) beside it; the outbox is, per escalation, a list of
 * pending change ids whose head is delivered first, plus one sorted set of escalations by the
 * time their head is due. Each method that changes several of these is one atomic step (one
 * Lua script), so a change is never recorded without being queued for delivery.
 */

export const ESCALATION_STATUSES = ['open', 'in_charge', 'closed'] as const
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number]

/** Sections of the regional consultancy centre a ticket can be addressed to. */
export const CONSULTANCY_SECTIONS = ['pensions', 'income_support', 'contributions'] as const
export type ConsultancySection = (typeof CONSULTANCY_SECTIONS)[number]

export type EscalationKind = 'ticket' | 'appointment'

/** Status changes a person may make; anything else is a conflict. */
export const ALLOWED_TRANSITIONS: Readonly<Record<EscalationStatus, readonly EscalationStatus[]>> = {
  open: ['in_charge', 'closed'],
  in_charge: ['open', 'closed'],
  closed: ['open'],
}

export function canTransition(from: EscalationStatus, to: EscalationStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to)
}

/** Who the case is about. Personal data: sent to the webhook, never written to logs. */
export interface CitizenRef {
  /** Fiscal code or another reference the agency knows the citizen by. */
  reference?: string
  name?: string
  phone?: string
}

export interface TicketData {
  kind: 'ticket'
  section: ConsultancySection
  subject: string
  description?: string
  citizen: CitizenRef
}

export interface AppointmentData {
  kind: 'appointment'
  /** When the appointment starts (ms since the epoch). */
  startsAt: number
  durationMin?: number
  /** The agency office where the citizen meets the official. */
  office: string
  section?: ConsultancySection
  notes?: string
  citizen: CitizenRef & { reference: string }
}

export type EscalationData = TicketData | AppointmentData

/** One entry of an escalation's history: its creation (from null) or a status change. */
export interface EscalationChange {
  /** 1 for the creation, then +1 per change: the escalation's version after this change. */
  seq: number
  /** Stable id of the change: the idempotency key of its webhook delivery. */
  changeId: string
  at: number
  /** The user who made the change. */
  by: string
  from: EscalationStatus | null
  to: EscalationStatus
  note?: string
}

export type Escalation = EscalationData & {
  id: string
  status: EscalationStatus
  createdAt: number
  createdBy: string
  updatedAt: number
  /** The call the operator was handling when opening it, if any. */
  callId?: string
  /** = the seq of the last change. */
  version: number
  history: EscalationChange[]
}

/** A change waiting to be delivered to the webhook. */
export interface OutboxItem {
  escalationId: string
  changeId: string
  seq: number
  /** Delivery attempts made so far. */
  attempts: number
  /** When the item may be tried (again). */
  nextAt: number
  lastError?: string
}

export interface EscalationFilter {
  status?: EscalationStatus
  kind?: EscalationKind
  section?: ConsultancySection
  createdBy?: string
  /** Newest first; default 100. */
  limit?: number
}

/**
 * The outbox: per escalation, changes are delivered in order (the head first); escalations
 * are independent, so one failing payload does not hold the others back.
 */
export interface EscalationOutbox {
  /**
   * Heads of escalations due at `now`, at most `limit`, oldest due first. Each one returned is
   * hidden from other claimers until now + leaseMs (if its claimer dies, it is tried again then).
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>
  /** The head `changeId` was delivered: it leaves the outbox and the escalation's next change is due at `now`. */
  delivered(escalationId: string, changeId: string, now: number): Promise<void>
  /** An attempt failed: the head stays, due again at nextAt. */
  failed(escalationId: string, changeId: string, attempts: number, nextAt: number, error: string): Promise<void>
  /** Gave up on the head after its attempts: it is set aside (listed by setAside) and the next change is due at `now`. */
  setAside(escalationId: string, changeId: string, now: number, error: string): Promise<void>
  /** Changes set aside, oldest first. */
  listSetAside(): Promise<OutboxItem[]>
  /** Puts a change set aside back at the head of its escalation's outbox, due at `now`, attempts reset. */
  requeue(changeId: string, now: number): Promise<boolean>
  /** Number of changes waiting for delivery (set-aside ones excluded). */
  pendingCount(): Promise<number>
}

export interface EscalationStore {
  /** Stores a new escalation (history = its creation) and queues the creation for delivery. */
  create(e: Escalation): Promise<void>
  get(id: string): Promise<Escalation | undefined>
  list(filter?: EscalationFilter): Promise<Escalation[]>
  /**
   * Compare-and-set: applies `change` (appending it to the history and queueing it for
   * delivery) only if the escalation's status is still change.from and its version is
   * change.seq - 1. Returns the updated escalation, or undefined if it is missing or moved on.
   */
  transition(id: string, change: EscalationChange): Promise<Escalation | undefined>
  /** The delivery outbox. */
  outbox: EscalationOutbox
}
