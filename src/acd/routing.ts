/**
 * Routing policy (pure): which waiting caller goes to which ready agent now, and how many
 * callers will really be served before a given one. Plain data in (entries, agents, section
 * definitions, now), plain data out; no I/O, so the same code runs live and in simulation.
 *
 * Eligibility of an agent for a caller of section S who has waited w seconds:
 * - the caller's own requirements (the `languages` level for its language, skills asked by
 *   the flow) must be met by every agent, members included, at the relaxed level;
 * - then the agent is a *home* agent of S if it lists S among its sections (membership: a
 *   supervisor's explicit assignment, whatever the levels) or holds every skill S requires at
 *   the relaxed level (skills: competence, without being listed);
 * - or, once an overflow step of S is reached, an *overflow* agent if it is a home agent of
 *   the step's target section (by membership or that section's own, unrelaxed, skills).
 *   The caller keeps its entry and its place in S; home agents are preferred to overflow ones.
 * Relaxation: the last `relax` step reached lowers every required level to at most its
 * minLevel (1 = any level of the skill); `dropCallerSkills` lifts the caller's own requirements.
 *
 * Order: callers by priority, then entry time; each takes, among eligible ready agents, a home
 * agent before an overflow one, then the best-skilled (sum of the agent's levels over the
 * skills the caller needs, section's and caller's, missing skills counting 0), then the
 * longest idle. Continuity: a caller with a preferred agent (who served them last) is held for
 * that agent until preferredUntil while the agent is logged in and not paused: the agent,
 * when ready, takes such a caller before anyone else, and nobody else takes the caller
 * meanwhile. The preferred agent must be eligible; otherwise the hold does not apply.
 *
 * Callbacks: a callback entry (kind 'callback', the caller hung up and is called back) is
 * routed like any entry, in the place it had; after an unanswered attempt it is not offered
 * before its notBefore time, keeping its place (callers behind it may be served meanwhile) and
 * still counting as ahead of them in announcements.
 */
import { compareEntries, type AgentRecord, type QueueEntry, type RelaxStep, type SectionDef, type SkillLevels } from '../domain/acd.js'

export interface Assignment {
  callId: string
  section: string
  agentId: string
}

export type SectionMap = ReadonlyMap<string, SectionDef>

export interface RoutingContext {
  sections: SectionMap | readonly SectionDef[]
  /** Time (ms) at which waits, relaxation, overflow and continuity holds are evaluated. */
  now: number
}

/** What a caller needs now: derived from its section's rules and how long it has waited. */
export interface Requirement {
  section: string
  /** Section skills at their relaxed minimum level (for agents who are not members). */
  sectionSkills: Array<[string, number]>
  /** The caller's own requirements at their relaxed level (for every agent). */
  callerSkills: Array<[string, number]>
  /** Skills whose levels make an agent "better" for this caller (unrelaxed, section's and caller's). */
  scoreSkills: string[]
  /** Sections whose agents may also take the caller (overflow steps reached). */
  overflowTo: string[]
  /** Stable text identifying the requirement: callers with the same key have the same agents. */
  key: string
}

/** Eligibility tier: 0 home agent, 1 overflow agent. */
export type Tier = 0 | 1

const PRESENT: ReadonlySet<AgentRecord['state']> = new Set(['ready', 'reserved', 'on_call', 'wrap_up'])

/** Logged in and not paused: serving, or about to. */
export function isPresent(a: AgentRecord): boolean {
  return PRESENT.has(a.state)
}

const EMPTY_MAP: SectionMap = new Map()
const mapCache = new WeakMap<readonly SectionDef[], SectionMap>()

export function sectionMap(s: RoutingContext['sections'] | undefined): SectionMap {
  if (!s) return EMPTY_MAP
  if (!Array.isArray(s)) return s as SectionMap
  const arr = s as readonly SectionDef[]
  let m = mapCache.get(arr)
  if (!m) {
    m = new Map(arr.map((x) => [x.id, x]))
    mapCache.set(arr, m)
  }
  return m
}

/** The caller's requirement at time now. A section without a definition needs members. */
export function requirementOf(e: QueueEntry, sections: SectionMap, now: number): Requirement {
  const def = sections.get(e.section)
  const waitSec = Math.max(0, now - e.enteredAt) / 1000
  // The step reached last applies (the largest afterSec not above the wait).
  let step: RelaxStep | undefined
  for (const r of def?.relax ?? []) if (r.afterSec <= waitSec && (!step || r.afterSec >= step.afterSec)) step = r
  const relax = (lvl: number) => (step?.minLevel !== undefined ? Math.min(lvl, step.minLevel) : lvl)
  const own: SkillLevels = {}
  const langLevel = def?.languages?.[e.lang]
  if (langLevel !== undefined) own[e.lang] = langLevel
  for (const [s, l] of Object.entries(e.callerSkills ?? {})) own[s] = Math.max(own[s] ?? 0, l)
  const sectionSkills = Object.entries(def?.skills ?? {})
    .map(([s, l]): [string, number] => [s, Math.max(1, relax(l))])
    .sort(byName)
  const callerSkills = step?.dropCallerSkills ? [] : Object.entries(own).map(([s, l]): [string, number] => [s, Math.max(1, relax(l))]).sort(byName)
  const scoreSkills = [...new Set([...Object.keys(def?.skills ?? {}), ...Object.keys(own)])].sort()
  const overflowTo = (def?.overflow ?? []).filter((o) => o.afterSec <= waitSec && o.to !== e.section).map((o) => o.to)
  const key = `${e.section}|${pairs(sectionSkills)}|${pairs(callerSkills)}|${scoreSkills.join(',')}|${overflowTo.join(',')}`
  return { section: e.section, sectionSkills, callerSkills, scoreSkills, overflowTo, key }
}

/**
 * requirementOf with the results shared between callers whose requirement is built from the
 * same inputs (section, relax and overflow steps reached, language if it matters, own skills):
 * thousands of callers make a handful of distinct requirements.
 */
export function requirementMemo(sections: SectionMap, now: number): (e: QueueEntry) => Requirement {
  const memo = new Map<string, Requirement>()
  return (e) => {
    const def = sections.get(e.section)
    const waitSec = Math.max(0, now - e.enteredAt) / 1000
    let sig = e.section
    if (def) {
      let step = -1
      for (const r of def.relax ?? []) if (r.afterSec <= waitSec) step = Math.max(step, r.afterSec)
      let over = 0
      for (const o of def.overflow ?? []) if (o.afterSec <= waitSec) over++
      sig += `|${step}|${over}|${def.languages?.[e.lang] !== undefined ? e.lang : ''}`
    }
    if (e.callerSkills) sig += `|${JSON.stringify(e.callerSkills)}`
    let r = memo.get(sig)
    if (!r) memo.set(sig, (r = requirementOf(e, sections, now)))
    return r
  }
}

function byName(a: [string, number], b: [string, number]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

function pairs(p: Array<[string, number]>): string {
  return p.map(([s, l]) => `${s}:${l}`).join(',')
}

function level(a: AgentRecord, skill: string): number {
  return a.skills?.[skill] ?? 0
}

function meets(a: AgentRecord, need: ReadonlyArray<readonly [string, number]>): boolean {
  for (const [s, l] of need) if (level(a, s) < l) return false
  return true
}

/** Member of the section, or holder of all its (non-empty) skill requirements. */
function home(a: AgentRecord, sectionId: string, need: ReadonlyArray<readonly [string, number]>): boolean {
  return a.sections.includes(sectionId) || (need.length > 0 && meets(a, need))
}

/** Whether (and how) the agent may take a caller with this requirement; undefined = not eligible. */
export function eligibility(a: AgentRecord, req: Requirement, sections: SectionMap): Tier | undefined {
  if (!meets(a, req.callerSkills)) return undefined
  if (home(a, req.section, req.sectionSkills)) return 0
  for (const to of req.overflowTo) {
    const def = sections.get(to)
    if (home(a, to, Object.entries(def?.skills ?? {}))) return 1
  }
  return undefined
}

/** Sum of the agent's levels over the skills the caller needs (missing skills count 0). */
export function skillScore(a: AgentRecord, req: Requirement): number {
  let s = 0
  for (const k of req.scoreSkills) s += level(a, k)
  return s
}

interface Candidate {
  agent: AgentRecord
  tier: Tier
  score: number
}

/** Best first: home before overflow, best-skilled, longest idle, then id for determinism. */
function compareCandidates(x: Candidate, y: Candidate): number {
  return x.tier - y.tier || y.score - x.score || x.agent.idleSince - y.agent.idleSince || (x.agent.id < y.agent.id ? -1 : x.agent.id > y.agent.id ? 1 : 0)
}

function candidates(agents: readonly AgentRecord[], req: Requirement, sections: SectionMap): Candidate[] {
  const out: Candidate[] = []
  for (const agent of agents) {
    const tier = eligibility(agent, req, sections)
    if (tier !== undefined) out.push({ agent, tier, score: skillScore(agent, req) })
  }
  return out.sort(compareCandidates)
}

/** The continuity hold is running (its preferred agent may still come), whatever that agent's state. */
function holdRunning(e: QueueEntry, now: number): e is QueueEntry & { preferredAgent: string; preferredUntil: number } {
  return e.preferredAgent !== undefined && e.preferredUntil !== undefined && now < e.preferredUntil
}

/**
 * The agent this caller is held for, if the hold applies now: running, the agent known, logged
 * in and not paused, and eligible for the caller.
 */
export function heldFor(e: QueueEntry, byId: ReadonlyMap<string, AgentRecord>, sections: SectionMap, now: number, req?: Requirement): AgentRecord | undefined {
  if (!holdRunning(e, now)) return undefined
  const a = byId.get(e.preferredAgent)
  if (!a || !isPresent(a)) return undefined
  return eligibility(a, req ?? requirementOf(e, sections, now), sections) === undefined ? undefined : a
}

/**
 * @param waiting every queue entry of every section (any status; only 'waiting' are routed)
 * @param agents every agent (only 'ready' ones are used)
 * @param ctx section definitions and the time; without it, agents serve the sections they list
 */
export function planAssignments(waiting: readonly QueueEntry[], agents: readonly AgentRecord[], ctx?: RoutingContext): Assignment[] {
  const ready = agents.filter((a) => a.state === 'ready')
  if (ready.length === 0) return []
  const sections = sectionMap(ctx?.sections)
  const now = ctx?.now ?? 0
  const byId = new Map(agents.map((a) => [a.id, a]))
  const entries = waiting.filter((x) => x.status === 'waiting' && !(x.notBefore !== undefined && x.notBefore > now)).sort(compareEntries)
  const reqOf = requirementMemo(sections, now)
  const taken = new Set<string>()
  const done = new Set<string>()
  const out: Assignment[] = []
  const assign = (e: QueueEntry, agentId: string) => {
    taken.add(agentId)
    done.add(e.callId)
    out.push({ callId: e.callId, section: e.section, agentId })
  }
  // Continuity first: a ready preferred agent takes the best of the callers held for it.
  for (const e of entries) {
    if (!holdRunning(e, now)) continue
    const a = heldFor(e, byId, sections, now, reqOf(e))
    if (a && a.state === 'ready' && !taken.has(a.id)) assign(e, a.id)
  }
  // Then everyone in service order, each to the best eligible ready agent left.
  const pools = new Map<string, { list: Candidate[]; next: number }>()
  for (const e of entries) {
    if (taken.size === ready.length) break
    if (done.has(e.callId)) continue
    const req = reqOf(e)
    if (holdRunning(e, now) && heldFor(e, byId, sections, now, req)) continue
    let pool = pools.get(req.key)
    if (!pool) pools.set(req.key, (pool = { list: candidates(ready, req, sections), next: 0 }))
    while (pool.next < pool.list.length && taken.has(pool.list[pool.next]!.agent.id)) pool.next++
    const c = pool.list[pool.next]
    if (c) assign(e, c.agent.id)
  }
  return out
}

export interface AheadContext extends RoutingContext {
  agents: readonly AgentRecord[]
}

/**
 * How many callers will be served before this one (0 = next), or undefined if it is not among
 * `entries`. Without agents: its index in service order among `entries`.
 *
 * With agents, X counts for caller E when X competes for E's agents and goes first:
 * - E's agents are those eligible for E among agents logged in and not paused (all agents if
 *   none of those is eligible; same-section service order if no agent at all could serve E);
 * - X's agents likewise, except that an offered X has only the agent ringing for it and a
 *   held X (continuity) only its preferred agent;
 * - X goes first if it is ahead in service order, or is held for (or offered to) one of E's
 *   agents — the preferred agent takes X before anyone else;
 * - while E itself is held for its preferred agent P, only the callers held for P and ahead
 *   of E in service order count.
 * An earlier caller whose agents share only part of E's is counted in full: it may take the
 * one agent E would have had.
 */
export function callersAhead(entries: readonly QueueEntry[], callId: string, ctx?: AheadContext): number | undefined {
  const target = entries.find((e) => e.callId === callId)
  if (!target) return undefined
  if (!ctx) return entries.filter((x) => x !== target && compareEntries(x, target) < 0).length
  const sections = sectionMap(ctx.sections)
  const { now } = ctx
  const byId = new Map(ctx.agents.map((a) => [a.id, a]))
  const present = ctx.agents.filter(isPresent)
  const tReq = requirementOf(target, sections, now)
  let basis: readonly AgentRecord[] = present
  let tPool = poolOf(present, tReq, sections)
  if (tPool.size === 0) {
    basis = ctx.agents
    tPool = poolOf(basis, tReq, sections)
  }
  if (tPool.size === 0) return entries.filter((x) => x !== target && x.section === target.section && compareEntries(x, target) < 0).length
  const tHeld = heldFor(target, byId, sections, now, tReq)
  let n = 0
  if (tHeld) {
    for (const x of entries) {
      if (x === target || x.status !== 'waiting' || x.preferredAgent !== tHeld.id || compareEntries(x, target) >= 0) continue
      if (heldFor(x, byId, sections, now)?.id === tHeld.id) n++
    }
    return n
  }
  const pools = new Map<string, Set<string>>()
  const overlaps = new Map<string, boolean>()
  const reqOf = requirementMemo(sections, now)
  for (const x of entries) {
    if (x === target) continue
    const before = compareEntries(x, target) < 0
    if (x.status === 'offered') {
      if (x.offeredTo !== undefined ? tPool.has(x.offeredTo) : before) n++
      continue
    }
    if (holdRunning(x, now)) {
      const held = heldFor(x, byId, sections, now, reqOf(x))
      if (held) {
        if (tPool.has(held.id)) n++
        continue
      }
    }
    if (!before) continue
    const req = reqOf(x)
    let hit = overlaps.get(req.key)
    if (hit === undefined) {
      let pool = pools.get(req.key)
      if (!pool) pools.set(req.key, (pool = poolOf(basis, req, sections)))
      hit = false
      for (const id of pool) {
        if (tPool.has(id)) {
          hit = true
          break
        }
      }
      overlaps.set(req.key, hit)
    }
    if (hit) n++
  }
  return n
}

function poolOf(agents: readonly AgentRecord[], req: Requirement, sections: SectionMap): Set<string> {
  const s = new Set<string>()
  for (const a of agents) if (eligibility(a, req, sections) !== undefined) s.add(a.id)
  return s
}

/** Agents logged in, not paused and eligible for the caller now: those whose work shortens its wait. */
export function servingAgents(e: QueueEntry, agents: readonly AgentRecord[], ctx: RoutingContext): AgentRecord[] {
  const sections = sectionMap(ctx.sections)
  const req = requirementOf(e, sections, ctx.now)
  return agents.filter((a) => isPresent(a) && eligibility(a, req, sections) !== undefined)
}

/**
 * The next time (ms, after now) at which a waiting caller's eligible agents change by time
 * alone: a relax or overflow step reached, a continuity hold ending, a callback's retry time
 * (notBefore). undefined if none.
 */
export function nextRoutingChange(entries: readonly QueueEntry[], sections: RoutingContext['sections'], now: number): number | undefined {
  const map = sectionMap(sections)
  let next: number | undefined
  const consider = (t: number) => {
    if (t > now && (next === undefined || t < next)) next = t
  }
  for (const e of entries) {
    if (e.status !== 'waiting') continue
    const def = map.get(e.section)
    for (const r of def?.relax ?? []) consider(e.enteredAt + r.afterSec * 1000)
    for (const o of def?.overflow ?? []) consider(e.enteredAt + o.afterSec * 1000)
    if (e.preferredUntil !== undefined) consider(e.preferredUntil)
    if (e.notBefore !== undefined) consider(e.notBefore)
  }
  return next
}
