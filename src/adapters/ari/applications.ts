/**
 * ApplicationsApi over ARI /applications: read the Stasis application and subscribe it to an
 * event source (channel:<id>, bridge:<id>, endpoint:<tech>/<res>, deviceState:<name>).
 */
import type { Application } from '../../domain/ari-models.js'
import type { ApplicationsApi } from '../../domain/telephony.js'
import { ariPath, type AriHttp } from './http.js'
import { requestOne } from './reply.js'
import { applicationShape } from './validate.js'

export function createApplicationsApi(http: AriHttp): ApplicationsApi {
  return {
    get: (app) => requestOne<Application>(http, { method: 'GET', path: ariPath('applications', app) }, applicationShape),
    subscribe: (app, eventSource) =>
      requestOne<Application>(
        http,
        { method: 'POST', path: ariPath('applications', app, 'subscription'), query: { eventSource } },
        applicationShape,
      ),
  }
}
