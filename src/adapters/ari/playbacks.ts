/** PlaybacksApi over ARI /playbacks: read a playback and stop it (DELETE). */
import type { Playback } from '../../domain/ari-models.js'
import type { PlaybacksApi } from '../../domain/telephony.js'
import { ariPath, type AriHttp } from './http.js'
import { requestOne, requestVoid } from './reply.js'
import { playbackShape } from './validate.js'

export function createPlaybacksApi(http: AriHttp): PlaybacksApi {
  return {
    get: (playbackId) => requestOne<Playback>(http, { method: 'GET', path: ariPath('playbacks', playbackId) }, playbackShape),
    stop: (playbackId) => requestVoid(http, { method: 'DELETE', path: ariPath('playbacks', playbackId) }),
  }
}
