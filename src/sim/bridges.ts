/**
 * Bridge behaviour (bridge.c, bridge_channel.c, res_stasis): joining and leaving with
 * ChannelEnteredBridge/ChannelLeftBridge, BRIDGEPEER as Asterisk computes it (two-party and
 * multi-party lists, smart technology switch that moves the newcomer first when a mixing
 * bridge grows past two, nothing in holding bridges), the hidden MoH announcer, bridge
 * playbacks through a hidden announcer channel, and destruction.
 */
import type { Sim } from './core.js'
import type { Channel } from './model/channel.js'
import { Bridge, type Member } from './model/bridge.js'
import { setVar } from './model/lifecycle.js'
import { controlOf } from './stasis.js'
import type { Playback } from './playback.js'

function peerVar(sim: Sim, m: Member, value: string | undefined): void {
  if (m.ch) setVar(sim, m.ch, 'BRIDGEPEER', value)
}

/** set_bridge_peer_vars */
function setPeerVars(sim: Sim, b: Bridge): void {
  const ms = b.members
  if (b.type === 'holding') {
    for (const m of ms) peerVar(sim, m, undefined)
    return
  }
  if (ms.length < 2) return
  if (ms.length === 2) {
    const [c0, c1] = [ms[0]!, ms[1]!]
    peerVar(sim, c0, c1.name)
    peerVar(sim, c1, c0.name)
    return
  }
  const names = ms.slice(0, 11).map((m) => m.name)
  ms.forEach((m, idx) => peerVar(sim, m, names.filter((_n, i) => i !== idx).join(',')))
}

function notifyBridged(b: Bridge): void {
  if (b.type !== 'mixing') return
  const real = b.members.filter((m) => m.ch)
  if (real.length < 2) return
  for (const m of real) {
    const other = real.find((o) => o !== m)
    if (m.ch?.hooks && other?.ch) m.ch.hooks.bridged(other.ch.device)
  }
}

function push(sim: Sim, b: Bridge, m: Member): void {
  const before = b.members.length
  b.members.push(m)
  if (b.type === 'mixing' && before <= 2 && b.members.length > 2) {
    // smart bridge: simple_bridge -> softmix moves the channels already there behind the newcomer
    b.members = [m, ...b.members.slice(0, -1)]
  }
  b.touch()
  setPeerVars(sim, b)
}

export function joinBridge(sim: Sim, b: Bridge, ch: Channel, role: string): void {
  if (ch.bridge === b) {
    ch.bridgeRole = role
    const m = b.members.find((x) => x.ch === ch)
    if (m) m.role = role
    return
  }
  if (ch.bridge) leaveBridge(sim, ch)
  const app = controlOf(ch)?.app
  const m: Member = { ch, name: ch.name, role, app }
  ch.bridge = b
  ch.bridgeRole = role
  b.visible.push(ch)
  b.touch()
  if (app) sim.apps.subscribeBridge(app, b)
  sim.bus.bridgeEvent('ChannelEnteredBridge', bridgeAfter(b, m), b, ch)
  push(sim, b, m)
  notifyBridged(b)
  if (b.moh && ch.hooks) ch.hooks.moh(true, b.mohClass)
}

/** Snapshot as it will be once `m` is in (ChannelEnteredBridge shows the newcomer). */
function bridgeAfter(b: Bridge, _m: Member): string {
  return b.snapshotJson()
}

function pull(sim: Sim, b: Bridge, m: Member, reconfigure: boolean): void {
  b.members = b.members.filter((x) => x !== m)
  b.touch()
  if (reconfigure && !b.destroyed) setPeerVars(sim, b)
}

export function leaveBridge(sim: Sim, ch: Channel): void {
  const b = ch.bridge as Bridge | undefined
  if (!b) return
  const m = b.members.find((x) => x.ch === ch)
  for (const pb of [...sim.playbacks.values()]) if (pb.targetUri === `channel:${ch.id}`) pb.leftBridge(b)
  setVar(sim, ch, 'BRIDGEPEER', undefined)
  ch.bridge = undefined
  ch.bridgeRole = ''
  const i = b.visible.indexOf(ch)
  if (i >= 0) b.visible.splice(i, 1)
  b.touch()
  if (m) b.members = b.members.filter((x) => x !== m)
  sim.bus.bridgeEvent('ChannelLeftBridge', b.snapshotJson(), b, ch)
  if (m?.app) sim.apps.unsubscribeBridge(m.app, b)
  if (!b.destroyed) setPeerVars(sim, b)
  if (b.moh && ch.hooks) ch.hooks.moh(false)
}

export function createBridge(sim: Sim, id: string, name: string, types: string): Bridge | undefined {
  let mixing = false
  let holding = false
  let video = 'talker'
  for (const t of types.split(',').map((x) => x.trim())) {
    if (t === 'mixing') mixing = true
    else if (t === 'holding') holding = true
    else if (t === 'video_sfu') video = 'sfu'
    else if (t === 'video_single') video = 'single'
  }
  if ((!mixing && !holding) || (mixing && holding)) return undefined
  const b = new Bridge(id, name, holding ? 'holding' : 'mixing', video, sim.clock.now())
  sim.bridges.set(id, b)
  sim.bus.bridgeEvent('BridgeCreated', b.snapshotJson(), b)
  return b
}

function hidden(sim: Sim, b: Bridge, label: string, role = ''): Member {
  const m: Member = { ch: undefined, name: `Announcer/${label}-${sim.registry.nextUnreal()};2`, role, app: undefined }
  push(sim, b, m)
  return m
}

export function startBridgeMoh(sim: Sim, b: Bridge, mohClass: string): void {
  b.mohClass = mohClass
  if (!b.moh) b.moh = hidden(sim, b, 'ARI_MOH')
  for (const ch of b.visible) ch.hooks?.moh(true, mohClass)
}

/** false when no MoH is playing (409). */
export function stopBridgeMoh(sim: Sim, b: Bridge): boolean {
  if (!b.moh) return false
  const m = b.moh
  b.moh = undefined
  pull(sim, b, m, true)
  for (const ch of b.visible) ch.hooks?.moh(false)
  return true
}

/** Channels that hear what is played to the bridge (holding: participants only). */
export function bridgeHearers(b: Bridge): Channel[] {
  return b.visible.filter((c) => b.type !== 'holding' || c.bridgeRole !== 'announcer')
}

export function bridgePlay(sim: Sim, b: Bridge, pb: Playback): void {
  if (!b.announcer) {
    if (b.type === 'holding' && b.hasAnnouncerRole()) {
      sim.logger.debug({ bridge: b.id }, 'Announcer tried to be an announcer. Bridge already has one.')
      sim.defer(() => pb.failNow())
      return
    }
    b.announcer = hidden(sim, b, 'ARI', b.type === 'holding' ? 'announcer' : '')
  }
  b.playQueue.push(pb)
  pumpBridge(sim, b)
}

function pumpBridge(sim: Sim, b: Bridge): void {
  if (b.playing || b.destroyed) return
  const next = b.playQueue.shift()
  if (!next) {
    if (b.announcer) {
      const m = b.announcer
      b.announcer = undefined
      pull(sim, b, m, true)
    }
    return
  }
  b.playing = next
  next.command().run(() => {
    b.playing = undefined
    sim.defer(() => pumpBridge(sim, b))
  })
}

export function destroyBridge(sim: Sim, b: Bridge): void {
  if (b.destroyed) return
  b.destroyed = true
  sim.bridges.delete(b.id)
  b.playQueue.splice(0).forEach((p) => sim.playbacks.delete(p.id))
  b.playing?.stop()
  for (const ch of [...b.visible]) leaveBridge(sim, ch)
  b.members = []
  b.moh = undefined
  b.announcer = undefined
  b.touch()
  sim.bus.bridgeEvent('BridgeDestroyed', b.snapshotJson(), b)
  sim.apps.bridgeGone(b)
}
