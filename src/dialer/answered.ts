/**
 * What an answered campaign call becomes, by AMD verdict and campaign mode:
 * - machine: hung up, or (onMachine: message) the campaign_machine_message prompt, then hung up;
 * - AMD HANGUP (the callee hung up during detection): nothing more to do, no_answer;
 * - a person (AMD HUMAN, NOTSURE, or no AMD), progressive/predictive: handed to a call session
 *   that queues it for the section at top priority; an agent connected → reached (put through);
 *   none within the 2-second grace → the campaign_sorry message starts within the grace and the
 *   call is hung up → abandoned; the person hanging up before either → no_answer (not a live
 *   answer put through, nor an abandon: nobody was left waiting);
 * - a person, message campaign: the campaign's message flow in a call session → reached; the
 *   flow ending in a queue or operator node puts the person through to operators (a transfer).
 */
import type { SessionRegistry } from '../calls/registry.js'
import type { FlowRun, StartFlowParams } from '../calls/flow-run.js'
import { playToChannel } from '../calls/playback.js'
import type { EventRouter } from '../calls/router.js'
import type { DialOutcome } from '../domain/campaign.js'
import type { CampaignConfig } from '../domain/campaign.js'
import type { Channel } from '../domain/ari-models.js'
import { deriveId } from '../domain/ids.js'
import type { Logger } from '../domain/log.js'
import { prompt } from '../domain/media.js'
import type { Telephony } from '../domain/telephony.js'
import type { Classification } from './outcome.js'

/** Seconds a person who answered may wait for an agent before the information message. */
export const GRACE_MS = 2000
/** The message is asked for this long before the grace ends, so that it starts within it. */
export const MESSAGE_LEAD_MS = 500
/** Queue priority of a campaign call: before every inbound caller (a person is on the line, seconds count). */
export const OUTBOUND_PRIORITY = 1000

export interface AnsweredDeps {
  telephony: Telephony
  router: EventRouter
  log: Logger
  registry: SessionRegistry
  /** Starts a flow by id on a call (the message flow). */
  startFlow(flowId: string, p: StartFlowParams): FlowRun
}

export interface AnsweredResult {
  outcome: DialOutcome
  detail: string
  /** A person answered (counted in the abandon window: abandoned or not). */
  liveAnswer: boolean
  putThrough: boolean
  /** Resolves when the call is over, with whether the person was put through to operators (message campaigns). */
  done: Promise<{ transfer: boolean }>
}

export async function handleAnswered(d: AnsweredDeps, c: CampaignConfig, channel: Channel, cls: Classification, answeredAt?: number): Promise<AnsweredResult> {
  const hangup = () => d.telephony.channels.hangup(channel.id).catch(() => undefined)
  const noTransfer = { transfer: false }
  if (cls.outcome === 'machine') {
    let done: Promise<{ transfer: boolean }>
    if (c.onMachine === 'message') {
      done = playToChannel(d, channel.id, [prompt('campaign_machine_message')], 'it', deriveId(channel.id, 'machine-message'))
        .then(hangup)
        .then(() => noTransfer)
    } else done = hangup().then(() => noTransfer)
    return { outcome: 'machine', detail: cls.detail, liveAnswer: false, putThrough: false, done }
  }
  if (!cls.human) {
    // AMD HANGUP: the callee hung up while AMD listened.
    return { outcome: cls.outcome, detail: cls.detail, liveAnswer: false, putThrough: false, done: hangup().then(() => noTransfer) }
  }
  if (c.mode === 'message') {
    const flowId = c.messageFlow
    const r = flowId ? d.registry.outbound(channel, { kind: 'flow', start: (p) => d.startFlow(flowId, p) }) : undefined
    if (!r) {
      await hangup()
      return { outcome: 'failed', detail: flowId ? 'engine stopping: the message could not be played' : 'no message flow', liveAnswer: false, putThrough: false, done: Promise.resolve(noTransfer) }
    }
    const settled = await r.settled
    const done = r.done.then(() => {
      const k = r.session.flowOutput?.outcome.kind
      return { transfer: k === 'queue' || k === 'operator' }
    })
    if (settled === 'gone') return { outcome: 'no_answer', detail: `${cls.detail}: hung up before the message`, liveAnswer: false, putThrough: false, done }
    return { outcome: 'reached', detail: `${cls.detail}: message flow ${flowId}`, liveAnswer: true, putThrough: false, done }
  }
  const r = d.registry.outbound(channel, { kind: 'agent', section: c.section, priority: OUTBOUND_PRIORITY, graceMs: GRACE_MS, leadMs: MESSAGE_LEAD_MS, sorry: [prompt('campaign_sorry')], lang: 'it', ...(answeredAt !== undefined ? { answeredAt } : {}) })
  if (!r) {
    // The engine is stopping: the person answered and gets nobody.
    await playToChannel(d, channel.id, [prompt('campaign_sorry')], 'it', deriveId(channel.id, 'outbound-sorry')).then(hangup)
    return { outcome: 'abandoned', detail: `${cls.detail}: engine stopping`, liveAnswer: true, putThrough: false, done: Promise.resolve(noTransfer) }
  }
  const settled = await r.settled
  const done = r.done.then(() => noTransfer)
  if (settled === 'connected') return { outcome: 'reached', detail: `${cls.detail}: put through to an agent`, liveAnswer: true, putThrough: true, done }
  if (settled === 'abandoned') return { outcome: 'abandoned', detail: `${cls.detail}: no agent within ${GRACE_MS / 1000} s, information message`, liveAnswer: true, putThrough: false, done }
  return { outcome: 'no_answer', detail: `${cls.detail}: hung up before an agent took the call`, liveAnswer: false, putThrough: false, done }
}
