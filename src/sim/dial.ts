/**
 * Outgoing calls: POST /channels (originate: ast_dial on the new channel, then the app or the
 * dialplan target once answered), POST /channels/create (the channel enters Stasis at once,
 * idle) and POST /channels/{id}/dial (ARI dial). Dial events follow the traces: originate
 * repeats the dial string in every Dial event and gives no final Dial on timeout; ARI dial
 * sends the dial string only in the first Dial event.
 */
import type { Sim } from './core.js'
import type { Channel, DialWatch, Indication } from './model/channel.js'
import { causeToDialStatus, SOFT } from './model/causes.js'
import { destroy, setDialplan, setVar, softHangup, softHangupSilent } from './model/lifecycle.js'
import { allocLocalPair, parseLocal, startLocalCall } from './model/local-pair.js'
import { allocPjsip, parsePjsip, startPhone } from './phones.js'
import { enterStasis, type StasisExit } from './stasis.js'
import type { PhoneBehaviour } from './types.js'

export interface ApiError {
  status: number
  body: Record<string, unknown>
}

export const allocFailed = (): ApiError => ({ status: 500, body: { error: 'Allocation failed' } })
const idExists = (): ApiError => ({ status: 409, body: { message: 'Channel with given unique ID already exists' } })

export interface OriginateArgs {
  endpoint: string
  extension?: string
  context?: string
  priority?: number
  app?: string
  appArgs?: string
  callerId?: string
  timeout?: number
  channelId?: string
  otherChannelId?: string
  variables?: Record<string, string>
}

interface Allocated {
  ch: Channel
  dialstring: string
  phone?: PhoneBehaviour
  peer?: Channel
}

function allocate(sim: Sim, endpoint: string, channelId?: string, otherChannelId?: string): Allocated | ApiError {
  const slash = endpoint.indexOf('/')
  const tech = slash > 0 ? endpoint.slice(0, slash) : ''
  const resource = slash > 0 ? endpoint.slice(slash + 1) : ''
  if (!tech || !resource) return { status: 400, body: { message: 'Invalid endpoint specified' } }
  if (tech.toLowerCase() === 'local') {
    const r = allocLocalPair(sim, parseLocal(resource), channelId, otherChannelId)
    if ('conflict' in r) return idExists()
    return { ch: r.ch1, peer: r.ch2, dialstring: resource }
  }
  if (tech.toLowerCase() === 'pjsip') {
    const t = parsePjsip(resource)
    const phone = sim.phoneFor(t.dial)
    if (!phone || phone.unreachable) return allocFailed()
    const ch = allocPjsip(sim, t, channelId)
    if (!ch) return idExists()
    return { ch, dialstring: resource, phone }
  }
  return allocFailed()
}

/** "Name" <number> | <number> | number */
export function parseCallerId(s: string): { name: string; number: string } {
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(s)
  if (m) return { name: (m[1] ?? m[2] ?? '').trim(), number: (m[3] ?? '').trim() }
  const t = s.trim()
  return /^[+\d*#]+$/.test(t) ? { name: '', number: t } : { name: t, number: '' }
}

function subscribe(sim: Sim, appName: string | undefined, chans: Array<Channel | undefined>): void {
  const app = appName ? sim.apps.get(appName) : undefined
  if (!app) return
  for (const c of chans) if (c) sim.apps.subscribeChannel(app, c)
}

const topLevelExit =
  (sim: Sim, ch: Channel): StasisExit =>
  (_status, next) => {
    if (next && !ch.hangupRequested) sim.svc.startPbx(ch, next.context, next.exten, next.priority)
    else destroy(sim, ch)
  }

export function originate(sim: Sim, a: OriginateArgs): Channel | ApiError {
  const r = allocate(sim, a.endpoint, a.channelId, a.otherChannelId)
  if ('status' in r) return r
  const { ch, peer } = r
  setDialplan(sim, ch, peer ? peer.context : ch.context, peer ? peer.exten : ch.exten, 1, 'AppDial2', '(Outgoing Line)')
  if (a.callerId) {
    const cid = parseCallerId(a.callerId)
    ch.caller = cid
    ch.connected = { ...cid }
    ch.touch()
  }
  for (const [k, v] of Object.entries(a.variables ?? {})) setVar(sim, ch, k, v)
  if (a.app) subscribe(sim, a.app, [ch, peer])
  sim.defer(() => runOriginate(sim, r, a))
  return ch
}

class OriginateWatch implements DialWatch {
  readonly kind = 'dial'
  private timer: { cancel(): void } | undefined
  private over = false

  constructor(
    private readonly sim: Sim,
    private readonly ch: Channel,
    private readonly dialstring: string,
    private readonly a: OriginateArgs,
  ) {}

  start(timeoutMs: number | undefined): void {
    if (timeoutMs !== undefined) this.timer = this.sim.after(timeoutMs, () => this.timeout())
  }

  private finish(): boolean {
    if (this.over) return false
    this.over = true
    this.timer?.cancel()
    if (this.ch.dialWatch === this) this.ch.dialWatch = undefined
    if (this.ch.activity === this) this.ch.activity = undefined
    return true
  }

  indication(kind: Indication): void {
    const { sim, ch } = this
    if (this.over) return
    const status = { ringing: 'RINGING', answer: 'ANSWER', busy: 'BUSY', congestion: 'CONGESTION', progress: 'PROGRESS' }[kind]
    sim.bus.dial(ch, status, this.dialstring)
    if (kind === 'answer') {
      this.finish()
      if (this.a.app) {
        const args = this.a.appArgs ? this.a.appArgs.split(',') : []
        enterStasis(sim, ch, this.a.app, args, topLevelExit(sim, ch))
      } else {
        sim.svc.startPbx(ch, this.a.context || 'default', this.a.extension ?? 's', this.a.priority && this.a.priority > 0 ? this.a.priority : 1)
      }
    } else if (kind === 'busy' || kind === 'congestion') {
      this.finish()
      destroy(sim, ch)
    }
  }

  /** The dialed channel was hung up while ringing (ARI DELETE or the far end). */
  hangup(): void {
    if (!this.finish()) return
    this.sim.bus.dial(this.ch, causeToDialStatus(this.ch.hangupCause), this.dialstring)
    destroy(this.sim, this.ch)
  }

  private timeout(): void {
    if (!this.finish()) return
    this.ch.hangupCause = 19
    destroy(this.sim, this.ch)
  }
}

function runOriginate(sim: Sim, r: Allocated, a: OriginateArgs): void {
  const { ch, dialstring } = r
  if (ch.destroyed || ch.hangupRequested) return destroy(sim, ch)
  const w = new OriginateWatch(sim, ch, dialstring, a)
  const timeoutMs = a.timeout === -1 ? undefined : a.timeout !== undefined && a.timeout > 0 ? a.timeout * 1000 : 30000
  if (r.peer) {
    ch.dialWatch = w
    ch.activity = w
    const ok = startLocalCall(sim, ch, () => sim.bus.dial(ch, '', dialstring))
    if (!ok) {
      ch.dialWatch = undefined
      ch.activity = undefined
      return destroy(sim, ch)
    }
    w.start(timeoutMs)
    return
  }
  ch.started = true
  ch.dialWatch = w
  ch.activity = w
  sim.bus.dial(ch, '', dialstring)
  w.start(timeoutMs)
  startPhone(sim, ch, r.phone ?? {})
}

export interface CreateArgs {
  endpoint: string
  app: string
  appArgs?: string
  channelId?: string
  otherChannelId?: string
  variables?: Record<string, string>
}

export function createChannel(sim: Sim, a: CreateArgs): Channel | ApiError {
  const r = allocate(sim, a.endpoint, a.channelId, a.otherChannelId)
  if ('status' in r) return r
  const { ch } = r
  ch.createdDialString = r.dialstring
  if (r.phone) createdPhones.set(ch, r.phone)
  for (const [k, v] of Object.entries(a.variables ?? {})) setVar(sim, ch, k, v)
  subscribe(sim, a.app, [ch])
  const args = a.appArgs ? a.appArgs.split(',') : []
  sim.defer(() => {
    if (ch.destroyed) return
    enterStasis(sim, ch, a.app, args, topLevelExit(sim, ch))
  })
  return ch
}

const createdPhones = new WeakMap<Channel, PhoneBehaviour>()

class AriDialWatch implements DialWatch {
  constructor(
    private readonly sim: Sim,
    private readonly ch: Channel,
  ) {}
  indication(kind: Indication): void {
    const status = { ringing: 'RINGING', answer: 'ANSWER', busy: 'BUSY', congestion: 'CONGESTION', progress: 'PROGRESS' }[kind]
    this.sim.bus.dial(this.ch, status, '')
  }
}

/** Runs in the channel's control queue: POST /channels/{id}/dial. */
export function ariDial(sim: Sim, ch: Channel, timeoutSec: number): void {
  const dialstring = ch.createdDialString ?? ''
  ch.dialWatch = new AriDialWatch(sim, ch)
  if (ch.tech === 'Local') {
    const ok = startLocalCall(sim, ch, () => sim.bus.dial(ch, '', dialstring))
    if (!ok) {
      // ast_call failed: no Dial event; the control thread hangs the channel up, and a real
      // Asterisk 22 reports ChannelDestroyed with cause 16 (seen live, test/live/parity).
      ch.hangupCause = 16
      return softHangupSilent(sim, ch)
    }
  } else {
    ch.started = true
    sim.bus.dial(ch, '', dialstring)
    startPhone(sim, ch, createdPhones.get(ch) ?? {})
  }
  if (timeoutSec > 0) {
    const t = sim.after(timeoutSec * 1000, () => {
      if (ch.destroyed || ch.state === 'Up') return
      ch.hangupCause = 19
      softHangup(sim, ch, SOFT.EXPLICIT)
    })
    ch.onGone(() => t.cancel())
  }
}
