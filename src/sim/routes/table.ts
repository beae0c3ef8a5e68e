/** Every operation the simulator serves, in one table (routing and api-docs use it). */
import { bridgeRoutes } from './bridges.js'
import { channelMediaRoutes } from './channel-media.js'
import { channelRoutes } from './channels.js'
import { miscRoutes } from './misc.js'
import { err, q, type RouteSpec } from './types.js'

/** Served by the websocket upgrade; the table entry documents it (and answers 426 without upgrade). */
export const eventsRoute: RouteSpec = {
  api: 'events',
  path: '/events',
  method: 'GET',
  nickname: 'eventWebsocket',
  summary: 'WebSocket connection for events.',
  responseClass: 'Message',
  params: [
    q('app', 'Applications to subscribe to.', { required: true, multiple: true }),
    q('subscribeAll', 'Subscribe to all Asterisk events. If provided, the applications listed will be subscribed to all events, effectively disabling the application specific subscriptions.', { type: 'boolean' }),
  ],
  errors: [],
  handle: () => err(426, 'Upgrade Required'),
}

export const ROUTES: RouteSpec[] = [...channelRoutes, ...channelMediaRoutes, ...bridgeRoutes, ...miscRoutes, eventsRoute]
