/**
 * Simulated PJSIP far ends (agent phones, numbers behind the trunk). Dialing one starts its
 * behaviour: 180 Ringing after 100 ms, then answer, 486 Busy (cause 17), 503 (cause 34) or
 * endless ringing; once answered, what it says (a machine's long greeting, a human's short
 * "hello", or silence) and an optional hangup (BYE, cause 16).
 * An endpoint that resolves to no behaviour, or an unreachable one, cannot be allocated:
 * chan_pjsip fails the request ("endpoint not found" / "No URI available. Is endpoint
 * registered?"), so ARI answers 500 {"error":"Allocation failed"}.
 */
import type { Sim } from './core.js'
import { Channel } from './model/channel.js'
import { queueHangup } from './model/lifecycle.js'
import { farEndIndication, setSpeaking, type VoiceSource } from './model/local-pair.js'
import type { PhoneBehaviour } from './types.js'

export const RING_AFTER_MS = 100
export const DEFAULT_ANSWER_AFTER_MS = 1000

export interface PjsipTarget {
  /** Endpoint name (the part after @, or the whole resource). */
  endpoint: string
  /** The full dial string given, e.g. PJSIP/3331234567@trunk. */
  dial: string
  resource: string
}

export function parsePjsip(resource: string): PjsipTarget {
  const at = resource.indexOf('@')
  const endpoint = at >= 0 ? resource.slice(at + 1) : resource
  return { endpoint, resource, dial: `PJSIP/${resource}` }
}

/** Allocates an outgoing PJSIP channel, or undefined when the id is taken. */
export function allocPjsip(sim: Sim, t: PjsipTarget, channelId?: string): Channel | undefined {
  const now = sim.clock.now()
  const id = channelId || sim.registry.newUniqueId(now)
  if (sim.registry.idTaken(id)) return undefined
  const ch = new Channel(id, `PJSIP/${t.endpoint}-${sim.registry.nextPjsip()}`, 'PJSIP', 'Down', 'default', 's', now, `PJSIP/${t.endpoint}`)
  sim.registry.add(ch)
  sim.bus.channel(ch, 'ChannelCreated')
  return ch
}

/** The phone starts ringing because `ch` dialed it. */
export function startPhone(sim: Sim, ch: Channel, b: PhoneBehaviour): void {
  const voice: VoiceSource = { speaking: false, voiceListeners: undefined }
  ch.farVoice = voice
  const later = (ms: number, fn: () => void): void => {
    const t = sim.after(ms, () => {
      if (!ch.destroyed) fn()
    })
    ch.onGone(() => t.cancel())
  }
  if (b.busy || b.congestion) {
    const cause = b.busy ? 17 : 34
    later(Math.max(0, b.rejectAfterMs ?? RING_AFTER_MS), () => {
      ch.hangupCause = cause
      farEndIndication(sim, ch, b.busy ? 'busy' : 'congestion')
      queueHangup(sim, ch, cause)
    })
    return
  }
  later(RING_AFTER_MS, () => farEndIndication(sim, ch, 'ringing'))
  if (b.noAnswer) return
  const answerAt = RING_AFTER_MS + Math.max(0, b.answerAfterMs ?? DEFAULT_ANSWER_AFTER_MS)
  later(answerAt, () => {
    farEndIndication(sim, ch, 'answer')
    if (b.machine) {
      later(300, () => setSpeaking(voice, true))
      later(300 + 15000, () => setSpeaking(voice, false))
    } else if (!b.silent) {
      later(300, () => setSpeaking(voice, true))
      later(300 + 700, () => setSpeaking(voice, false))
    }
    if (b.hangupAfterMs !== undefined) later(Math.max(0, b.hangupAfterMs), () => queueHangup(sim, ch, 16))
  })
}
