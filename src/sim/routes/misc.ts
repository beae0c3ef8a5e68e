/** /playbacks, /applications, /asterisk (info, ping) and /endpoints (minimal). */
import type { Sim } from '../core.js'
import { err, noContent, ok, okJson, pathParam, q, type RouteSpec } from './types.js'

type SubResult = { status: number; message?: string }

function subscription(sim: Sim, appName: string, sources: string[], add: boolean): SubResult {
  const app = sim.apps.get(appName)
  if (sources.length === 0) return { status: 400, message: 'Missing parameter eventSource' }
  if (!app) return { status: 404, message: 'Application not found' }
  const resolved: Array<() => void> = []
  for (const src of sources) {
    const colon = src.indexOf(':')
    const scheme = colon > 0 ? src.slice(0, colon) : ''
    const id = src.slice(colon + 1)
    if (scheme === 'channel') {
      const ch = sim.registry.get(id)
      if (!ch || ch.internal) return { status: 422, message: add ? 'Event source does not exist' : 'Event source was not subscribed to' }
      if (!add && !app.channels.has(ch)) return { status: 422, message: 'Event source was not subscribed to' }
      resolved.push(() => (add ? sim.apps.subscribeChannel(app, ch) : sim.apps.unsubscribeChannel(app, ch)))
    } else if (scheme === 'bridge') {
      const b = sim.bridges.get(id)
      if (!b) return { status: 422, message: add ? 'Event source does not exist' : 'Event source was not subscribed to' }
      if (!add && !app.bridges.has(b)) return { status: 422, message: 'Event source was not subscribed to' }
      resolved.push(() => (add ? sim.apps.subscribeBridge(app, b) : sim.apps.unsubscribeBridge(app, b)))
    } else if (scheme === 'endpoint' || scheme === 'deviceState') {
      resolved.push(() => undefined)
    } else return { status: 400, message: 'Invalid event source URI scheme' }
  }
  resolved.forEach((f) => f())
  return { status: 200 }
}

const APP = pathParam('applicationName', "Application's name")

export const miscRoutes: RouteSpec[] = [
  {
    api: 'playbacks',
    path: '/playbacks/{playbackId}',
    method: 'GET',
    nickname: 'get',
    summary: "Get a playback's details.",
    responseClass: 'Playback',
    params: [pathParam('playbackId', "Playback's id")],
    errors: [[404, 'The playback cannot be found']],
    handle: ({ sim, path }) => {
      const pb = sim.playbacks.get(path.playbackId!)
      return pb ? okJson(pb.json()) : err(404, 'Playback not found')
    },
  },
  {
    api: 'playbacks',
    path: '/playbacks/{playbackId}',
    method: 'DELETE',
    nickname: 'stop',
    summary: 'Stop a playback.',
    responseClass: 'void',
    params: [pathParam('playbackId', "Playback's id")],
    errors: [[404, 'The playback cannot be found']],
    handle: ({ sim, path }) => {
      const pb = sim.playbacks.get(path.playbackId!)
      if (!pb) return err(404, 'Playback not found')
      return pb.stop() === 'ok' ? noContent() : err(500, 'Could not stop playback')
    },
  },
  {
    api: 'applications',
    path: '/applications',
    method: 'GET',
    nickname: 'list',
    summary: 'List all applications.',
    responseClass: 'List[Application]',
    params: [],
    errors: [],
    handle: ({ sim }) => ok(sim.apps.list().map((a) => a.toJson())),
  },
  {
    api: 'applications',
    path: '/applications/{applicationName}',
    method: 'GET',
    nickname: 'get',
    summary: 'Get details of an application.',
    responseClass: 'Application',
    params: [APP],
    errors: [[404, 'Application does not exist.']],
    handle: ({ sim, path }) => {
      const app = sim.apps.get(path.applicationName!)
      return app ? ok(app.toJson()) : err(404, 'Application not found')
    },
  },
  ...(['POST', 'DELETE'] as const).map(
    (method): RouteSpec => ({
      api: 'applications',
      path: '/applications/{applicationName}/subscription',
      method,
      nickname: method === 'POST' ? 'subscribe' : 'unsubscribe',
      summary: method === 'POST' ? 'Subscribe an application to a event source.' : 'Unsubscribe an application from an event source.',
      responseClass: 'Application',
      params: [APP, q('eventSource', 'URI for event source (channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}[/{resource}], deviceState:{deviceName}', { required: true, multiple: true })],
      errors: [
        [400, 'Missing parameter.'],
        [404, 'Application does not exist.'],
        [422, 'Event source does not exist.'],
      ],
      handle: ({ sim, p, path }) => {
        const r = subscription(sim, path.applicationName!, p.list('eventSource'), method === 'POST')
        if (r.status !== 200) return err(r.status, r.message ?? '')
        return ok(sim.apps.get(path.applicationName!)!.toJson())
      },
    }),
  ),
  {
    api: 'asterisk',
    path: '/asterisk/info',
    method: 'GET',
    nickname: 'getInfo',
    summary: 'Gets Asterisk system information.',
    responseClass: 'AsteriskInfo',
    params: [q('only', 'Filter information returned', { multiple: true, values: ['build', 'system', 'config', 'status'] })],
    errors: [],
    handle: ({ sim }) =>
      ok({
        build: { os: 'Linux', kernel: '', machine: 'x86_64', options: '', date: '', user: 'simulator' },
        system: { version: '22.10.1', entity_id: sim.bus.asteriskId },
        config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
        status: { startup_time: sim.bus.now(), last_reload_time: sim.bus.now() },
      }),
  },
  {
    api: 'asterisk',
    path: '/asterisk/ping',
    method: 'GET',
    nickname: 'ping',
    summary: 'Response pong message.',
    responseClass: 'AsteriskPing',
    params: [],
    errors: [],
    handle: ({ sim }) => ok({ ping: 'pong', timestamp: sim.bus.now(), asterisk_id: sim.bus.asteriskId }),
  },
  {
    api: 'endpoints',
    path: '/endpoints',
    method: 'GET',
    nickname: 'list',
    summary: 'List all endpoints.',
    responseClass: 'List[Endpoint]',
    params: [],
    errors: [],
    handle: ({ sim }) => {
      const byDevice = new Map<string, string[]>()
      for (const ch of sim.registry.visible()) if (ch.tech === 'PJSIP') byDevice.set(ch.device, [...(byDevice.get(ch.device) ?? []), ch.id])
      for (const ep of sim.phoneOverrides.keys()) {
        const d = ep.replace(/^PJSIP\/(?:[^@]*@)?/, 'PJSIP/')
        if (!byDevice.has(d)) byDevice.set(d, [])
      }
      return ok(
        [...byDevice].map(([d, ids]) => ({ technology: 'PJSIP', resource: d.slice(6), state: 'online', channel_ids: ids })),
      )
    },
  },
]
