/** /channels routes: list, get, originate, create, dial, answer, ring, progress, continue, hangup. */
import { answerChannel } from '../model/answer.js'
import type { Channel } from '../model/channel.js'
import { reasonToCause, SOFT } from '../model/causes.js'
import { softHangup } from '../model/lifecycle.js'
import { indicate } from '../model/local-pair.js'
import { ariDial, createChannel, originate, type OriginateArgs } from '../dial.js'
import { findControl, isResult, stateInvalid } from './common.js'
import { bodyParam, err, noContent, okJson, pathParam, q, type ApiRequest, type ApiResult, type RouteSpec } from './types.js'

const CH = pathParam('channelId', "Channel's id")

const originateParams = [
  q('endpoint', 'Endpoint to call.', { required: true }),
  q('extension', 'The extension to dial after the endpoint answers. Mutually exclusive with app.'),
  q('context', 'The context to dial after the endpoint answers. If omitted, uses "default".'),
  q('priority', 'The priority to dial after the endpoint answers. If omitted, uses 1.', { type: 'long' }),
  q('label', 'Accepted; the simulator ignores labels here.'),
  q('app', 'The Stasis application that is subscribed to the originated channel, which enters it on answer.'),
  q('appArgs', 'The application arguments to pass to the Stasis application.'),
  q('callerId', 'CallerID to use when dialing the endpoint or extension.'),
  q('timeout', 'Timeout (in seconds) before giving up dialing, or -1 for no timeout.', { type: 'int' }),
  bodyParam('variables', 'The "variables" key in the body object holds variable key/value pairs to set on the channel.'),
]
const originateTail = [
  q('otherChannelId', 'The unique id to assign the second channel when using local channels.'),
  q('originator', 'Accepted; ignored by the simulator.'),
  q('formats', 'Accepted; ignored by the simulator.'),
]

function originateHandler(r: ApiRequest): ApiResult {
  const { sim, p, path } = r
  const vars = p.variables()
  if (typeof vars === 'string') return err(400, vars)
  const endpoint = p.str('endpoint')
  if (!endpoint) return err(400, 'Endpoint must be specified')
  const slash = endpoint.indexOf('/')
  if (slash <= 0 || slash === endpoint.length - 1) return err(400, 'Invalid endpoint specified')
  const app = p.str('app')
  const extension = p.str('extension')
  if (!app && !extension) return err(400, 'Application or extension must be specified')
  const a: OriginateArgs = {
    endpoint,
    app,
    extension,
    appArgs: p.str('appArgs'),
    context: p.str('context'),
    priority: p.int('priority'),
    callerId: p.str('callerId'),
    timeout: p.int('timeout'),
    channelId: path.channelId ?? p.str('channelId'),
    otherChannelId: p.str('otherChannelId'),
    variables: vars,
  }
  const res = originate(sim, a)
  if ('status' in res) return { status: res.status, json: JSON.stringify(res.body) }
  return okJson(res.snapshotJson())
}

export const channelRoutes: RouteSpec[] = [
  {
    api: 'channels',
    path: '/channels',
    method: 'GET',
    nickname: 'list',
    summary: 'List all active channels in Asterisk.',
    responseClass: 'List[Channel]',
    params: [],
    errors: [],
    handle: ({ sim }) => okJson(`[${sim.registry.visible().map((c) => c.snapshotJson()).join(',')}]`),
  },
  {
    api: 'channels',
    path: '/channels',
    method: 'POST',
    nickname: 'originate',
    summary: 'Create a new channel (originate).',
    responseClass: 'Channel',
    params: [...originateParams, q('channelId', 'The unique id to assign the channel on creation.'), ...originateTail],
    errors: [
      [400, 'Invalid parameters for originating a channel.'],
      [409, 'Channel with given unique ID already exists.'],
    ],
    handle: originateHandler,
  },
  {
    api: 'channels',
    path: '/channels/create',
    method: 'POST',
    nickname: 'create',
    summary: 'Create channel.',
    responseClass: 'Channel',
    params: [
      q('endpoint', 'Endpoint for channel communication', { required: true }),
      q('app', 'Stasis Application to place channel into', { required: true }),
      q('appArgs', 'The application arguments to pass to the Stasis application provided by \'app\'.'),
      q('channelId', 'The unique id to assign the channel on creation.'),
      q('otherChannelId', 'The unique id to assign the second channel when using local channels.'),
      q('originator', 'Accepted; ignored by the simulator.'),
      q('formats', 'Accepted; ignored by the simulator.'),
      bodyParam('variables', 'The "variables" key in the body object holds variable key/value pairs to set on the channel.'),
    ],
    errors: [[409, 'Channel with given unique ID already exists.']],
    handle: ({ sim, p }) => {
      const vars = p.variables()
      if (typeof vars === 'string') return err(400, vars)
      const endpoint = p.str('endpoint')
      if (!endpoint) return err(400, 'Endpoint must be specified')
      const slash = endpoint.indexOf('/')
      if (slash <= 0 || slash === endpoint.length - 1) return err(400, 'Invalid endpoint specified')
      const res = createChannel(sim, {
        endpoint,
        app: p.get('app') ?? '',
        appArgs: p.str('appArgs'),
        channelId: p.str('channelId'),
        otherChannelId: p.str('otherChannelId'),
        variables: vars,
      })
      if ('status' in res) return { status: res.status, json: JSON.stringify(res.body) }
      return okJson(res.snapshotJson())
    },
  },
  {
    api: 'channels',
    path: '/channels/{channelId}',
    method: 'GET',
    nickname: 'get',
    summary: 'Channel details.',
    responseClass: 'Channel',
    params: [CH],
    errors: [[404, 'Channel not found']],
    handle: ({ sim, path }) => {
      const ch = sim.registry.get(path.channelId!)
      return ch && !ch.internal ? okJson(ch.snapshotJson()) : err(404, 'Channel not found')
    },
  },
  {
    api: 'channels',
    path: '/channels/{channelId}',
    method: 'POST',
    nickname: 'originateWithId',
    summary: 'Create a new channel (originate with id).',
    responseClass: 'Channel',
    params: [CH, ...originateParams, ...originateTail],
    errors: [
      [400, 'Invalid parameters for originating a channel.'],
      [409, 'Channel with given unique ID already exists.'],
    ],
    handle: originateHandler,
  },
  {
    api: 'channels',
    path: '/channels/{channelId}',
    method: 'DELETE',
    nickname: 'hangup',
    summary: 'Delete (i.e. hangup) a channel.',
    responseClass: 'void',
    params: [
      CH,
      q('reason_code', 'The reason code for hanging up the channel for detail use. Mutually exclusive with \'reason\'.'),
      q('reason', "Reason for hanging up the channel for simple use. Mutually exclusive with 'reason_code'.", {
        values: ['normal', 'busy', 'congestion', 'no_answer', 'timeout', 'rejected', 'unallocated', 'normal_unspecified', 'number_incomplete', 'codec_mismatch', 'interworking', 'failure', 'answered_elsewhere'],
      }),
    ],
    errors: [
      [400, 'Invalid reason for hangup provided'],
      [404, 'Channel not found'],
    ],
    handle: ({ sim, p, path }) => {
      const ch = sim.registry.getByNameOrId(path.channelId!)
      if (!ch || ch.internal) return err(404, 'Channel not found')
      const reason = p.str('reason')
      const code = p.str('reason_code')
      if (reason && code) return err(400, "The reason and reason_code can't both be specified")
      let cause = 16
      if (code) {
        const n = /^\s*[+-]?\d+/.exec(code)
        if (!n) return err(400, 'Invalid reason for hangup reason code provided')
        cause = Number.parseInt(n[0], 10)
      } else if (reason) {
        const c = reasonToCause(reason)
        if (c === undefined) return err(400, 'Invalid reason for hangup reason provided')
        cause = c
      }
      ch.hangupCause = cause
      softHangup(sim, ch, SOFT.EXPLICIT)
      return noContent()
    },
  },
  controlOp('answer', 'POST', '/channels/{channelId}/answer', 'Answer a channel.', (sim, ch, done) => answerChannel(sim, ch, done)),
  controlOp('ring', 'POST', '/channels/{channelId}/ring', 'Indicate ringing to a channel.', (sim, ch, done) => {
    indicate(sim, ch, 'ringing')
    done()
  }),
  controlOp('ringStop', 'DELETE', '/channels/{channelId}/ring', 'Stop ringing indication on a channel if locally generated.', (_s, _c, done) => done()),
  controlOp('progress', 'POST', '/channels/{channelId}/progress', 'Indicate progress to a channel.', (sim, ch, done) => {
    indicate(sim, ch, 'progress')
    done()
  }),
  {
    api: 'channels',
    path: '/channels/{channelId}/dial',
    method: 'POST',
    nickname: 'dial',
    summary: 'Dial a created channel.',
    responseClass: 'void',
    params: [CH, q('caller', "Channel ID of caller"), q('timeout', 'Dial timeout', { type: 'int' })],
    errors: [
      [404, 'Channel cannot be found.'],
      [409, 'Channel cannot be dialed.'],
    ],
    handle: ({ sim, p, path }) => {
      const c = findControl(sim, path.channelId!)
      if (isResult(c)) return c
      const ch = c.ch
      const caller = p.str('caller') ? sim.registry.getByNameOrId(p.str('caller')!) : undefined
      if (ch.state !== 'Down' && ch.state !== 'Rsrved') return err(409, "Channel is not in the 'Down' state")
      if (ch.createdDialString === undefined) return err(409, 'Dialing a channel not created by ARI')
      if (caller) {
        ch.connected = { ...caller.caller }
        ch.language = caller.language
        ch.touch()
      }
      const timeout = Math.max(0, p.int('timeout') ?? 0)
      c.enqueue({ run: (done) => (ariDial(sim, ch, timeout), done()) })
      return noContent()
    },
  },
  {
    api: 'channels',
    path: '/channels/{channelId}/continue',
    method: 'POST',
    nickname: 'continueInDialplan',
    summary: 'Exit application; continue execution in the dialplan.',
    responseClass: 'void',
    params: [CH, q('context', 'The context to continue to.'), q('extension', 'The extension to continue to.'), q('priority', 'The priority to continue to.', { type: 'int' }), q('label', 'The label to continue to - will supersede \'priority\' if both are provided.')],
    errors: [
      [404, 'Channel not found'],
      [409, 'Channel not in a Stasis application'],
      [412, 'Channel in invalid state'],
    ],
    handle: ({ sim, p, path }) => {
      const c = findControl(sim, path.channelId!)
      if (isResult(c)) return c
      const bad = stateInvalid(c.ch)
      if (bad) return bad
      const ch = c.ch
      const context = p.str('context') ?? ch.context
      const exten = p.str('extension') ?? ch.exten
      let priority = p.int('priority') ?? 0
      const label = p.str('label')
      if (label) priority = sim.dialplan.find(context, exten)?.labels.get(label) ?? -1
      if (label && priority < 0) return err(404, 'Requested label can not be found')
      if (!priority) priority = context === ch.context && exten === ch.exten ? ch.priority + 1 : 1
      sim.defer(() => c.leave({ context, exten, priority }))
      return noContent()
    },
  },
]

/** A channel operation run in the control queue; 204 once it ran. */
function controlOp(
  nickname: string,
  method: 'POST' | 'DELETE',
  path: string,
  summary: string,
  run: (sim: ApiRequest['sim'], ch: Channel, done: () => void) => void,
): RouteSpec {
  return {
    api: 'channels',
    path,
    method,
    nickname,
    summary,
    responseClass: 'void',
    params: [CH],
    errors: [
      [404, 'Channel not found'],
      [409, 'Channel not in a Stasis application'],
      [412, 'Channel in invalid state'],
    ],
    handle: async ({ sim, path: pp }) => {
      const c = findControl(sim, pp.channelId!)
      if (isResult(c)) return c
      const bad = stateInvalid(c.ch)
      if (bad) return bad
      const ran = await c.exec((done) => run(sim, c.ch, done))
      return ran ? noContent() : err(404, 'Channel not found')
    },
  }
}
