/**
 * Channel state changes and the ways a channel ends, as Asterisk's channel core does them:
 * state and dialplan (CEP) updates with their events, variables, soft hangups (event with
 * `soft: true`), queued hangups from the far end (event with the Q.850 cause), and
 * destruction (the Local peer gets a queued hangup with our cause, or is destroyed first if
 * it never ran). Whatever runs on the channel (its Activity) reacts to a hangup later, like
 * another thread would.
 */
import type { Sim } from '../core.js'
import type { Channel } from './channel.js'
import { causeText } from './causes.js'

export function setState(sim: Sim, ch: Channel, state: string): void {
  if (ch.state === state || ch.destroyed) return
  ch.state = state
  ch.touch()
  sim.bus.channel(ch, 'ChannelStateChange')
  if (state === 'Up') sim.bus.deviceState(ch.device, 'INUSE')
}

/**
 * Moves the channel's dialplan location/application. ChannelDialplan is raised only for a
 * non-empty application when the location changed or the previous application was empty
 * (stasis_channels.c ast_channel_snapshot_cep_equal / app.c channel_dialplan).
 */
export function setDialplan(sim: Sim, ch: Channel, context: string, exten: string, priority: number, app: string, data: string): void {
  const cepChanged = ch.context !== context || ch.exten !== exten || ch.priority !== priority
  const fromEmpty = ch.appName === '' && app !== ''
  ch.context = context
  ch.exten = exten
  ch.priority = priority
  ch.appName = app
  ch.appData = data
  ch.touch()
  if (app !== '' && (cepChanged || fromEmpty)) {
    sim.bus.channel(ch, 'ChannelDialplan', `,"dialplan_app":${JSON.stringify(app)},"dialplan_app_data":${JSON.stringify(data)}`)
  }
}

/**
 * Restores the application after an application returns (pbx_exec). Asterisk does not
 * publish a snapshot for it: events keep showing the old application until the next
 * snapshot (ChannelDestroyed shows the restored one).
 */
export function restoreApp(ch: Channel, app: string, data: string): void {
  ch.appName = app
  ch.appData = data
}

/** pbx_builtin_setvar_helper: set publishes always; deleting a non-empty value publishes "". */
export function setVar(sim: Sim, ch: Channel, name: string, value: string | undefined): void {
  if (ch.destroyed) return
  const old = ch.vars.get(name)
  if (value === undefined) {
    ch.vars.delete(name)
    if (old !== undefined && old !== '') sim.bus.varset(ch, name, '')
    return
  }
  ch.vars.set(name, value)
  sim.bus.varset(ch, name, value)
}

function scheduleReact(sim: Sim, ch: Channel): void {
  sim.defer(() => react(sim, ch))
}

/** The channel's thread notices the hangup: its activity winds down, or it is destroyed. */
export function react(sim: Sim, ch: Channel): void {
  if (ch.destroyed) return
  if (ch.activity) ch.activity.hangup()
  else destroy(sim, ch)
}

/** ast_softhangup: ChannelHangupRequest {cause: flag, soft: true}. */
export function softHangup(sim: Sim, ch: Channel, flag: number): void {
  if (ch.destroyed) return
  sim.bus.hangupRequest(ch, flag, true)
  ch.hangupRequested = true
  scheduleReact(sim, ch)
}

/** ast_softhangup_nolock: same effect, no event. */
export function softHangupSilent(sim: Sim, ch: Channel): void {
  if (ch.destroyed) return
  ch.hangupRequested = true
  scheduleReact(sim, ch)
}

/** ast_queue_hangup_with_cause: the far end hung up. */
export function queueHangup(sim: Sim, ch: Channel, cause: number): void {
  if (ch.destroyed) return
  sim.bus.hangupRequest(ch, cause, false)
  if (cause > 0) ch.hangupCause = cause
  ch.hangupRequested = true
  scheduleReact(sim, ch)
}

/** ast_hangup: the channel goes away (ChannelDestroyed with its cause). */
export function destroy(sim: Sim, ch: Channel): void {
  if (ch.destroyed || ch.destroying) return
  ch.destroying = true
  ch.activity = undefined
  sim.svc.channelGone(ch)
  const peer = ch.peer
  if (peer && !peer.destroyed && !peer.destroying) {
    if (!peer.started) destroy(sim, peer)
    else queueHangup(sim, peer, ch.hangupCause)
  }
  ch.touch()
  sim.bus.channel(ch, 'ChannelDestroyed', `,"cause":${ch.hangupCause},"cause_txt":${JSON.stringify(causeText(ch.hangupCause))}`)
  ch.destroyed = true
  ch.dialWatch = undefined
  if (!ch.internal) sim.bus.deviceState(ch.device, 'NOT_INUSE')
  sim.registry.remove(ch)
  sim.apps.channelGone(ch)
  const hooks = ch.hooks
  ch.hooks = undefined
  hooks?.destroyed(ch.hangupCause)
}
