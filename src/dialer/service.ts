/**
 * The dialer service of one engine: a CampaignRunner per campaign that is 'running' in the
 * campaign store. Campaigns are created, started, paused and stopped by the API and the CLI,
 * which only write the store: the service reads the list every pollMs (or at once on kick())
 * and starts a runner for each running campaign; a runner whose campaign is no longer running
 * launches nothing more and goes away once its calls are over. Several engines may run the same
 * campaign: the store's claims keep any contact with one engine at a time.
 *
 * stop(): no new launch; the attempts still ringing are given up to drainMs to end, then hung
 * up (a call hung up by us before it rang is put back without counting an attempt); calls
 * already answered belong to their call sessions, which the app stops after this.
 */
import type { DialOutcome } from '../domain/campaign.js'
import type { TimerHandle } from '../domain/clock.js'
import { CampaignRunner } from './runner.js'
import type { DialerDeps, DialerOptions } from './types.js'

export type DialerServiceDeps = Omit<DialerDeps, 'tickMs' | 'leaseMs' | 'housekeepingMs'> & DialerOptions

export class DialerService {
  private readonly runners = new Map<string, CampaignRunner>()
  private readonly deps: DialerDeps
  private readonly pollMs: number
  private timer: TimerHandle | undefined
  private polling = false
  private stopped = true
  private readonly counts = new Map<string, Partial<Record<DialOutcome, number>>>()

  constructor(d: DialerServiceDeps) {
    this.pollMs = d.pollMs ?? 1000
    const onAttempt = d.onAttempt
    this.deps = {
      ...d,
      tickMs: d.tickMs ?? 1000,
      leaseMs: d.leaseMs ?? 5 * 60_000,
      housekeepingMs: d.housekeepingMs ?? 30_000,
      onAttempt: (id, outcome) => {
        const c = this.counts.get(id) ?? {}
        c[outcome] = (c[outcome] ?? 0) + 1
        this.counts.set(id, c)
        onAttempt?.(id, outcome)
      },
    }
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(0)
  }

  /** Reads the campaigns now (a campaign was started, paused or stopped) and lets every runner decide. */
  kick(): void {
    if (this.stopped) return
    for (const r of this.runners.values()) r.kick()
    this.timer?.cancel()
    this.schedule(0)
  }

  /** Runner of a campaign on this engine, if any (monitoring, tests). */
  runner(campaignId: string): CampaignRunner | undefined {
    return this.runners.get(campaignId)
  }

  /** Attempts this engine recorded, by campaign and outcome. */
  attempts(): Record<string, Partial<Record<DialOutcome, number>>> {
    return Object.fromEntries([...this.counts].map(([k, v]) => [k, { ...v }]))
  }

  /** Calls of every campaign in progress on this engine. */
  get active(): number {
    let n = 0
    for (const r of this.runners.values()) n += r.active
    return n
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = this.deps.clock.setTimeout(() => void this.poll(), ms)
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.polling) return
    this.polling = true
    try {
      const list = await this.deps.campaigns.list()
      for (const rec of list) {
        if (rec.status !== 'running' || this.runners.has(rec.config.id)) continue
        const r = new CampaignRunner(this.deps, rec.config.id)
        this.runners.set(rec.config.id, r)
        this.deps.log.info({ campaignId: rec.config.id, mode: rec.config.mode }, 'campaign runner started')
        r.start()
      }
      for (const [id, r] of this.runners) {
        if (!r.idle) continue
        this.runners.delete(id)
        await r.stop()
        this.deps.log.info({ campaignId: id }, 'campaign runner ended')
      }
    } catch (err) {
      this.deps.log.error({ err }, 'could not read the campaigns')
    } finally {
      this.polling = false
      this.schedule(this.pollMs)
    }
  }

  async stop(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.timer?.cancel()
    const runners = [...this.runners.values()]
    const all = Promise.allSettled(runners.map((r) => r.stop()))
    const drainMs = opts.drainMs ?? 0
    let t: TimerHandle | undefined
    const drained = await Promise.race([all.then(() => true), new Promise<boolean>((r) => (t = this.deps.clock.setTimeout(() => r(false), drainMs)))])
    t?.cancel()
    if (!drained) {
      for (const r of runners) r.abortRinging()
      await all
    }
    this.runners.clear()
  }
}
