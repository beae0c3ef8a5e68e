/**
 * ChannelsApi over ARI /channels: originate (POST /channels), create + dial, answer, ring,
 * hangup, playback, music on hold, variables and DTMF. Ids are the engine's; originate
 * variables go in the JSON body as {"variables": {...}}.
 */
import type { Channel, Playback } from '../../domain/ari-models.js'
import { AppError } from '../../domain/errors.js'
import type { ChannelsApi, CreateChannelParams, DialParams, HangupReason, OriginateParams, PlayParams } from '../../domain/telephony.js'
import { ariPath, isNotFound, type AriHttp } from './http.js'
import { commaListError, requestList, requestOne, requestVoid } from './reply.js'
import { channelShape, playbackShape } from './validate.js'

/** Asterisk's 404 message when the channel exists but the variable does not. */
const VARIABLE_NOT_FOUND = 'Provided variable was not found'

function variablesBody(v: Record<string, string> | undefined): { variables: Record<string, string> } | undefined {
  return v && Object.keys(v).length > 0 ? { variables: v } : undefined
}

export function createChannelsApi(http: AriHttp): ChannelsApi {
  const ch = (id: string, ...rest: string[]) => ariPath('channels', id, ...rest)
  return {
    get: (channelId) => requestOne<Channel>(http, { method: 'GET', path: ch(channelId) }, channelShape),

    list: () => requestList<Channel>(http, { method: 'GET', path: '/channels' }, channelShape),

    originate: (p: OriginateParams) => {
      const bad = commaListError('appArgs', p.appArgs)
      if (bad) return Promise.reject(bad)
      return requestOne<Channel>(
        http,
        {
          method: 'POST',
          path: '/channels',
          query: {
            endpoint: p.endpoint,
            app: p.app,
            appArgs: p.appArgs,
            context: p.context,
            extension: p.extension,
            priority: p.priority,
            callerId: p.callerId,
            timeout: p.timeoutSec,
            channelId: p.channelId,
            otherChannelId: p.otherChannelId,
          },
          body: variablesBody(p.variables),
        },
        channelShape,
      )
    },

    create: (p: CreateChannelParams) => {
      const bad = commaListError('appArgs', p.appArgs)
      if (bad) return Promise.reject(bad)
      return requestOne<Channel>(
        http,
        {
          method: 'POST',
          path: '/channels/create',
          query: {
            endpoint: p.endpoint,
            app: p.app,
            appArgs: p.appArgs,
            channelId: p.channelId,
            otherChannelId: p.otherChannelId,
          },
          body: variablesBody(p.variables),
        },
        channelShape,
      )
    },

    dial: (channelId, p: DialParams = {}) =>
      requestVoid(http, { method: 'POST', path: ch(channelId, 'dial'), query: { caller: p.caller, timeout: p.timeoutSec } }),

    answer: (channelId) => requestVoid(http, { method: 'POST', path: ch(channelId, 'answer') }),

    ring: (channelId) => requestVoid(http, { method: 'POST', path: ch(channelId, 'ring') }),

    hangup: (channelId, reason?: HangupReason) =>
      requestVoid(http, { method: 'DELETE', path: ch(channelId), query: { reason } }),

    play: (channelId, p: PlayParams) => {
      if (p.media.length === 0) return Promise.reject(new AppError('BAD_REQUEST', 'play needs at least one media URI'))
      const bad = commaListError('media', p.media)
      if (bad) return Promise.reject(bad)
      return requestOne<Playback>(
        http,
        { method: 'POST', path: ch(channelId, 'play'), query: { media: p.media, lang: p.lang, playbackId: p.playbackId } },
        playbackShape,
      )
    },

    startMoh: (channelId, mohClass?: string) =>
      requestVoid(http, { method: 'POST', path: ch(channelId, 'moh'), query: { mohClass } }),

    stopMoh: (channelId) => requestVoid(http, { method: 'DELETE', path: ch(channelId, 'moh') }),

    getVariable: async (channelId, name) => {
      try {
        const r = await http.request<{ value?: unknown }>({ method: 'GET', path: ch(channelId, 'variable'), query: { variable: name } })
        return typeof r?.value === 'string' ? r.value : undefined
      } catch (e) {
        // A 404 also means "no such channel"; only the variable's own 404 is an answer.
        if (isNotFound(e) && (e as AppError).message === VARIABLE_NOT_FOUND) return undefined
        throw e
      }
    },

    setVariable: (channelId, name, value) =>
      requestVoid(http, { method: 'POST', path: ch(channelId, 'variable'), query: { variable: name, value } }),

    sendDtmf: (channelId, dtmf) => requestVoid(http, { method: 'POST', path: ch(channelId, 'dtmf'), query: { dtmf } }),
  }
}
