/**
 * Discrete-event simulator of an outbound campaign in virtual time: a priority queue of events,
 * no timers. Agents (or a message flow with operators for transfers), a contact list, a callee
 * model, calling windows, retries, and a pacing controller asked every tick inside a window.
 *
 * A call: launched inside a window (never outside), it rings and is classified after the
 * callee's time: a person (handed to the longest-idle ready agent, or waiting at most the grace
 * for one; nobody free by then → abandoned, the short message plays), a machine, busy, no
 * answer, failed or invalid. Calls in progress when a window closes finish normally. Every
 * attempt ends with exactly one outcome; retries follow the RetryFn (the 5-day rule for
 * abandoned numbers included: see retry.ts).
 */
import type { DialOutcome } from '../../domain/campaign.js'
import { emptyGovernor, recordOutcomes, DEFAULT_ABANDON_WINDOW_MS, type GovernorState } from '../../dialer/governor.js'
import type { BusyAgent } from '../../dialer/pacing.js'
import type { AttemptPlan } from './callee.js'
import { LiveStats } from './live-stats.js'
import { EventQueue, TimeHeap } from './queue.js'
import { streamFor } from './rng.js'
import type { ControllerView, Counts, DayResult, DesConfig, DesResult, OutcomeCounts } from './types.js'
import { openIntervals, type OpenInterval } from './windows.js'

const enum Kind {
  Open,
  Tick,
  Classify,
  Grace,
  TalkEnd,
  WrapEnd,
  Hangup,
  ListenEnd,
  OperatorEnd,
}

const enum Phase {
  Ready,
  Talk,
  Wrap,
}

interface Call {
  contact: number
  attempt: number
  launchedAt: number
  plan: AttemptPlan
  day: number
  waiting: boolean
  agent: number
}

interface Ev {
  at: number
  kind: Kind
  call?: Call
  agent?: number
  window?: number
}

const zeroOutcomes = (): OutcomeCounts => ({ reached: 0, busy: 0, no_answer: 0, machine: 0, abandoned: 0, failed: 0, invalid: 0 })

interface DayAcc {
  date: string
  attempts: number
  outcomes: OutcomeCounts
  liveAnswers: number
  abandons: number
  busyMs: number
  loggedMs: number
  reachedSoFar: number
}

export function runDes(cfg: DesConfig): DesResult {
  return new DialerSim(cfg).run()
}

export class DialerSim {
  private q = new EventQueue<Ev>()
  private now = 0
  private readonly ringTimeout: number
  private readonly grace: number
  private readonly tickMs: number
  private readonly intervals: OpenInterval[]
  private readonly dayIndex = new Map<string, number>()
  private readonly days: DayAcc[] = []
  private window = -1
  // contacts
  private readonly traits: Float32Array
  private readonly attempts: Uint16Array
  private readonly cooldown = new Map<number, number>()
  private nextFresh = 0
  private readonly retries = new TimeHeap()
  // agents
  private readonly phase: Uint8Array
  private readonly since: Float64Array
  private readonly busyStart: Float64Array
  private readyQueue: number[] = []
  private readyHead = 0
  private waiting: Call[] = []
  private waitingHead = 0
  private queuedNow = 0
  private talking = 0
  private wrapping = 0
  // operators (message campaigns)
  private operatorsFree: number
  private transferQueue: Call[] = []
  private transferHead = 0
  // lines
  private inFlight = 0
  private readonly ringingCalls = new Set<Call>()
  private trunkInUse = 0
  private maxTrunk = 0
  // Calls-per-second cap: a token bucket of at most ceil(cps) calls, refilled at cps (as cpsAllowance).
  private tokens = 0
  private tokensAt = Number.NEGATIVE_INFINITY
  // statistics
  private readonly stats: LiveStats
  private governor: GovernorState = emptyGovernor()
  private pendingAnswers = 0
  private pendingAbandons = 0
  private pendingExpected = 0
  private readonly secStamp = new Float64Array(60).fill(-1)
  private readonly secAttempts = new Float64Array(60)
  private readonly secAnswers = new Float64Array(60)
  private readonly secAbandons = new Float64Array(60)
  private readonly totals = { outcomes: zeroOutcomes(), attempts: 0, liveAnswers: 0, abandons: 0, busyMs: 0 }
  private reached = 0
  private reachedFirst = 0
  private transfers = 0
  private stopped = false
  private targetAt: number | undefined
  private targetDays: number | undefined

  constructor(private readonly cfg: DesConfig) {
    this.ringTimeout = cfg.ringTimeoutSec ?? 25
    this.grace = cfg.graceSec ?? 2
    this.tickMs = cfg.tickMs ?? 1000
    this.intervals = openIntervals(cfg.windows, cfg.start, cfg.end)
    this.traits = new Float32Array(cfg.contacts).fill(Number.NaN)
    this.attempts = new Uint16Array(cfg.contacts)
    const n = cfg.mode === 'agents' ? cfg.agents : 0
    this.phase = new Uint8Array(n)
    this.since = new Float64Array(n)
    this.busyStart = new Float64Array(n)
    for (let i = 0; i < n; i++) this.readyQueue.push(i)
    this.operatorsFree = cfg.mode === 'message' ? (cfg.operators ?? 0) : 0
    this.stats = new LiveStats(cfg.priors)
    for (const w of this.intervals) {
      let d = this.dayIndex.get(w.date)
      if (d === undefined) {
        d = this.days.length
        this.dayIndex.set(w.date, d)
        this.days.push({ date: w.date, attempts: 0, outcomes: zeroOutcomes(), liveAnswers: 0, abandons: 0, busyMs: 0, loggedMs: 0, reachedSoFar: 0 })
      }
      this.days[d]!.loggedMs += n * (w.end - w.start)
    }
  }

  run(): DesResult {
    this.intervals.forEach((w, i) => this.q.push({ at: w.start, kind: Kind.Open, window: i }))
    for (let ev = this.q.pop(); ev; ev = this.q.pop()) {
      this.now = ev.at
      this.handle(ev)
    }
    return this.result()
  }

  private handle(ev: Ev): void {
    switch (ev.kind) {
      case Kind.Open:
        if (this.stopped) return
        this.window = ev.window!
        this.q.push({ at: this.now, kind: Kind.Tick })
        return
      case Kind.Tick:
        return this.tick()
      case Kind.Classify:
        return this.classify(ev.call!)
      case Kind.Grace:
        return this.graceOver(ev.call!)
      case Kind.TalkEnd:
        return this.talkEnd(ev.call!)
      case Kind.WrapEnd:
        return this.wrapEnd(ev.agent!, ev.call!)
      case Kind.Hangup:
        this.trunkInUse--
        return
      case Kind.ListenEnd:
        return this.listenEnd(ev.call!)
      case Kind.OperatorEnd:
        this.trunkInUse--
        this.operatorsFree++
        return this.nextTransfer()
    }
  }

  private get win(): OpenInterval {
    return this.intervals[this.window]!
  }

  private tick(): void {
    if (this.stopped || this.now >= this.win.end) return
    this.flushGovernor()
    const cps = this.cfg.maxCallsPerSecond
    const burst = Math.max(1, Math.ceil(cps))
    this.tokens = this.tokensAt === Number.NEGATIVE_INFINITY ? burst : Math.min(burst, this.tokens + (cps * (this.now - this.tokensAt)) / 1000)
    this.tokensAt = this.now
    const view = this.view()
    const d = this.cfg.controller.decide(view)
    let n = Math.floor(typeof d === 'number' ? d : d.launch)
    if (typeof d !== 'number' && d.expectedAbandons) this.pendingExpected += d.expectedAbandons
    n = Math.min(n, this.cfg.trunkCapacity - this.trunkInUse, Math.floor(this.tokens + 1e-9))
    let launched = 0
    for (let i = 0; i < n; i++) if (this.launch()) launched++
    this.tokens -= launched
    const next = this.now + this.tickMs
    if (next < this.win.end) this.q.push({ at: next, kind: Kind.Tick })
  }

  private pickContact(): number | undefined {
    const dueFirst = (this.cfg.order ?? 'due-first') === 'due-first'
    const due = this.retries.size > 0 && this.retries.peekKey()! <= this.now
    if (due && (dueFirst || this.nextFresh >= this.cfg.contacts)) return this.retries.pop()
    if (this.nextFresh < this.cfg.contacts) return this.nextFresh++
    return due ? this.retries.pop() : undefined
  }

  private launch(): boolean {
    const contact = this.pickContact()
    if (contact === undefined) return false
    const attempt = ++this.attempts[contact]!
    let trait = this.traits[contact]!
    if (Number.isNaN(trait)) {
      trait = this.cfg.callee.trait(streamFor(this.cfg.seed, contact, 0x7fffffff))
      this.traits[contact] = trait
    }
    const plan = this.cfg.callee.attempt(trait, streamFor(this.cfg.seed, contact, attempt), this.ringTimeout)
    const call: Call = { contact, attempt, launchedAt: this.now, plan, day: this.dayIndex.get(this.win.date)!, waiting: false, agent: -1 }
    this.cfg.onLaunch?.(this.now, contact, attempt)
    this.inFlight++
    this.ringingCalls.add(call)
    this.trunkInUse++
    this.maxTrunk = Math.max(this.maxTrunk, this.trunkInUse)
    this.totals.attempts++
    this.days[call.day]!.attempts++
    this.bumpSecond(this.secAttempts)
    this.q.push({ at: this.now + plan.classifySec * 1000, kind: Kind.Classify, call })
    return true
  }

  private classify(call: Call): void {
    this.inFlight--
    this.ringingCalls.delete(call)
    const plan = call.plan
    if (plan.result === 'human') {
      this.stats.attempt('live', (this.now - call.launchedAt) / 1000)
      this.pendingAnswers++
      this.totals.liveAnswers++
      this.days[call.day]!.liveAnswers++
      this.bumpSecond(this.secAnswers)
      if (this.cfg.mode === 'message') {
        this.finish(call, 'reached')
        this.q.push({ at: this.now + plan.listenSec * 1000, kind: Kind.ListenEnd, call })
        return
      }
      const agent = this.takeReady()
      if (agent !== undefined) return this.connect(call, agent)
      call.waiting = true
      this.queuedNow++
      this.waiting.push(call)
      this.q.push({ at: this.now + this.grace * 1000, kind: Kind.Grace, call })
      return
    }
    if (plan.result === 'machine') {
      this.stats.attempt('machine')
      this.finish(call, 'machine')
      const leave = this.cfg.machineMessageSec ?? 0
      if (leave > 0) this.q.push({ at: this.now + leave * 1000, kind: Kind.Hangup })
      else this.trunkInUse--
      return
    }
    this.stats.attempt('other')
    this.trunkInUse--
    this.finish(call, plan.result)
  }

  private takeReady(): number | undefined {
    if (this.readyHead >= this.readyQueue.length) return undefined
    const a = this.readyQueue[this.readyHead++]!
    if (this.readyHead > 1024 && this.readyHead * 2 > this.readyQueue.length) {
      this.readyQueue = this.readyQueue.slice(this.readyHead)
      this.readyHead = 0
    }
    return a
  }

  private connect(call: Call, agent: number): void {
    this.finish(call, 'reached')
    call.agent = agent
    this.phase[agent] = Phase.Talk
    this.since[agent] = this.now
    this.busyStart[agent] = this.now
    this.talking++
    this.q.push({ at: this.now + call.plan.talkSec * 1000, kind: Kind.TalkEnd, call })
  }

  private graceOver(call: Call): void {
    if (!call.waiting) return
    call.waiting = false
    this.queuedNow--
    this.pendingAbandons++
    this.totals.abandons++
    this.days[call.day]!.abandons++
    this.bumpSecond(this.secAbandons)
    this.finish(call, 'abandoned')
    this.q.push({ at: this.now + (this.cfg.abandonMessageSec ?? 8) * 1000, kind: Kind.Hangup })
  }

  private talkEnd(call: Call): void {
    this.trunkInUse--
    const agent = call.agent
    this.talking--
    this.wrapping++
    this.phase[agent] = Phase.Wrap
    this.since[agent] = this.now
    this.q.push({ at: this.now + call.plan.wrapSec * 1000, kind: Kind.WrapEnd, agent, call })
  }

  private wrapEnd(agent: number, call: Call): void {
    this.wrapping--
    this.stats.handled(call.plan.talkSec, call.plan.wrapSec)
    this.addBusy(this.busyStart[agent]!, this.now)
    this.phase[agent] = Phase.Ready
    this.since[agent] = this.now
    while (this.waitingHead < this.waiting.length) {
      const w = this.waiting[this.waitingHead++]!
      if (!w.waiting) continue
      w.waiting = false
      this.queuedNow--
      return this.connect(w, agent)
    }
    this.waiting = []
    this.waitingHead = 0
    this.readyQueue.push(agent)
  }

  private listenEnd(call: Call): void {
    if (!call.plan.transfer) {
      this.trunkInUse--
      return
    }
    this.transfers++
    this.transferQueue.push(call)
    this.nextTransfer()
  }

  private nextTransfer(): void {
    while (this.operatorsFree > 0 && this.transferHead < this.transferQueue.length) {
      const call = this.transferQueue[this.transferHead++]!
      this.operatorsFree--
      this.q.push({ at: this.now + call.plan.operatorSec * 1000, kind: Kind.OperatorEnd })
    }
    if (this.transferHead === this.transferQueue.length) {
      this.transferQueue = []
      this.transferHead = 0
    }
  }

  private finish(call: Call, outcome: DialOutcome): void {
    this.cfg.onOutcome?.(this.now, call.contact, call.attempt, outcome)
    this.totals.outcomes[outcome]++
    this.days[call.day]!.outcomes[outcome]++
    const contact = call.contact
    if (outcome === 'reached') {
      this.reached++
      if (call.attempt === 1) this.reachedFirst++
      if (this.cfg.stopAtReached !== undefined && !this.stopped && this.reached >= this.cfg.stopAtReached) {
        this.stopped = true
        this.targetAt = this.now
        this.targetDays = this.window + 1 > 0 ? new Set(this.intervals.slice(0, this.window + 1).map((w) => w.date)).size : 0
      }
      return
    }
    const cooldownUntil = this.cooldown.get(contact)
    const c = cooldownUntil === undefined ? { attempts: call.attempt } : { attempts: call.attempt, cooldownUntil }
    const d = this.cfg.retry(c, outcome, this.now)
    if (d.cooldownUntil !== undefined) this.cooldown.set(contact, d.cooldownUntil)
    if (d.status === 'pending') this.retries.push(Math.max(d.nextAt, this.now), contact)
  }

  private addBusy(from: number, to: number): void {
    // A busy period overlaps at most the window it started in (windows are hours apart).
    let i = this.window
    while (i > 0 && this.intervals[i]!.start > from) i--
    const w = this.intervals[i]
    if (!w) return
    const ms = Math.max(0, Math.min(to, w.end) - Math.max(from, w.start))
    this.totals.busyMs += ms
    this.days[this.dayIndex.get(w.date)!]!.busyMs += ms
  }

  private flushGovernor(): void {
    if (this.pendingAnswers === 0 && this.pendingAbandons === 0 && this.pendingExpected === 0) return
    const counts = { answers: this.pendingAnswers, abandons: this.pendingAbandons, expected: this.pendingExpected }
    this.governor = recordOutcomes(this.governor, this.now, counts, this.cfg.governor?.windowMs ?? DEFAULT_ABANDON_WINDOW_MS)
    this.pendingAnswers = 0
    this.pendingAbandons = 0
    this.pendingExpected = 0
  }

  private bumpSecond(counter: Float64Array): void {
    const sec = Math.floor(this.now / 1000)
    const slot = sec % 60
    if (this.secStamp[slot] !== sec) {
      this.secStamp[slot] = sec
      this.secAttempts[slot] = 0
      this.secAnswers[slot] = 0
      this.secAbandons[slot] = 0
    }
    counter[slot] = counter[slot]! + 1
  }

  private lastMinute(): Counts {
    const sec = Math.floor(this.now / 1000)
    const out = { attempts: 0, liveAnswers: 0, abandons: 0 }
    for (let s = 0; s < 60; s++) {
      if (this.secStamp[s]! <= sec - 60) continue
      out.attempts += this.secAttempts[s]!
      out.liveAnswers += this.secAnswers[s]!
      out.abandons += this.secAbandons[s]!
    }
    return out
  }

  private view(): ControllerView {
    const stats = this.stats.snapshot()
    const day = this.days[this.dayIndex.get(this.win.date)!]!
    const agents = this.phase.length
    const ready = this.readyQueue.length - this.readyHead
    return {
      now: this.now,
      agents,
      ready,
      talking: this.talking,
      wrapping: this.wrapping,
      inFlight: this.inFlight,
      queued: this.queuedNow,
      trunkInUse: this.trunkInUse,
      trunkCapacity: this.cfg.trunkCapacity,
      maxCallsPerSecond: this.cfg.maxCallsPerSecond,
      // The bucket's credit as time (what cpsAllowance turns back into calls).
      sinceLastLaunchMs: this.cfg.maxCallsPerSecond > 0 ? (this.tokens * 1000) / this.cfg.maxCallsPerSecond : 0,
      windowEnd: this.win.end,
      graceSec: this.grace,
      ringTimeoutSec: this.ringTimeout,
      stats,
      governor: this.governor,
      today: { attempts: day.attempts, liveAnswers: day.liveAnswers, abandons: day.abandons },
      lastMinute: this.lastMinute(),
      transfers: { waiting: this.transferQueue.length - this.transferHead, operatorsFree: this.operatorsFree },
      busyAgents: () => {
        const out: BusyAgent[] = []
        const wrap = { meanSec: stats.wrapMeanSec, cv: stats.wrapCv }
        for (let a = 0; a < agents; a++) {
          const ph = this.phase[a]
          if (ph === Phase.Talk) out.push({ elapsedSec: (this.now - this.since[a]!) / 1000, meanSec: stats.talkMeanSec, cv: stats.talkCv, then: wrap })
          else if (ph === Phase.Wrap) out.push({ elapsedSec: (this.now - this.since[a]!) / 1000, meanSec: stats.wrapMeanSec, cv: stats.wrapCv })
        }
        return out
      },
      ringing: () => {
        const out: number[] = []
        for (const c of this.ringingCalls) out.push((this.now - c.launchedAt) / 1000)
        return out
      },
    }
  }

  private result(): DesResult {
    let reachedSoFar = 0
    const days: DayResult[] = this.days.map((d) => {
      reachedSoFar += d.outcomes.reached
      return {
        date: d.date,
        attempts: d.attempts,
        outcomes: d.outcomes,
        liveAnswers: d.liveAnswers,
        abandons: d.abandons,
        abandonRate: d.liveAnswers > 0 ? d.abandons / d.liveAnswers : 0,
        busyMs: d.busyMs,
        loggedMs: d.loggedMs,
        occupancy: d.loggedMs > 0 ? d.busyMs / d.loggedMs : 0,
        reachedSoFar,
      }
    }).filter((d) => d.attempts > 0)
    // Window time of the days that dialed, up to the target when the run stopped there.
    const until = this.targetAt ?? Number.POSITIVE_INFINITY
    const windowMs = this.intervals
      .filter((w) => days.some((d) => d.date === w.date))
      .reduce((s, w) => s + Math.max(0, Math.min(w.end, until) - w.start), 0)
    const windowHours = windowMs / 3_600_000
    const agents = this.phase.length
    const t = this.totals
    const out: DesResult = {
      controller: this.cfg.controller.name,
      attempts: t.attempts,
      outcomes: t.outcomes,
      liveAnswers: t.liveAnswers,
      abandons: t.abandons,
      abandonRate: t.liveAnswers > 0 ? t.abandons / t.liveAnswers : 0,
      worstDayAbandonRate: days.reduce((m, d) => Math.max(m, d.abandonRate), 0),
      occupancy: agents > 0 && windowMs > 0 ? t.busyMs / (agents * windowMs) : 0,
      windowHours,
      callsPerHour: windowHours > 0 ? t.attempts / windowHours : 0,
      reachedPerAgentHour: agents > 0 && windowHours > 0 ? t.outcomes.reached / (agents * windowHours) : 0,
      reached: this.reached,
      contactsDialed: this.nextFresh,
      reachedFirstCall: this.reachedFirst,
      transfers: this.transfers,
      days,
      maxTrunkInUse: this.maxTrunk,
    }
    if (this.targetAt !== undefined) out.targetAt = this.targetAt
    if (this.targetDays !== undefined) out.targetDays = this.targetDays
    return out
  }
}
