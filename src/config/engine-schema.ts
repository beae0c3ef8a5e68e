/**
 * Engine settings schema (config/centralino.yaml), its defaults and the environment variables
 * that override it. The defaults run the demo with no file at all: the embedded ARI simulator,
 * the example flows, sections and prompt catalogue, and a local back office.
 */
import { Type, type Static, type TProperties } from '@sinclair/typebox'

const FlowIdPattern = '^[A-Za-z][A-Za-z0-9_-]*$'
const Port = (description: string) => Type.Integer({ minimum: 0, maximum: 65535, description })

const AriProps = {
  url: Type.String({ minLength: 1, description: 'ARI base URL, with or without /ari (env CENTRALINO_ARI_URL)' }),
  username: Type.String({ minLength: 1, description: 'ARI user (env CENTRALINO_ARI_USERNAME)' }),
  password: Type.String({ description: 'ARI password (env CENTRALINO_ARI_PASSWORD)' }),
  app: Type.String({ minLength: 1, description: 'Stasis application name (env CENTRALINO_ARI_APP)' }),
}
const SimulatorProps = {
  port: Port('Port of the embedded ARI simulator'),
  speed: Type.Number({ exclusiveMinimum: 0, description: 'Simulated time runs this many times faster than real time' }),
}
const PathsProps = {
  flows: Type.String({ minLength: 1, description: 'Directory of flow files (<id>.yaml), relative to the working directory' }),
  prompts: Type.String({ minLength: 1, description: 'Prompt catalogue file' }),
  sections: Type.String({ minLength: 1, description: 'Sections and agents file' }),
}
export const BackOfficeActionSchema = Type.Object(
  {
    method: Type.Union([Type.Literal('GET'), Type.Literal('POST')], { description: 'GET sends params as the query string, POST as a JSON body' }),
    path: Type.String({ pattern: '^/', expected: "a path starting with '/' (may contain {param} placeholders)" }),
  },
  { additionalProperties: false },
)
const BackOfficeProps = {
  baseUrl: Type.String({ pattern: '^https?://', expected: 'an http(s) URL', description: 'Back-office base URL (env CENTRALINO_BACKOFFICE_URL)' }),
  timeoutMs: Type.Integer({ minimum: 1, description: 'A call slower than this fails (the flow takes its failure branch)' }),
  actions: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$' }), BackOfficeActionSchema, {
    description: 'Named actions a flow service node can call',
  }),
}
const LogProps = {
  level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), {
    description: 'Log level (env CENTRALINO_LOG_LEVEL)',
  }),
}
export const ROLES = ['supervisor', 'campaign_manager', 'agent', 'viewer'] as const
const ApiUser = Type.Object(
  {
    user: Type.String({ minLength: 1, description: 'Who the token belongs to (audit, history)' }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r)), { description: 'supervisor, campaign_manager, agent or viewer' }),
    agentId: Type.Optional(Type.String({ minLength: 1, description: 'For role agent: the agent this user is (acts on itself only)' })),
  },
  { additionalProperties: false },
)
const HttpProps = {
  port: Port('Port of the HTTP API and dashboard; 0 = any free port (env CENTRALINO_HTTP_PORT)'),
  host: Type.String({ minLength: 1, description: 'Address the HTTP API listens on (env CENTRALINO_HTTP_HOST)' }),
  tokens: Type.Record(Type.String({ minLength: 8, expected: 'a bearer token of at least 8 characters' }), ApiUser, {
    description: 'Bearer token -> user, role (and agentId for agents). Empty: the demo tokens on the simulator, no access on a real Asterisk',
  }),
  users: Type.Record(
    Type.String({ minLength: 1 }),
    Type.Object(
      {
        role: Type.Union(ROLES.map((r) => Type.Literal(r)), { description: 'supervisor, campaign_manager, agent or viewer' }),
        agentId: Type.Optional(Type.String({ minLength: 1, description: 'For role agent: the agent this user is' })),
        password: Type.String({ pattern: '^scrypt\\$', expected: "a hash from 'centralino password' (scrypt$...)", description: 'scrypt hash of the password' }),
      },
      { additionalProperties: false },
    ),
    { description: 'User name -> role and password hash, for POST /api/login. Empty: the demo users on the simulator (password demo), none otherwise' },
  ),
  pauseReasons: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, uniqueItems: true, description: 'Pause reasons the operator desk offers' }),
  webrtc: Type.Object(
    {
      wsUrl: Type.String({ pattern: '^(wss?://.+)?$', expected: "a ws:// or wss:// URL, or ''", description: "Asterisk's WebSocket SIP transport the desk softphone registers to, e.g. wss://pbx.example.it:8089/ws; '' = no softphone (env CENTRALINO_WEBRTC_WS_URL)" }),
      domain: Type.Optional(Type.String({ minLength: 1, description: 'SIP domain of the agents (sip:<agentId>@domain); default the host of wsUrl' })),
    },
    { additionalProperties: false, description: 'The operator desk softphone (sip.js over WebSocket): the SIP user is the agent id, the operator types the password' },
  ),
}
const EscalationsProps = {
  webhookUrl: Type.String({ pattern: '^(https?://.+)?$', expected: "an http(s) URL or ''", description: "Every ticket/appointment change is POSTed here; '' = none (env CENTRALINO_ESCALATIONS_WEBHOOK_URL)" }),
  webhookSecret: Type.String({ description: "When set, each POST carries X-Centralino-Signature: sha256=HMAC of the body (env CENTRALINO_ESCALATIONS_WEBHOOK_SECRET)" }),
  maxAttempts: Type.Integer({ minimum: 1, description: 'Attempts per change before it is set aside (kept, listed, re-queueable)' }),
  retryBaseMs: Type.Integer({ minimum: 1, description: 'Delay after the first failure; doubles after each further one' }),
  retryMaxMs: Type.Integer({ minimum: 1, description: 'Longest delay between two attempts' }),
  timeoutMs: Type.Integer({ minimum: 1, description: 'A POST slower than this fails' }),
}
const StoreProps = {
  kind: Type.Union([Type.Literal('memory'), Type.Literal('redis')], {
    description: "'memory' (this engine only, lost on exit) or 'redis' (queues and agents shared by every engine) (env CENTRALINO_STORE)",
  }),
  url: Type.String({ minLength: 1, description: 'Redis URL (redis://host:6379/0) or Unix socket path, for kind redis (env CENTRALINO_REDIS_URL)' }),
  prefix: Type.String({
    pattern: '^[^{}]+$',
    expected: 'a non-empty prefix without braces',
    description: 'Prefix and hash tag of every Redis key: engines sharing the national queues use the same one (env CENTRALINO_REDIS_PREFIX)',
  }),
}

const strict = <T extends TProperties>(p: T) => Type.Object(p, { additionalProperties: false })
const partial = <T extends TProperties>(p: T) => Type.Partial(strict(p), { additionalProperties: false })

const Telephony = Type.Union([Type.Literal('simulator'), Type.Literal('ari')], {
  description: "'simulator' (embedded ARI simulator) or 'ari' (a real Asterisk) (env CENTRALINO_TELEPHONY)",
})
const Entries = Type.Record(Type.String({ pattern: '^[0-9A-Za-z_+*#-]+$' }), Type.String({ pattern: FlowIdPattern }), {
  description: 'Dialed number (or Stasis argument) -> flow id',
})
const DefaultFlow = Type.String({ pattern: FlowIdPattern, description: 'Flow for calls whose dialed number is not in entries' })

export const EngineConfigSchema = strict({
  ari: strict(AriProps),
  telephony: Telephony,
  simulator: strict(SimulatorProps),
  paths: strict(PathsProps),
  entries: Entries,
  defaultFlow: DefaultFlow,
  backOffice: strict(BackOfficeProps),
  log: strict(LogProps),
  http: strict(HttpProps),
  store: strict(StoreProps),
  escalations: strict(EscalationsProps),
})

/** What a config file may contain: every setting optional (defaults fill the rest). */
export const EngineFileSchema = partial({
  ari: partial(AriProps),
  telephony: Telephony,
  simulator: partial(SimulatorProps),
  paths: partial(PathsProps),
  entries: Entries,
  defaultFlow: DefaultFlow,
  backOffice: partial(BackOfficeProps),
  log: partial(LogProps),
  http: partial(HttpProps),
  store: partial(StoreProps),
  escalations: partial(EscalationsProps),
})

export type EngineConfig = Static<typeof EngineConfigSchema>
export type BackOfficeConfig = EngineConfig['backOffice']
export type BackOfficeAction = Static<typeof BackOfficeActionSchema>

export const ENGINE_DEFAULTS: EngineConfig = {
  ari: { url: 'http://127.0.0.1:8088', username: 'engine', password: 'engine', app: 'centralino' },
  telephony: 'simulator',
  simulator: { port: 8088, speed: 1 },
  paths: { flows: 'config/flows', prompts: 'prompts/catalogue.yaml', sections: 'config/sections.yaml' },
  entries: { '803164': 'national' },
  defaultFlow: 'national',
  backOffice: {
    baseUrl: 'http://127.0.0.1:8090',
    timeoutMs: 4000,
    actions: {
      'payment-dates': { method: 'POST', path: '/pensions/payment-dates' },
      'certificate-send': { method: 'POST', path: '/certificates/send' },
    },
  },
  log: { level: 'info' },
  http: { port: 8080, host: '0.0.0.0', tokens: {}, users: {}, pauseReasons: ['break', 'lunch', 'training', 'back-office', 'meeting'], webrtc: { wsUrl: '' } },
  store: { kind: 'memory', url: 'redis://127.0.0.1:6379', prefix: 'centralino' },
  escalations: { webhookUrl: '', webhookSecret: '', maxAttempts: 10, retryBaseMs: 1000, retryMaxMs: 300_000, timeoutMs: 5000 },
}

export interface EnvOverride {
  name: string
  path: readonly [keyof EngineConfig, ...string[]]
  kind: 'string' | 'port'
  /** Allowed values, when the setting is an enumeration. */
  values?: readonly string[]
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { name: 'CENTRALINO_ARI_URL', path: ['ari', 'url'], kind: 'string' },
  { name: 'CENTRALINO_ARI_USERNAME', path: ['ari', 'username'], kind: 'string' },
  { name: 'CENTRALINO_ARI_PASSWORD', path: ['ari', 'password'], kind: 'string' },
  { name: 'CENTRALINO_ARI_APP', path: ['ari', 'app'], kind: 'string' },
  { name: 'CENTRALINO_TELEPHONY', path: ['telephony'], kind: 'string', values: ['simulator', 'ari'] },
  { name: 'CENTRALINO_LOG_LEVEL', path: ['log', 'level'], kind: 'string', values: LOG_LEVELS },
  { name: 'CENTRALINO_HTTP_PORT', path: ['http', 'port'], kind: 'port' },
  { name: 'CENTRALINO_HTTP_HOST', path: ['http', 'host'], kind: 'string' },
  { name: 'CENTRALINO_WEBRTC_WS_URL', path: ['http', 'webrtc', 'wsUrl'], kind: 'string' },
  { name: 'CENTRALINO_BACKOFFICE_URL', path: ['backOffice', 'baseUrl'], kind: 'string' },
  { name: 'CENTRALINO_STORE', path: ['store', 'kind'], kind: 'string', values: ['memory', 'redis'] },
  { name: 'CENTRALINO_REDIS_URL', path: ['store', 'url'], kind: 'string' },
  { name: 'CENTRALINO_REDIS_PREFIX', path: ['store', 'prefix'], kind: 'string' },
  { name: 'CENTRALINO_ESCALATIONS_WEBHOOK_URL', path: ['escalations', 'webhookUrl'], kind: 'string' },
  { name: 'CENTRALINO_ESCALATIONS_WEBHOOK_SECRET', path: ['escalations', 'webhookSecret'], kind: 'string' },
]

/** Names the config file; default config/centralino.yaml when it exists. */
export const CONFIG_FILE_ENV = 'CENTRALINO_CONFIG'
export const DEFAULT_CONFIG_FILE = 'config/centralino.yaml'
