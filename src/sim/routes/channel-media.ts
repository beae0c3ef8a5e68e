/** /channels/{id} media and variables: play, dtmf, moh, variable get/set. */
import { newId } from '../../domain/ids.js'
import type { Sim } from '../core.js'
import { raiseDtmf } from '../callers.js'
import type { Channel } from '../model/channel.js'
import { setVar } from '../model/lifecycle.js'
import { Playback, registerPlayback } from '../playback.js'
import { mediaLength } from '../sounds.js'
import { findControl, isResult, stateInvalid } from './common.js'
import { err, noContent, ok, pathParam, q, type ApiRequest, type ApiResult, type RouteSpec } from './types.js'

const CH = pathParam('channelId', "Channel's id")

/** Who hears a channel's playback: itself, and in a holding bridge the participants of an announcer. */
function channelHearers(ch: Channel): Channel[] {
  const b = ch.bridge as { visible?: Channel[]; type?: string } | undefined
  if (b?.type === 'holding' && ch.bridgeRole === 'announcer') return (b.visible ?? []).filter((c) => c !== ch)
  return [ch]
}

function play(r: ApiRequest): ApiResult {
  const { sim, p, path } = r
  const c = findControl(sim, path.channelId!)
  if (isResult(c)) return c
  const media = p.list('media')
  if (media.length === 0) return err(500, 'Failed to queue media for playback')
  const id = path.playbackId ?? p.str('playbackId') ?? newId()
  const ch = c.ch
  const lang = p.str('lang') ?? ch.language
  const pb = new Playback(sim, id, media, `channel:${ch.id}`, lang, {
    recipients: () => sim.bus.recipients([ch]),
    hearers: () => channelHearers(ch),
    speaker: ch,
  })
  registerPlayback(sim, pb)
  const failsAtOnce = !c.busy() && media.length === 1 && mediaLength(media[0]!, lang, sim.soundDuration).kind === 'missing'
  const before = pb.json()
  c.enqueue(pb.command())
  return { status: 201, json: failsAtOnce ? pb.json() : before, headers: [['Location', `/ari/playbacks/${id}`]] }
}

const playParams = [
  q('media', 'Media URIs to play.', { required: true, multiple: true }),
  q('lang', 'For sounds, selects language for sound.'),
  q('offsetms', 'Accepted; the simulator always plays from the start.', { type: 'int' }),
  q('skipms', 'Accepted; ignored by the simulator.', { type: 'int' }),
]

const mediaErrors: Array<[number, string]> = [
  [404, 'Channel not found'],
  [409, 'Channel not in a Stasis application'],
  [412, 'Channel in invalid state'],
]

/** Digits sent with POST /dtmf arrive on the Local peer (as traced) or, for a trunk channel, on itself. */
function dtmfTarget(ch: Channel): Channel | undefined {
  if (ch.tech === 'Local') return ch.peer
  if (ch.hooks) return ch
  return undefined
}

function sendDtmf(sim: Sim, ch: Channel, digits: string, t: { before: number; between: number; duration: number; after: number }, done: () => void): { cancel(): void } {
  const timers: Array<{ cancel(): void }> = []
  let at = t.before
  for (const d of digits) {
    if (d === 'w' || d === 'W') {
      at += 500
      continue
    }
    timers.push(
      sim.after(at + t.duration + 100, () => {
        const target = dtmfTarget(ch)
        if (target && !target.destroyed) raiseDtmf(sim, target, d, t.duration)
      }),
    )
    at += t.duration + 100 + t.between
  }
  timers.push(sim.after(at + t.after, done))
  return { cancel: () => timers.forEach((x) => x.cancel()) }
}

function variableValue(ch: Channel, name: string): string | undefined {
  const v = ch.vars.get(name)
  if (v !== undefined) return v
  switch (name) {
    case 'EXTEN':
      return ch.exten
    case 'CONTEXT':
      return ch.context
    case 'PRIORITY':
      return String(ch.priority)
    case 'CHANNEL':
      return ch.name
    case 'UNIQUEID':
      return ch.id
    case 'HANGUPCAUSE':
      return String(ch.hangupCause)
    default:
      return undefined
  }
}

function readFunction(ch: Channel, expr: string): string | undefined {
  const m = /^([A-Z_]+)\(([^)]*)\)$/.exec(expr)
  if (!m) return undefined
  const [, fn, arg] = m
  if (fn === 'CALLERID') return arg === 'num' || arg === 'number' ? ch.caller.number : arg === 'name' ? ch.caller.name : arg === 'all' ? `"${ch.caller.name}" <${ch.caller.number}>` : undefined
  if (fn === 'CONNECTEDLINE') return arg === 'num' || arg === 'number' ? ch.connected.number : arg === 'name' ? ch.connected.name : undefined
  if (fn === 'CHANNEL') return arg === 'name' ? ch.name : arg === 'language' ? ch.language : arg === 'state' ? ch.state : undefined
  return undefined
}

export const channelMediaRoutes: RouteSpec[] = [
  {
    api: 'channels',
    path: '/channels/{channelId}/play',
    method: 'POST',
    nickname: 'play',
    summary: 'Start playback of media.',
    responseClass: 'Playback',
    params: [CH, ...playParams, q('playbackId', 'Playback ID.')],
    errors: mediaErrors,
    handle: play,
  },
  {
    api: 'channels',
    path: '/channels/{channelId}/play/{playbackId}',
    method: 'POST',
    nickname: 'playWithId',
    summary: 'Start playback of media and specify the playbackId.',
    responseClass: 'Playback',
    params: [CH, pathParam('playbackId', 'Playback ID.'), ...playParams],
    errors: mediaErrors,
    handle: play,
  },
  {
    api: 'channels',
    path: '/channels/{channelId}/dtmf',
    method: 'POST',
    nickname: 'sendDTMF',
    summary: 'Send provided DTMF to a given channel.',
    responseClass: 'void',
    params: [
      CH,
      q('dtmf', 'DTMF To send.'),
      q('before', 'Amount of time to wait before DTMF digits (specified in milliseconds) start.', { type: 'int' }),
      q('between', 'Amount of time in between DTMF digits (specified in milliseconds).', { type: 'int' }),
      q('duration', 'Length of each DTMF digit (specified in milliseconds).', { type: 'int' }),
      q('after', 'Amount of time to wait after DTMF digits (specified in milliseconds) end.', { type: 'int' }),
    ],
    errors: [[400, 'DTMF is required'], ...mediaErrors],
    handle: ({ sim, p, path }) => {
      const dtmf = p.str('dtmf')
      if (!dtmf) return err(400, 'DTMF is required')
      const c = findControl(sim, path.channelId!)
      if (isResult(c)) return c
      const bad = stateInvalid(c.ch)
      if (bad) return bad
      const t = { before: p.int('before') ?? 0, between: p.int('between') ?? 100, duration: p.int('duration') ?? 100, after: p.int('after') ?? 0 }
      let timer: { cancel(): void } | undefined
      c.enqueue({
        run: (done) => {
          timer = sendDtmf(sim, c.ch, dtmf, t, done)
        },
        interrupt: () => timer?.cancel(),
      })
      return noContent()
    },
  },
  ...(['POST', 'DELETE'] as const).map(
    (method): RouteSpec => ({
      api: 'channels',
      path: '/channels/{channelId}/moh',
      method,
      nickname: method === 'POST' ? 'startMoh' : 'stopMoh',
      summary: method === 'POST' ? 'Play music on hold to a channel.' : 'Stop playing music on hold to a channel.',
      responseClass: 'void',
      params: method === 'POST' ? [CH, q('mohClass', 'Music on hold class to use')] : [CH],
      errors: mediaErrors,
      handle: ({ sim, p, path }) => {
        const c = findControl(sim, path.channelId!)
        if (isResult(c)) return c
        const bad = stateInvalid(c.ch)
        if (bad) return bad
        const ch = c.ch
        const cls = p.str('mohClass') ?? 'default'
        c.enqueue({
          run: (done) => {
            ch.mohClass = method === 'POST' ? cls : undefined
            ch.hooks?.moh(method === 'POST', cls)
            done()
          },
        })
        return noContent()
      },
    }),
  ),
  {
    api: 'channels',
    path: '/channels/{channelId}/variable',
    method: 'GET',
    nickname: 'getChannelVar',
    summary: 'Get the value of a channel variable or function.',
    responseClass: 'Variable',
    params: [CH, q('variable', 'The channel variable or function to get', { required: true })],
    errors: [
      [400, 'Missing variable parameter.'],
      [404, 'Channel or variable not found.'],
      [409, 'Channel not in a Stasis application'],
    ],
    handle: ({ sim, p, path }) => {
      const name = p.str('variable')
      if (!name) return err(400, 'Variable name is required')
      const ch = sim.registry.getByNameOrId(path.channelId!)
      if (!ch || ch.internal) return err(404, 'Provided channel was not found')
      if (name.endsWith(')')) {
        const v = readFunction(ch, name)
        return v === undefined ? err(500, 'Unable to read provided function') : ok({ value: v })
      }
      const v = variableValue(ch, name)
      return v === undefined ? err(404, 'Provided variable was not found') : ok({ value: v })
    },
  },
  {
    api: 'channels',
    path: '/channels/{channelId}/variable',
    method: 'POST',
    nickname: 'setChannelVar',
    summary: 'Set the value of a channel variable or function.',
    responseClass: 'void',
    params: [CH, q('variable', 'The channel variable or function to set', { required: true }), q('value', 'The value to set the variable to'), q('report_events', 'Accepted; every variable change is reported by the simulator.', { type: 'boolean' })],
    errors: [
      [400, 'Missing variable parameter.'],
      [404, 'Channel not found'],
      [409, 'Channel not in a Stasis application'],
    ],
    handle: ({ sim, p, path }) => {
      const name = p.str('variable')
      if (!name) return err(400, 'Variable name is required')
      const c = findControl(sim, path.channelId!)
      if (isResult(c)) return c
      const ch = c.ch
      const value = p.get('value')
      const fn = /^CALLERID\((num|number|name)\)$/.exec(name)
      if (fn) {
        ch.caller = { ...ch.caller, [fn[1] === 'name' ? 'name' : 'number']: value ?? '' }
        ch.touch()
        sim.bus.channel(ch, 'ChannelCallerId', `,"caller_presentation":0,"caller_presentation_txt":"Presentation Allowed, Not Screened"`)
      } else if (name.endsWith(')')) return err(400, 'Failed to execute function')
      else setVar(sim, ch, name, value ?? '')
      return noContent()
    },
  },
]
