/**
 * The embedded in-memory Store: the default for the demo and for single-engine tests.
 * Same contract as the Redis store (a later issue); single-threaded JavaScript makes each
 * method atomic as long as it does not await in the middle, which none does.
 */
import { compareEntries, type AgentRecord, type AgentState, type CallbackInfo, type QueueEntry } from '../../domain/acd.js'
import type { CallEvent } from '../../domain/events.js'
import type { AgentStore, CallerHistory, CallRecord, CallStore, EventLog, LeaseStore, QueueStore, Store } from '../../domain/store.js'

class MemoryQueues implements QueueStore {
  private readonly entries = new Map<string, QueueEntry>()
  private readonly bySection = new Map<string, Set<string>>()
  private seq = 0
  /** Number -> the call whose callback is pending for it (stale once that entry is gone). */
  private readonly callbacks = new Map<string, string>()

  async enqueue(e: Omit<QueueEntry, 'seq'> & { seq?: number }): Promise<QueueEntry> {
    this.drop(e.callId)
    const entry: QueueEntry = { ...e, seq: e.seq ?? ++this.seq }
    this.entries.set(entry.callId, entry)
    let set = this.bySection.get(entry.section)
    if (!set) this.bySection.set(entry.section, (set = new Set()))
    set.add(entry.callId)
    return { ...entry }
  }

  async remove(callId: string): Promise<QueueEntry | undefined> {
    return this.drop(callId)
  }

  async get(callId: string): Promise<QueueEntry | undefined> {
    const e = this.entries.get(callId)
    return e && { ...e }
  }

  async list(section: string, limit?: number): Promise<QueueEntry[]> {
    const ids = this.bySection.get(section)
    if (!ids) return []
    const out: QueueEntry[] = []
    for (const id of ids) out.push({ ...this.entries.get(id)! })
    out.sort(compareEntries)
    return limit === undefined ? out : out.slice(0, Math.max(0, limit))
  }

  async markOffered(callId: string, agentId: string): Promise<boolean> {
    const e = this.entries.get(callId)
    if (!e || e.status !== 'waiting') return false
    e.status = 'offered'
    e.offeredTo = agentId
    return true
  }

  async markWaiting(callId: string): Promise<boolean> {
    const e = this.entries.get(callId)
    if (!e) return false
    e.status = 'waiting'
    delete e.offeredTo
    return true
  }

  async enqueueCallback(callId: string, cb: CallbackInfo): Promise<'ok' | 'duplicate' | 'not_waiting'> {
    const e = this.entries.get(callId)
    if (!e || e.status !== 'waiting') return 'not_waiting'
    const other = this.callbacks.get(cb.number)
    if (other !== undefined && other !== callId && this.entries.has(other)) return 'duplicate'
    e.kind = 'callback'
    e.recall = { ...cb }
    this.callbacks.set(cb.number, callId)
    return 'ok'
  }

  private drop(callId: string): QueueEntry | undefined {
    const e = this.entries.get(callId)
    if (!e) return undefined
    this.entries.delete(callId)
    this.bySection.get(e.section)?.delete(callId)
    return e
  }
}

class MemoryAgents implements AgentStore {
  private readonly agents = new Map<string, AgentRecord>()

  async upsert(agent: AgentRecord): Promise<void> {
    this.agents.set(agent.id, { ...agent, sections: [...agent.sections] })
  }

  async get(id: string): Promise<AgentRecord | undefined> {
    const a = this.agents.get(id)
    return a && { ...a, sections: [...a.sections] }
  }

  async list(): Promise<AgentRecord[]> {
    return [...this.agents.values()].map((a) => ({ ...a, sections: [...a.sections] }))
  }

  async transition(
    id: string,
    from: AgentState[],
    to: AgentState,
    at: number,
    patch: Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>> = {},
  ): Promise<AgentRecord | undefined> {
    const a = this.agents.get(id)
    if (!a || !from.includes(a.state)) return undefined
    a.state = to
    a.since = at
    if (to !== 'paused') delete a.pauseReason
    if ('pauseReason' in patch) a.pauseReason = patch.pauseReason
    if ('callId' in patch) {
      if (patch.callId === undefined) delete a.callId
      else a.callId = patch.callId
    }
    if (patch.idleSince !== undefined) a.idleSince = patch.idleSince
    return { ...a, sections: [...a.sections] }
  }
}

class MemoryEventLog implements EventLog {
  private readonly events: CallEvent[] = []
  private readonly ids = new Set<string>()

  async append(e: CallEvent): Promise<void> {
    if (this.ids.has(e.id)) return
    this.ids.add(e.id)
    this.events.push(e)
  }

  async read(from = 0, limit = Number.POSITIVE_INFINITY): Promise<CallEvent[]> {
    return this.events.slice(from, from + limit)
  }
}

class MemoryHistory implements CallerHistory {
  private readonly last = new Map<string, { agentId: string; at: number }>()

  async recordServed(caller: string, agentId: string, at: number): Promise<void> {
    const prev = this.last.get(caller)
    if (!prev || prev.at <= at) this.last.set(caller, { agentId, at })
  }

  async lastServed(caller: string, now: number, withinMs: number): Promise<{ agentId: string; at: number } | undefined> {
    const r = this.last.get(caller)
    return r && now - r.at <= withinMs ? { ...r } : undefined
  }
}

class MemoryCalls implements CallStore {
  private readonly records = new Map<string, CallRecord>()

  async put(r: CallRecord): Promise<void> {
    this.records.set(r.callId, structuredClone(r))
  }
  async get(callId: string): Promise<CallRecord | undefined> {
    const r = this.records.get(callId)
    return r && structuredClone(r)
  }
  async delete(callId: string): Promise<void> {
    this.records.delete(callId)
  }
  async list(serverId: string): Promise<CallRecord[]> {
    return [...this.records.values()].filter((r) => r.serverId === serverId).map((r) => structuredClone(r))
  }
}

class MemoryLeases implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; until: number }>()

  async acquire(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const l = this.leases.get(name)
    if (l && l.owner !== owner && l.until > now) return false
    this.leases.set(name, { owner, until: now + ttlMs })
    return true
  }
  async renew(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const l = this.leases.get(name)
    if (!l || l.owner !== owner || l.until <= now) return false
    l.until = now + ttlMs
    return true
  }
  async release(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name)
  }
  async holder(name: string, now: number): Promise<string | undefined> {
    const l = this.leases.get(name)
    return l && l.until > now ? l.owner : undefined
  }
}

export function createMemoryStore(): Store {
  return {
    queues: new MemoryQueues(),
    agents: new MemoryAgents(),
    events: new MemoryEventLog(),
    history: new MemoryHistory(),
    calls: new MemoryCalls(),
    leases: new MemoryLeases(),
    close: async () => {},
  }
}
