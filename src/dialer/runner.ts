/**
 * The runner of one campaign on this engine. Every tick (tickMs on the engine clock, and
 * after every call's end) it reads the campaign; while it is 'running' and inside a calling
 * window it asks the pacing how many calls to launch (live statistics, governor, trunk
 * channels and calls-per-second caps), claims that many due contacts under this engine's id,
 * checks each right before the dial (opt-out register, the contact's consent, the 5-day rule)
 * and dials the others. Outside the windows nothing is launched; calls in progress finish.
 *
 * An attempt's contact is completed in the store as soon as its outcome is known (the end of
 * the ringing, the AMD verdict, the agent connected or the message started), so the lock spans
 * only the ringing and detection; the call itself goes on (a talk with an agent, the message
 * flow) and holds its trunk channel until it ends. Locks of attempts still ringing are renewed,
 * lapsed locks of engines that died are released now and then.
 *
 * The 5-day rule: a contact whose number was abandoned (contact.cooldownUntil, or the national
 * register store.abandonedUntil) is not dialed before the cooldown ends, in every mode: this
 * dialer never reserves an agent first, so it never calls such a number early. The contact is
 * put back (no attempt counted) with nextAt at the cooldown's end (the next window from it).
 */
import type { CampaignConfig, DialOutcome } from '../domain/campaign.js'
import type { StoredContact } from '../domain/campaign-store.js'
import type { TimerHandle } from '../domain/clock.js'
import { deriveId } from '../domain/ids.js'
import { maskPhone } from '../domain/redact.js'
import { localTime } from '../ivr/hours.js'
import { placeAttempt } from './attempt.js'
import { handleAnswered, type AnsweredResult } from './answered.js'
import { mayDial } from './consent.js'
import { gatherInput, RingTimes } from './live-stats.js'
import { decidePacing, type PacingDecision } from './pacing.js'
import { nextAttempt } from './retry.js'
import { dialableAt, inWindow } from './windows.js'
import type { DialerDeps } from './types.js'

interface LiveCall {
  channelId: string
  contact: StoredContact
  launchedAt: number
  phase: 'ringing' | 'queued' | 'talking'
}

/** Whether a campaign dials through AMD: its own setting, else on for predictive and message campaigns. */
export function usesAmd(c: CampaignConfig): boolean {
  return c.amd ?? c.mode !== 'progressive'
}

/** Hour bucket of the statistics: the local hour in the campaign's zone, '2026-11-23T10'. */
export function hourBucket(at: number, tz = 'Europe/Rome'): string {
  const lt = localTime(at, tz)
  return `${lt.date}T${String(Math.floor(lt.minutes / 60)).padStart(2, '0')}`
}

export class CampaignRunner {
  private readonly calls = new Map<string, LiveCall>()
  private readonly ring = new RingTimes()
  private readonly pending = new Set<Promise<void>>()
  private timer: TimerHandle | undefined
  private ticking = false
  private again = false
  private stopped = false
  private lastLaunch = 0
  private lastHousekeeping = 0
  /** The latest pacing decision (for monitoring and tests). */
  lastDecision: PacingDecision | undefined
  /** The campaign is no longer running here and nothing of it is in progress. */
  idle = false

  constructor(
    private readonly d: DialerDeps,
    readonly campaignId: string,
  ) {}

  start(): void {
    this.schedule(0)
  }

  /** Calls of this campaign in progress on this engine (ringing, waiting, talking). */
  get active(): number {
    return this.calls.size
  }

  /** Asks for a tick now (a call ended, the campaign changed). */
  kick(): void {
    if (this.stopped) return
    if (this.ticking) {
      this.again = true
      return
    }
    this.timer?.cancel()
    this.schedule(0)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = this.d.clock.setTimeout(() => void this.tick(), ms)
  }

  /** Stops launching; resolves when the attempts still ringing are classified and completed. */
  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.cancel()
    await Promise.allSettled([...this.pending])
  }

  /** Hangs up the attempts still ringing (the engine is going away): each is completed without an outcome. */
  abortRinging(): void {
    for (const c of this.calls.values()) if (c.phase === 'ringing') void this.d.telephony.channels.hangup(c.channelId).catch(() => undefined)
  }

  private async tick(): Promise<void> {
    if (this.stopped) return
    this.ticking = true
    try {
      await this.tickOnce()
    } catch (err) {
      this.d.log.error({ err, campaignId: this.campaignId }, 'campaign tick failed')
    } finally {
      this.ticking = false
      if (!this.idle) this.schedule(this.again ? 0 : this.d.tickMs)
      this.again = false
    }
  }

  private async tickOnce(): Promise<void> {
    const { campaigns, clock, engineId } = this.d
    const rec = await campaigns.get(this.campaignId)
    if (!rec || rec.status !== 'running') {
      if (this.calls.size === 0) this.idle = true
      return
    }
    const c = rec.config
    const now = clock.now()
    if (now - this.lastHousekeeping >= this.d.housekeepingMs) {
      this.lastHousekeeping = now
      await campaigns.releaseExpired(c.id, now, 500)
      const ringing = [...this.calls.values()].filter((x) => x.phase === 'ringing').map((x) => x.contact.id)
      if (ringing.length > 0) await campaigns.renewLocks(c.id, engineId, ringing, now + this.d.leaseMs)
    }
    if (!inWindow(c.windows, now)) return
    const amd = usesAmd(c)
    const local = { ringing: [] as number[], queued: 0, channels: this.calls.size }
    for (const x of this.calls.values()) {
      if (x.phase === 'ringing') local.ringing.push((now - x.launchedAt) / 1000)
      else if (x.phase === 'queued') local.queued++
    }
    const { input } = await gatherInput(this.d, c, local, this.ring, now, this.lastLaunch === 0 ? 60_000 : now - this.lastLaunch, amd)
    const decision = decidePacing(input)
    this.lastDecision = decision
    if (decision.launch <= 0) return
    const claimed = await campaigns.claimDue(c.id, now, decision.launch, engineId, this.d.leaseMs)
    if (claimed.length === 0) {
      await this.maybeComplete(c)
      return
    }
    this.lastLaunch = now
    const optedOut = await campaigns.isOptedOut(claimed.map((x) => x.number))
    for (const contact of claimed) {
      const consent = mayDial(contact, optedOut)
      if (!consent.ok) {
        await campaigns.complete(c.id, contact.id, engineId, { status: 'excluded', at: now, claim: contact.lock?.claim })
        this.d.log.info({ campaignId: c.id, contact: maskPhone(contact.number), reason: consent.reason }, 'contact not dialed: no consent')
        continue
      }
      const abandoned = (await campaigns.abandonedUntil(contact.number)) ?? 0
      const cooldown = Math.max(contact.cooldownUntil ?? 0, abandoned)
      if (cooldown > now) {
        const nextAt = dialableAt(c.windows, cooldown) ?? cooldown
        await campaigns.complete(c.id, contact.id, engineId, { status: 'pending', nextAt, cooldownUntil: cooldown, at: now, claim: contact.lock?.claim })
        this.d.log.info({ campaignId: c.id, contact: maskPhone(contact.number), until: new Date(cooldown).toISOString() }, 'contact not dialed: abandoned number in its cooldown (no agent reserved)')
        continue
      }
      this.launch(c, contact, amd)
    }
  }

  private async maybeComplete(c: CampaignConfig): Promise<void> {
    if (this.calls.size > 0) return
    const counts = await this.d.campaigns.counts(c.id)
    if (counts.pending > 0 || counts.dialing > 0) return
    const r = await this.d.campaigns.setStatus(c.id, 'completed', this.d.clock.now(), ['running'])
    if (r) this.d.log.info({ campaignId: c.id }, 'campaign completed: no contact left to dial')
  }

  private launch(c: CampaignConfig, contact: StoredContact, amd: boolean): void {
    const channelId = deriveId('dial', c.id, contact.id, contact.lock?.claim ?? contact.attempts)
    const call: LiveCall = { channelId, contact, launchedAt: this.d.clock.now(), phase: 'ringing' }
    this.calls.set(channelId, call)
    const p = this.run(c, call, amd)
      .catch((err: unknown) => this.d.log.error({ err, campaignId: c.id }, 'dial attempt failed'))
      .finally(() => this.pending.delete(p))
    this.pending.add(p)
  }

  /** Places the call and records its outcome; the rest of an answered call (the talk) is followed apart. */
  private async run(c: CampaignConfig, call: LiveCall, amd: boolean): Promise<void> {
    const d = this.d
    let answered: AnsweredResult | undefined
    try {
      const end = await placeAttempt(
        { telephony: d.telephony, router: d.router, clock: d.clock, log: d.log, app: d.app },
        { channelId: call.channelId, endpoint: c.trunk.replace('{number}', call.contact.number), callerId: c.callerId, ringSeconds: c.ringSeconds, amd, appArgs: ['dialer', c.id] },
      )
      if (end.kind === 'ended') {
        if (this.stopped && !end.tracker.evidence.rang && !end.tracker.evidence.dialStatus && end.classification.outcome !== 'invalid') {
          // Hung up by our own stop before it could ring: not an attempt.
          await d.campaigns.complete(c.id, call.contact.id, d.engineId, { status: 'pending', at: d.clock.now(), claim: call.contact.lock?.claim })
          return
        }
        await this.record(c, call, end.classification.outcome, end.classification.detail, end.endedAt, { ringMs: end.endedAt - end.launchedAt })
        return
      }
      if (end.classification.human) {
        this.ring.record((end.answeredAt - end.launchedAt) / 1000)
        call.phase = c.mode === 'message' ? 'talking' : 'queued'
      } else call.phase = 'talking'
      answered = await handleAnswered({ telephony: d.telephony, router: d.router, log: d.log, registry: d.registry, startFlow: d.startFlow }, c, end.channel, end.classification, end.answeredAt)
      call.phase = 'talking'
      const amdStatus = end.tracker.evidence.amd?.status
      await this.record(c, call, answered.outcome, answered.detail, d.clock.now(), {
        ringMs: end.answeredAt - end.launchedAt,
        liveAnswer: answered.liveAnswer,
        putThrough: answered.putThrough,
        ...(amdStatus ? { amd: amdStatus } : {}),
      })
    } finally {
      if (answered) void this.follow(c, call, answered)
      else this.calls.delete(call.channelId)
      this.kick()
    }
  }

  /** The answered call goes on (agent, message flow): its trunk channel is held until it ends; transfers to operators are counted then. */
  private async follow(c: CampaignConfig, call: LiveCall, r: AnsweredResult): Promise<void> {
    try {
      const { transfer } = await r.done
      if (transfer) {
        await this.d.campaigns.bump(c.id, { transfers: 1 })
        this.d.emit({ type: 'call.transferred', callId: call.channelId, target: c.section, kind: 'section', mode: 'blind' })
      }
    } catch (err) {
      this.d.log.error({ err, campaignId: c.id }, 'campaign call failed')
    } finally {
      this.calls.delete(call.channelId)
      this.kick()
    }
  }

  /** Completes the attempt in the store (retry scheduling, statistics), the national abandoned register, counters, event, log. */
  private async record(
    c: CampaignConfig,
    call: LiveCall,
    outcome: DialOutcome,
    detail: string,
    at: number,
    x: { ringMs?: number; liveAnswer?: boolean; putThrough?: boolean; amd?: string },
  ): Promise<void> {
    const d = this.d
    const contact = call.contact
    const attempt = contact.attempts + 1
    const next = nextAttempt({ attempts: attempt, cooldownUntil: contact.cooldownUntil }, outcome, at, c)
    const done = await d.campaigns.complete(c.id, contact.id, d.engineId, {
      outcome,
      status: next.status,
      ...(next.status === 'pending' ? { nextAt: next.nextAt } : {}),
      ...(next.cooldownUntil !== undefined ? { cooldownUntil: next.cooldownUntil } : {}),
      at,
      hour: hourBucket(at, c.windows.timezone),
      claim: contact.lock?.claim,
    })
    if (!done) {
      d.log.warn({ campaignId: c.id, contact: maskPhone(contact.number), outcome }, 'attempt not recorded: the contact lock is no longer ours')
      return
    }
    if (outcome === 'abandoned') await d.campaigns.markAbandoned(contact.number, at + c.abandonedCooldownMs)
    if (x.liveAnswer) await d.campaigns.recordAnswer(c.id, at, outcome === 'abandoned')
    const counters: Record<string, number> = { attempts: 1 }
    if (x.liveAnswer) counters.human = 1
    if (outcome === 'machine') counters.machine = 1
    if (x.putThrough) counters.put_through = 1
    if (x.amd || outcome === 'reached' || outcome === 'abandoned') counters.answered = 1
    await d.campaigns.bump(c.id, counters)
    d.emit({
      type: 'dial.attempt',
      callId: call.channelId,
      campaignId: c.id,
      contactSeq: contact.seq,
      attempt,
      outcome,
      detail,
      ...(x.amd ? { amd: x.amd } : {}),
      ...(x.ringMs !== undefined ? { ringMs: x.ringMs } : {}),
    })
    d.log.info({ campaignId: c.id, contact: maskPhone(contact.number), attempt, outcome, detail, next: next.status }, 'dial attempt')
    d.onAttempt?.(c.id, outcome)
  }
}
