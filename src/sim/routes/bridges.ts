/** /bridges routes: list, create (with id), get, destroy, addChannel, removeChannel, moh, play. */
import { newId } from '../../domain/ids.js'
import { bridgeHearers, bridgePlay, createBridge, destroyBridge, joinBridge, leaveBridge, startBridgeMoh, stopBridgeMoh } from '../bridges.js'
import type { Sim } from '../core.js'
import type { Bridge } from '../model/bridge.js'
import type { Channel } from '../model/channel.js'
import { Playback, registerPlayback } from '../playback.js'
import { controlOf } from '../stasis.js'
import { bodyParam, err, noContent, okJson, pathParam, q, type ApiRequest, type ApiResult, type RouteSpec } from './types.js'

const BR = pathParam('bridgeId', "Bridge's id")

function findBridge(sim: Sim, id: string): Bridge | ApiResult {
  return sim.bridges.get(id) ?? err(404, 'Bridge not found')
}

/** control_list_create: every channel must exist (400) and be in Stasis (422). */
function controls(r: ApiRequest): Channel[] | ApiResult {
  const ids = r.p.list('channel')
  if (ids.length === 0) return err(400, 'Missing parameter channel')
  const out: Channel[] = []
  for (const id of ids) {
    const ch = r.sim.registry.get(id)
    if (!ch || ch.internal) return err(400, 'Channel not found')
    if (!controlOf(ch)) return err(422, 'Channel not in Stasis application')
    out.push(ch)
  }
  return out
}

function create(r: ApiRequest): ApiResult {
  const { sim, p, path } = r
  const given = path.bridgeId ?? p.str('bridgeId')
  if (given && sim.bridges.has(given)) return err(409, `Bridge with id '${given}' already exists`)
  const b = createBridge(sim, given ?? newId(), p.get('name') ?? '', p.get('type') ?? 'mixing')
  if (!b) return err(500, path.bridgeId ? 'Unable to create bridge' : `Unable to create bridge. Possible duplicate bridge id '${given ?? '(null)'}'`)
  return okJson(b.snapshotJson())
}

function play(r: ApiRequest): ApiResult {
  const { sim, p, path } = r
  const b = findBridge(sim, path.bridgeId!)
  if (!('snapshotJson' in b)) return b
  const media = p.list('media')
  if (media.length === 0) return err(500, 'Failed to queue media for playback')
  const id = path.playbackId ?? p.str('playbackId') ?? newId()
  const pb = new Playback(sim, id, media, `bridge:${b.id}`, p.str('lang') ?? 'en', {
    recipients: () => sim.bus.recipients([], b),
    hearers: () => bridgeHearers(b),
  })
  registerPlayback(sim, pb)
  const json = pb.json()
  bridgePlay(sim, b, pb)
  return { status: 201, json, headers: [['Location', `/ari/playbacks/${id}`]] }
}

const playParams = [
  q('media', 'Media URIs to play.', { required: true, multiple: true }),
  q('announcer_format', 'Accepted; ignored by the simulator.'),
  q('lang', 'For sounds, selects language for sound.'),
  q('offsetms', 'Accepted; the simulator always plays from the start.', { type: 'int' }),
  q('skipms', 'Accepted; ignored by the simulator.', { type: 'int' }),
]
const createParams = [
  q('type', 'Comma separated list of bridge type attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label).'),
  q('name', 'Name to give to the bridge being created.'),
  bodyParam('variables', 'Accepted; bridge variables are not modelled.'),
]
const memberErrors: Array<[number, string]> = [
  [400, 'Channel not found'],
  [404, 'Bridge not found'],
  [409, "Bridge not in Stasis application; Channel currently recording"],
  [422, 'Channel not in Stasis application'],
]

export const bridgeRoutes: RouteSpec[] = [
  {
    api: 'bridges',
    path: '/bridges',
    method: 'GET',
    nickname: 'list',
    summary: 'List all active bridges in Asterisk.',
    responseClass: 'List[Bridge]',
    params: [],
    errors: [],
    handle: ({ sim }) => okJson(`[${[...sim.bridges.values()].map((b) => b.snapshotJson()).join(',')}]`),
  },
  {
    api: 'bridges',
    path: '/bridges',
    method: 'POST',
    nickname: 'create',
    summary: 'Create a new bridge.',
    responseClass: 'Bridge',
    params: [createParams[0]!, q('bridgeId', 'Unique ID to give to the bridge being created.'), createParams[1]!, createParams[2]!],
    errors: [[409, 'Bridge with the same bridgeId already exists']],
    handle: create,
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}',
    method: 'POST',
    nickname: 'createWithId',
    summary: 'Create a new bridge with the given id.',
    responseClass: 'Bridge',
    params: [createParams[0]!, BR, createParams[1]!, createParams[2]!],
    errors: [[409, 'Bridge with the same bridgeId already exists']],
    handle: create,
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}',
    method: 'GET',
    nickname: 'get',
    summary: 'Get bridge details.',
    responseClass: 'Bridge',
    params: [BR],
    errors: [[404, 'Bridge not found']],
    handle: ({ sim, path }) => {
      const b = findBridge(sim, path.bridgeId!)
      return 'snapshotJson' in b ? okJson(b.snapshotJson()) : b
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}',
    method: 'DELETE',
    nickname: 'destroy',
    summary: 'Shut down a bridge.',
    responseClass: 'void',
    params: [BR],
    errors: [[404, 'Bridge not found']],
    handle: ({ sim, path }) => {
      const b = findBridge(sim, path.bridgeId!)
      if (!('snapshotJson' in b)) return b
      destroyBridge(sim, b)
      return noContent()
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/addChannel',
    method: 'POST',
    nickname: 'addChannel',
    summary: 'Add a channel to a bridge.',
    responseClass: 'void',
    params: [
      BR,
      q('channel', 'Ids of channels to add to bridge', { required: true, multiple: true }),
      q('role', "Channel's role in the bridge"),
      q('absorbDTMF', 'Accepted; ignored by the simulator.', { type: 'boolean' }),
      q('mute', 'Accepted; ignored by the simulator.', { type: 'boolean' }),
      q('inhibitConnectedLineUpdates', 'Accepted; ignored by the simulator.', { type: 'boolean' }),
    ],
    errors: memberErrors,
    handle: (r) => {
      const b = findBridge(r.sim, r.path.bridgeId!)
      if (!('snapshotJson' in b)) return b
      const chans = controls(r)
      if (!Array.isArray(chans)) return chans
      for (const ch of chans) joinBridge(r.sim, b, ch, r.p.str('role') ?? '')
      return noContent()
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/removeChannel',
    method: 'POST',
    nickname: 'removeChannel',
    summary: 'Remove a channel from a bridge.',
    responseClass: 'void',
    params: [BR, q('channel', 'Ids of channels to remove from bridge', { required: true, multiple: true })],
    errors: memberErrors,
    handle: (r) => {
      const b = findBridge(r.sim, r.path.bridgeId!)
      if (!('snapshotJson' in b)) return b
      const chans = controls(r)
      if (!Array.isArray(chans)) return chans
      if (chans.some((c) => c.bridge !== b)) return err(422, 'Channel not in this bridge')
      for (const ch of chans) leaveBridge(r.sim, ch)
      return noContent()
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/moh',
    method: 'POST',
    nickname: 'startMoh',
    summary: 'Play music on hold to a bridge or change the MOH class that is playing.',
    responseClass: 'void',
    params: [BR, q('mohClass', 'Channel\'s id')],
    errors: [
      [404, 'Bridge not found'],
      [409, 'Bridge not in Stasis application'],
    ],
    handle: ({ sim, p, path }) => {
      const b = findBridge(sim, path.bridgeId!)
      if (!('snapshotJson' in b)) return b
      startBridgeMoh(sim, b, p.str('mohClass') ?? 'default')
      return noContent()
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/moh',
    method: 'DELETE',
    nickname: 'stopMoh',
    summary: 'Stop playing music on hold to a bridge.',
    responseClass: 'void',
    params: [BR],
    errors: [
      [404, 'Bridge not found'],
      [409, 'Bridge not in Stasis application'],
    ],
    handle: ({ sim, path }) => {
      const b = findBridge(sim, path.bridgeId!)
      if (!('snapshotJson' in b)) return b
      return stopBridgeMoh(sim, b) ? noContent() : err(409, "Bridge isn't playing music")
    },
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/play',
    method: 'POST',
    nickname: 'play',
    summary: 'Start playback of media on a bridge.',
    responseClass: 'Playback',
    params: [BR, ...playParams, q('playbackId', 'Playback Id.')],
    errors: [
      [404, 'Bridge not found'],
      [409, 'Bridge not in a Stasis application'],
      [422, 'The format specified is unknown on this system'],
    ],
    handle: play,
  },
  {
    api: 'bridges',
    path: '/bridges/{bridgeId}/play/{playbackId}',
    method: 'POST',
    nickname: 'playWithId',
    summary: 'Start playback of media on a bridge and specify the playbackId.',
    responseClass: 'Playback',
    params: [BR, pathParam('playbackId', 'Playback ID.'), ...playParams],
    errors: [
      [404, 'Bridge not found'],
      [409, 'Bridge not in a Stasis application'],
      [422, 'The format specified is unknown on this system'],
    ],
    handle: play,
  },
]
