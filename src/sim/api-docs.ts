/**
 * Swagger 1.1 documents generated from the simulator's own route table, shaped like
 * Asterisk's /ari/api-docs (resources.json listing one document per API, basePath taken from
 * the request's Host header). They describe only what the simulator serves.
 */
import type { RouteSpec } from './routes/types.js'

const DESCRIPTIONS: Record<string, string> = {
  asterisk: 'Asterisk resources',
  endpoints: 'Endpoint resources',
  channels: 'Channel resources',
  bridges: 'Bridge resources',
  playbacks: 'Playback control resources',
  events: 'WebSocket resource',
  applications: 'Stasis application resources',
}

const str = (description: string) => ({ required: true, type: 'string', description })

const MODELS: Record<string, Record<string, unknown>> = {
  CallerID: { id: 'CallerID', description: 'Caller identification', properties: { name: str('Name'), number: str('Number') } },
  DialplanCEP: {
    id: 'DialplanCEP',
    description: 'Dialplan location (context/extension/priority)',
    properties: { context: str('Context in the dialplan'), exten: str('Extension in the dialplan'), priority: { required: true, type: 'long', description: 'Priority in the dialplan' }, app_name: str('Name of current dialplan application'), app_data: str('Parameter of current dialplan application') },
  },
  Channel: {
    id: 'Channel',
    description: 'A specific communication connection between Asterisk and an Endpoint.',
    properties: {
      id: str('Unique identifier of the channel.'),
      name: str('Name of the channel (i.e. SIP/foo-0000a7e3)'),
      state: { required: true, type: 'string', description: 'Channel state' },
      protocol_id: str('Protocol id from underlying channel driver (empty for the simulator).'),
      caller: { required: true, type: 'CallerID', description: 'Caller' },
      connected: { required: true, type: 'CallerID', description: 'Connected line' },
      accountcode: str('Account code'),
      dialplan: { required: true, type: 'DialplanCEP', description: 'Current location in the dialplan' },
      creationtime: { required: true, type: 'Date', description: 'Timestamp when channel was created' },
      language: str('The default spoken language'),
    },
  },
  Bridge: {
    id: 'Bridge',
    description: 'The merging of media from one or more channels.',
    properties: {
      id: str('Unique identifier for this bridge'),
      technology: str('Name of the current bridging technology'),
      bridge_type: str('Type of bridge technology (mixing, holding)'),
      bridge_class: str('Bridging class'),
      creator: str('Entity that created the bridge'),
      name: str('Name the creator gave the bridge'),
      channels: { required: true, type: 'List[string]', description: 'Ids of channels participating in this bridge' },
      video_mode: { required: false, type: 'string', description: 'The video mode the bridge is using.' },
      creationtime: { required: true, type: 'Date', description: 'Timestamp when bridge was created' },
    },
  },
  Playback: {
    id: 'Playback',
    description: 'Object representing the playback of media to a channel',
    properties: {
      id: str('ID for this playback operation'),
      media_uri: str('The URI for the media currently being played back.'),
      next_media_uri: { required: false, type: 'string', description: 'If a list of URIs is being played, the next media URI to be played back.' },
      target_uri: str('URI for the channel or bridge to play the media on'),
      language: { required: false, type: 'string', description: 'For media types that support multiple languages, the language requested for playback.' },
      state: str('Current state of the playback operation (queued, playing, continuing, done, failed).'),
    },
  },
  Application: {
    id: 'Application',
    description: 'Details of a Stasis application',
    properties: {
      name: str("Name of this application"),
      channel_ids: { required: true, type: 'List[string]', description: 'Id\'s for channels subscribed to.' },
      bridge_ids: { required: true, type: 'List[string]', description: 'Id\'s for bridges subscribed to.' },
      endpoint_ids: { required: true, type: 'List[string]', description: 'Endpoints subscribed to (not modelled).' },
      device_names: { required: true, type: 'List[string]', description: 'Devices subscribed to (not modelled).' },
      events_allowed: { required: true, type: 'List[object]', description: 'Event types sent to the application.' },
      events_disallowed: { required: true, type: 'List[object]', description: 'Event types not sent to the application.' },
    },
  },
  Variable: { id: 'Variable', description: 'The value of a channel variable', properties: { value: str('The value of the variable requested') } },
  AsteriskPing: { id: 'AsteriskPing', description: 'Asterisk ping information', properties: { asterisk_id: str('Asterisk id info'), ping: str('Always string value is pong'), timestamp: str('The timestamp string of request received time') } },
  AsteriskInfo: { id: 'AsteriskInfo', description: 'Asterisk system information', properties: {} },
  Endpoint: { id: 'Endpoint', description: 'An external device that may offer/accept calls to/from Asterisk.', properties: { technology: str('Technology of the endpoint'), resource: str('Identifier of the endpoint, specific to the given technology.'), state: { required: false, type: 'string', description: "Endpoint's state" }, channel_ids: { required: true, type: 'List[string]', description: "Id's of channels associated with this endpoint" } } },
  Message: { id: 'Message', description: 'Base type for errors and events', properties: { type: str('Indicates the type of this message.') } },
}

function modelsFor(routes: RouteSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const add = (name: string): void => {
    const m = MODELS[name]
    if (!m || out[name]) return
    out[name] = m
    for (const p of Object.values((m.properties ?? {}) as Record<string, { type: string }>)) add(p.type.replace(/^List\[(.*)\]$/, '$1'))
  }
  for (const r of routes) add(r.responseClass.replace(/^List\[(.*)\]$/, '$1'))
  return out
}

export function apiNames(routes: RouteSpec[]): string[] {
  const seen: string[] = []
  for (const r of routes) if (!seen.includes(r.api)) seen.push(r.api)
  return seen
}

export function resourcesDoc(routes: RouteSpec[], basePath: string): Record<string, unknown> {
  return {
    apiVersion: '10.0.0',
    swaggerVersion: '1.1',
    basePath,
    apis: apiNames(routes).map((api) => ({ path: `/api-docs/${api}.{format}`, description: DESCRIPTIONS[api] ?? api })),
  }
}

export function apiDoc(routes: RouteSpec[], api: string, basePath: string): Record<string, unknown> | undefined {
  const mine = routes.filter((r) => r.api === api)
  if (mine.length === 0) return undefined
  const paths: string[] = []
  for (const r of mine) if (!paths.includes(r.path)) paths.push(r.path)
  return {
    apiVersion: '2.0.0',
    swaggerVersion: api === 'events' ? '1.2' : '1.1',
    basePath,
    resourcePath: `/api-docs/${api}.{format}`,
    apis: paths.map((path) => ({
      path,
      description: DESCRIPTIONS[api] ?? api,
      operations: mine
        .filter((r) => r.path === path)
        .map((r) => ({
          httpMethod: r.method,
          ...(r.api === 'events' ? { upgrade: 'websocket', websocketProtocol: 'ari' } : {}),
          summary: r.summary,
          nickname: r.nickname,
          responseClass: r.responseClass,
          parameters: r.params.map((p) => ({
            name: p.name,
            description: p.description,
            paramType: p.in,
            required: p.required ?? false,
            allowMultiple: p.multiple ?? false,
            dataType: p.type,
            ...(p.values ? { allowableValues: { valueType: 'LIST', values: p.values } } : {}),
          })),
          errorResponses: r.errors.map(([code, reason]) => ({ code, reason })),
        })),
    })),
    models: modelsFor(mine),
  }
}
