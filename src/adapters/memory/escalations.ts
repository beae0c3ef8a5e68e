/**
 * In-memory EscalationStore (the embedded default; the Redis one keeps the same layout: a
 * record per escalation, a list of pending changes per escalation, one "due" index of
 * escalations by the time their head change is due, and a list of changes set aside).
 * Single-threaded and no await in the middle of a method: every method is atomic.
 */
import type {
  Escalation,
  EscalationChange,
  EscalationFilter,
  EscalationOutbox,
  EscalationStore,
  OutboxItem,
} from '../../domain/escalations.js'

class MemoryOutbox implements EscalationOutbox {
  /** escalationId -> its pending changes, head first. */
  readonly pending = new Map<string, OutboxItem[]>()
  /** escalationId -> when its head is due (or hidden until, while claimed). */
  readonly due = new Map<string, number>()
  private readonly aside: OutboxItem[] = []

  enqueue(item: OutboxItem): void {
    const list = this.pending.get(item.escalationId)
    if (list) {
      list.push(item)
      return
    }
    this.pending.set(item.escalationId, [item])
    this.due.set(item.escalationId, item.nextAt)
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const ready = [...this.due.entries()].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    const out: OutboxItem[] = []
    for (const [escalationId] of ready.slice(0, limit)) {
      const head = this.pending.get(escalationId)?.[0]
      if (!head) continue
      this.due.set(escalationId, now + leaseMs)
      out.push({ ...head })
    }
    return out
  }

  async delivered(escalationId: string, changeId: string, now: number): Promise<void> {
    this.dropHead(escalationId, changeId, now)
  }

  async failed(escalationId: string, changeId: string, attempts: number, nextAt: number, error: string): Promise<void> {
    const head = this.pending.get(escalationId)?.[0]
    if (!head || head.changeId !== changeId) return
    head.attempts = attempts
    head.nextAt = nextAt
    head.lastError = error
    this.due.set(escalationId, nextAt)
  }

  async setAside(escalationId: string, changeId: string, now: number, error: string): Promise<void> {
    const head = this.dropHead(escalationId, changeId, now)
    if (head) this.aside.push({ ...head, lastError: error })
  }

  async listSetAside(): Promise<OutboxItem[]> {
    return this.aside.map((x) => ({ ...x }))
  }

  async requeue(changeId: string, now: number): Promise<boolean> {
    const i = this.aside.findIndex((x) => x.changeId === changeId)
    if (i < 0) return false
    const [item] = this.aside.splice(i, 1)
    const back: OutboxItem = { escalationId: item!.escalationId, changeId: item!.changeId, seq: item!.seq, attempts: 0, nextAt: now }
    const list = this.pending.get(back.escalationId)
    if (list) list.unshift(back)
    else this.pending.set(back.escalationId, [back])
    this.due.set(back.escalationId, now)
    return true
  }

  async pendingCount(): Promise<number> {
    let n = 0
    for (const l of this.pending.values()) n += l.length
    return n
  }

  private dropHead(escalationId: string, changeId: string, now: number): OutboxItem | undefined {
    const list = this.pending.get(escalationId)
    if (!list || list[0]?.changeId !== changeId) return undefined
    const head = list.shift()!
    const next = list[0]
    if (next) {
      next.nextAt = Math.max(next.nextAt, now)
      this.due.set(escalationId, next.nextAt)
    } else {
      this.pending.delete(escalationId)
      this.due.delete(escalationId)
    }
    return head
  }
}

class MemoryEscalations implements EscalationStore {
  private readonly records = new Map<string, Escalation>()
  readonly outbox = new MemoryOutbox()

  async create(e: Escalation): Promise<void> {
    if (this.records.has(e.id)) throw new Error(`escalation ${e.id} exists`)
    this.records.set(e.id, structuredClone(e))
    for (const c of e.history) this.queue(e.id, c)
  }

  async get(id: string): Promise<Escalation | undefined> {
    const e = this.records.get(id)
    return e && structuredClone(e)
  }

  async list(f: EscalationFilter = {}): Promise<Escalation[]> {
    const out: Escalation[] = []
    for (const e of this.records.values()) {
      if (f.status && e.status !== f.status) continue
      if (f.kind && e.kind !== f.kind) continue
      if (f.section && e.section !== f.section) continue
      if (f.createdBy && e.createdBy !== f.createdBy) continue
      out.push(e)
    }
    out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    return out.slice(0, f.limit ?? 100).map((e) => structuredClone(e))
  }

  async transition(id: string, change: EscalationChange): Promise<Escalation | undefined> {
    const e = this.records.get(id)
    if (!e || e.status !== change.from || e.version !== change.seq - 1) return undefined
    e.status = change.to
    e.version = change.seq
    e.updatedAt = change.at
    e.history.push(structuredClone(change))
    this.queue(id, change)
    return structuredClone(e)
  }

  private queue(escalationId: string, c: EscalationChange): void {
    this.outbox.enqueue({ escalationId, changeId: c.changeId, seq: c.seq, attempts: 0, nextAt: c.at })
  }
}

export function createMemoryEscalationStore(): EscalationStore {
  return new MemoryEscalations()
}
