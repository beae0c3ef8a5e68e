/**
 * The live statistics the pacing decides from, gathered for one campaign on this engine:
 * agents of the campaign's section (ready, and busy with how long: from the shared agent
 * records), the campaign's shared statistics in the store (answer and machine rates, samples,
 * attempts in flight on every engine, the rolling abandon window) and what this engine measured
 * itself (time from launch to a live answer, the calls it has ringing or waiting for an agent).
 * The governor's advice (governor.ts) turns the abandon window into the risk the pacing may take.
 */
import type { AcdService } from '../acd/service.js'
import type { CampaignConfig } from '../domain/campaign.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import type { Store } from '../domain/store.js'
import { adviseGovernor, emptyGovernor, recordOutcomes, type GovernorAdvice } from './governor.js'
import type { BusyAgent, PacingInput } from './pacing.js'

/** Prior time from launch to a live answer handed over (ring + detection), before any is measured. */
const PRIOR_RING_SEC = 10
const PRIOR_HANDLE_SEC = 120

/** Running mean and spread (Welford) of the launch-to-live-answer time measured here. */
export class RingTimes {
  private n = 0
  private mean = 0
  private m2 = 0
  record(sec: number): void {
    this.n++
    const d = sec - this.mean
    this.mean += d / this.n
    this.m2 += d * (sec - this.mean)
  }
  get meanSec(): number {
    return this.n === 0 ? PRIOR_RING_SEC : (this.mean * this.n + PRIOR_RING_SEC) / (this.n + 1)
  }
  get cv(): number {
    if (this.n < 5 || this.mean <= 0) return 0.5
    return Math.max(0.1, Math.sqrt(this.m2 / (this.n - 1)) / this.mean)
  }
}

export interface LocalCalls {
  /** Seconds since launch of each call of this engine not yet answered or classified. */
  ringing: number[]
  /** Persons who answered and wait (within the grace) for an agent. */
  queued: number
  /** Trunk channels this campaign holds on this engine (ringing, waiting, talking, playing). */
  channels: number
}

export interface LiveInput {
  input: PacingInput
  advice: GovernorAdvice
}

export async function gatherInput(
  d: { store: Store; campaigns: CampaignStore; acd: AcdService },
  c: CampaignConfig,
  local: LocalCalls,
  ring: RingTimes,
  now: number,
  sinceLastLaunchMs: number,
  amd: boolean,
): Promise<LiveInput> {
  const [agents, stats, inFlight, win] = await Promise.all([d.store.agents.list(), d.campaigns.stats(c.id), d.campaigns.inFlight(c.id), d.campaigns.abandonWindow(c.id, now, c.abandonWindowMs)])
  const section = d.acd.section(c.section)
  const wrapSec = section?.wrapUpSec ?? 0
  const handleSec = d.acd.handleTimes.section(c.section, section?.expectedHandleSec ?? PRIOR_HANDLE_SEC)
  let ready = 0
  const busy: BusyAgent[] = []
  for (const a of agents) {
    if (!a.sections.includes(c.section)) continue
    const elapsedSec = Math.max(0, (now - a.since) / 1000)
    if (a.state === 'ready') ready++
    else if (a.state === 'on_call' || a.state === 'reserved') busy.push({ elapsedSec, meanSec: Math.max(1, handleSec - wrapSec), ...(wrapSec > 0 ? { then: { meanSec: wrapSec, cv: 0.3 } } : {}) })
    else if (a.state === 'wrap_up') busy.push({ elapsedSec, meanSec: Math.max(1, wrapSec), cv: 0.3 })
  }
  const o = stats.byOutcome
  const samples = Object.values(o).reduce((a, b) => a + (b ?? 0), 0)
  const human = (o.reached ?? 0) + (o.abandoned ?? 0)
  const answerRate = samples > 0 ? human / samples : 0.5
  const machineRate = samples > 0 ? (o.machine ?? 0) / samples : 0
  // Calls in flight on the other engines share the agents too: counted, their ages unknown (taken as just launched).
  const everywhere = Object.values(inFlight).reduce((a, b) => a + b, 0)
  const others = Math.max(0, everywhere - local.ringing.length - local.queued)
  const ringing = [...local.ringing, ...new Array<number>(others).fill(0)]
  const advice = adviseGovernor(recordOutcomes(emptyGovernor(), now, win, c.abandonWindowMs), now, { ceiling: c.abandonCeiling, windowMs: c.abandonWindowMs })
  let transfers: PacingInput['transfers']
  if (c.mode === 'message') {
    const waiting = (await d.store.queues.list(c.section, 1000)).filter((e) => e.status === 'waiting').length
    transfers = { waiting, operatorsFree: ready }
  }
  const input: PacingInput = {
    mode: c.mode,
    readyAgents: ready,
    busyAgents: busy,
    inFlight: ringing.length,
    ringing,
    queued: local.queued,
    answerRate,
    machineRate,
    samples,
    meanRingSec: ring.meanSec,
    ringCv: ring.cv,
    maxRingSec: c.ringSeconds + (amd ? 6 : 0),
    meanHandleSec: handleSec,
    abandonRate: advice.level,
    abandonCeiling: c.abandonCeiling,
    targetRisk: advice.targetRisk,
    trunkInUse: local.channels,
    trunkCapacity: c.maxChannels,
    maxCallsPerSecond: c.maxCallsPerSecond,
    sinceLastLaunchMs,
    graceSec: 2,
    ...(transfers ? { transfers } : {}),
  }
  return { input, advice }
}
