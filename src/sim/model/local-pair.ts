/**
 * Local channel pairs (core_local/core_unreal): allocation of ;1/;2 with the shared name
 * counter and id rules, the call that starts ;2's dialplan (variables and caller id copied
 * to ;2), and indications crossing the pair: what ;2 signals (ringing, answer, busy...) is
 * what ;1's far end does.
 */
import type { Sim } from '../core.js'
import { Channel, type Indication } from './channel.js'
import { setState, setVar } from './lifecycle.js'

export interface LocalTarget {
  exten: string
  context: string
}

/** "answer@sim-customers[/n]" -> exten and context (default "default"). */
export function parseLocal(resource: string): LocalTarget {
  const slash = resource.indexOf('/')
  const base = slash >= 0 ? resource.slice(0, slash) : resource
  const at = base.indexOf('@')
  if (at < 0) return { exten: base, context: 'default' }
  return { exten: base.slice(0, at), context: base.slice(at + 1) || 'default' }
}

export type AllocResult = { ch1: Channel; ch2: Channel } | { conflict: true }

/** Allocates a Local pair. The name counter is used even when the ids conflict (as traced). */
export function allocLocalPair(sim: Sim, t: LocalTarget, channelId?: string, otherChannelId?: string): AllocResult {
  const seq = sim.registry.nextUnreal()
  const now = sim.clock.now()
  const id1 = channelId || sim.registry.newUniqueId(now)
  const id2 = otherChannelId || (channelId ? `${channelId};2` : sim.registry.newUniqueId(now))
  if (sim.registry.idTaken(id1) || sim.registry.idTaken(id2) || id1.toLowerCase() === id2.toLowerCase()) return { conflict: true }
  const base = `Local/${t.exten}@${t.context}`
  const ch1 = new Channel(id1, `${base}-${seq};1`, 'Local', 'Down', t.context, t.exten, now, base)
  const ch2 = new Channel(id2, `${base}-${seq};2`, 'Local', 'Ring', t.context, t.exten, now, base)
  ch1.peer = ch2
  ch2.peer = ch1
  sim.registry.add(ch1)
  sim.registry.add(ch2)
  sim.bus.channel(ch1, 'ChannelCreated')
  sim.bus.channel(ch2, 'ChannelCreated')
  return { ch1, ch2 }
}

/**
 * The call of ;1: ;2 gets ;1's variables and caller id and starts its dialplan.
 * Returns false when the extension does not exist (local_call fails, nothing is raised).
 */
export function startLocalCall(sim: Sim, ch1: Channel, beforeDialplan?: () => void): boolean {
  const ch2 = ch1.peer
  if (!ch2 || ch2.destroyed) return false
  if (!sim.dialplan.exists(ch2.context, ch2.exten)) return false
  ch1.started = true
  ch2.started = true
  for (const [k, v] of ch1.vars) setVar(sim, ch2, k, v)
  if (ch1.caller.name || ch1.caller.number) {
    ch2.caller = { ...ch1.caller }
    ch2.connected = { ...ch1.connected }
    ch2.touch()
    sim.bus.channel(ch2, 'ChannelCallerId', `,"caller_presentation":0,"caller_presentation_txt":"Presentation Allowed, Not Screened"`)
    sim.bus.channel(ch2, 'ChannelConnectedLine')
  }
  beforeDialplan?.()
  sim.svc.startPbx(ch2, ch2.context, ch2.exten, 1)
  return true
}

/** `ch` receives an indication from its far end (the state changes, then its dial watcher). */
export function farEndIndication(sim: Sim, ch: Channel, kind: Indication): void {
  if (ch.destroyed) return
  if (kind === 'ringing' && ch.state !== 'Up' && ch.state !== 'Ringing') setState(sim, ch, 'Ringing')
  if (kind === 'answer' && ch.state !== 'Up') setState(sim, ch, 'Up')
  ch.dialWatch?.indication(kind)
}

/** `from` signals something (ast_indicate): its far end hears it. */
export function indicate(sim: Sim, from: Channel, kind: Indication): void {
  if (from.hooks) {
    from.hooks.indicated(kind)
    return
  }
  const peer = from.peer
  // the other half reads the control frame in its own thread
  if (from.tech === 'Local' && peer && !peer.destroyed) sim.defer(() => farEndIndication(sim, peer, kind))
}

/** Something that sends voice or silence (a channel playing audio, a simulated phone). */
export interface VoiceSource {
  speaking: boolean
  voiceListeners: Set<(on: boolean) => void> | undefined
}

/** Audio towards the far end starts/stops: whoever listens (AMD on the other side) hears it. */
export function setSpeaking(src: VoiceSource, on: boolean): void {
  if (src.speaking === on) return
  src.speaking = on
  const listeners = src.voiceListeners
  if (listeners) for (const fn of [...listeners]) fn(on)
}

/** What `ch` hears from its far end: the other Local half, or the simulated phone. */
export function farTalker(ch: Channel): VoiceSource | undefined {
  return ch.tech === 'Local' ? ch.peer : ch.farVoice
}
