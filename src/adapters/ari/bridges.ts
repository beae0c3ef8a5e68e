/**
 * BridgesApi over ARI /bridges: create with the engine's id, get/list/destroy, add and
 * remove channels (lists joined with commas, optional role), playback and music on hold.
 */
import type { Bridge, Playback } from '../../domain/ari-models.js'
import { AppError } from '../../domain/errors.js'
import type { BridgesApi, PlayParams } from '../../domain/telephony.js'
import { ariPath, type AriHttp } from './http.js'
import { commaListError, requestList, requestOne, requestVoid } from './reply.js'
import { bridgeShape, playbackShape } from './validate.js'

function needChannels(ids: string[]): Promise<never> | undefined {
  if (ids.length === 0) return Promise.reject(new AppError('BAD_REQUEST', 'at least one channel id is needed'))
  const bad = commaListError('channel', ids)
  return bad ? Promise.reject(bad) : undefined
}

export function createBridgesApi(http: AriHttp): BridgesApi {
  const br = (id: string, ...rest: string[]) => ariPath('bridges', id, ...rest)
  return {
    create: (p) =>
      requestOne<Bridge>(http, { method: 'POST', path: '/bridges', query: { type: p.type, bridgeId: p.bridgeId, name: p.name } }, bridgeShape),

    get: (bridgeId) => requestOne<Bridge>(http, { method: 'GET', path: br(bridgeId) }, bridgeShape),

    list: () => requestList<Bridge>(http, { method: 'GET', path: '/bridges' }, bridgeShape),

    destroy: (bridgeId) => requestVoid(http, { method: 'DELETE', path: br(bridgeId) }),

    addChannel: (bridgeId, channelIds, role?: string) =>
      needChannels(channelIds) ??
      requestVoid(http, { method: 'POST', path: br(bridgeId, 'addChannel'), query: { channel: channelIds, role } }),

    removeChannel: (bridgeId, channelIds) =>
      needChannels(channelIds) ??
      requestVoid(http, { method: 'POST', path: br(bridgeId, 'removeChannel'), query: { channel: channelIds } }),

    play: (bridgeId, p: PlayParams) => {
      if (p.media.length === 0) return Promise.reject(new AppError('BAD_REQUEST', 'play needs at least one media URI'))
      const bad = commaListError('media', p.media)
      if (bad) return Promise.reject(bad)
      return requestOne<Playback>(
        http,
        { method: 'POST', path: br(bridgeId, 'play'), query: { media: p.media, lang: p.lang, playbackId: p.playbackId } },
        playbackShape,
      )
    },

    startMoh: (bridgeId, mohClass?: string) =>
      requestVoid(http, { method: 'POST', path: br(bridgeId, 'moh'), query: { mohClass } }),

    stopMoh: (bridgeId) => requestVoid(http, { method: 'DELETE', path: br(bridgeId, 'moh') }),
  }
}
