import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { flowIdForEntry, loadEngineConfig, parseEngineConfig, readEngineConfig } from '../../src/config/engine.js'
import { ENGINE_DEFAULTS, EngineConfigSchema, ENV_OVERRIDES } from '../../src/config/engine-schema.js'
import { isAppError } from '../../src/domain/errors.js'

/** Whether fn throws an error that passes check. */
function thrown(fn: () => unknown, check: (e: unknown) => boolean): boolean {
  try {
    fn()
  } catch (e) {
    return check(e)
  }
  return false
}

t.test('no file and no environment: the defaults run the demo', async (t) => {
  const r = parseEngineConfig(undefined, 'config/centralino.yaml', {})
  t.same(r.errors, [])
  t.same(r.config, ENGINE_DEFAULTS)
  t.equal(r.config.telephony, 'simulator')
  t.equal(r.config.ari.app, 'centralino')
  t.equal(r.config.entries['803164'], 'national')
  t.ok(r.config.backOffice.actions['payment-dates'])
  t.equal(r.file, undefined)
})

t.test('a file overrides the defaults key by key; entries and actions are replaced whole', async (t) => {
  const r = parseEngineConfig(
    `
ari: { url: 'http://pbx:8088', password: secret }
entries: { '800100': other }
backOffice:
  timeoutMs: 1000
  actions: { lookup: { method: GET, path: '/lookup/{id}' } }
`,
    'c.yaml',
    {},
  )
  t.same(r.errors, [])
  t.same(r.config.ari, { url: 'http://pbx:8088', username: 'engine', password: 'secret', app: 'centralino' })
  t.same(r.config.entries, { '800100': 'other' })
  t.same(r.config.backOffice, { baseUrl: ENGINE_DEFAULTS.backOffice.baseUrl, timeoutMs: 1000, actions: { lookup: { method: 'GET', path: '/lookup/{id}' } } })
  t.equal(r.file, 'c.yaml')
})

t.test('the environment wins over the file', async (t) => {
  const r = parseEngineConfig('telephony: simulator\nhttp: { port: 9000 }\n', 'c.yaml', {
    CENTRALINO_TELEPHONY: 'ari',
    CENTRALINO_HTTP_PORT: '8181',
    CENTRALINO_ARI_URL: 'http://10.0.0.1:8088',
    CENTRALINO_ARI_USERNAME: 'u',
    CENTRALINO_ARI_PASSWORD: 'p',
    CENTRALINO_ARI_APP: 'app2',
    CENTRALINO_LOG_LEVEL: 'debug',
    CENTRALINO_BACKOFFICE_URL: 'https://bo.example.it',
    CENTRALINO_UNRELATED: 'x',
  })
  t.same(r.errors, [])
  t.equal(r.config.telephony, 'ari')
  t.equal(r.config.http.port, 8181)
  t.same(r.config.ari, { url: 'http://10.0.0.1:8088', username: 'u', password: 'p', app: 'app2' })
  t.equal(r.config.log.level, 'debug')
  t.equal(r.config.backOffice.baseUrl, 'https://bo.example.it')
})

t.test('every error at once, with positions; bad environment values by name', async (t) => {
  const text = `ari:
  url: 3
  user: x
http:
  port: 99999
telephony: sip
backOffice:
  actions:
    lookup: { method: PUT, path: lookup }
`
  const r = parseEngineConfig(text, 'c.yaml', { CENTRALINO_HTTP_PORT: 'eighty', CENTRALINO_LOG_LEVEL: 'loud', CENTRALINO_BACKOFFICE_URL: 'ftp://x' })
  const got = r.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path}`)
  t.same(got, [
    'c.yaml:2:8 ari.url',
    'c.yaml:3:3 ari.user',
    'c.yaml:5:9 http.port',
    'c.yaml:6:12 telephony',
    'c.yaml:9:23 backOffice.actions.lookup.method',
    'c.yaml:9:34 backOffice.actions.lookup.path',
    'environment:0:0 CENTRALINO_HTTP_PORT',
    'environment:0:0 CENTRALINO_LOG_LEVEL',
  ])
  t.match(r.errors[1]!.message, /unknown property 'user'.*username/)
  t.match(r.errors[3]!.message, /expected one of "simulator", "ari", got "sip"/)
  t.match(r.errors[5]!.message, /path starting with '\/'/)
  t.match(r.errors[6]!.message, /port number/)
  t.match(r.errors[7]!.message, /expected one of fatal, error/)
  const onlyEnv = parseEngineConfig(undefined, 'c.yaml', { CENTRALINO_BACKOFFICE_URL: 'ftp://x' })
  t.same(onlyEnv.errors.map((e) => e.path), ['CENTRALINO_BACKOFFICE_URL'], 'a value only the full schema rejects')
})

t.test('readEngineConfig: CENTRALINO_CONFIG names the file; a named file that is missing is an error', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-cfg-'))
  writeFileSync(path.join(dir, 'my.yaml'), 'http: { port: 7000 }\n')
  const r = readEngineConfig({ cwd: dir, env: { CENTRALINO_CONFIG: 'my.yaml' } })
  t.same(r.errors, [])
  t.equal(r.config.http.port, 7000)
  const none = readEngineConfig({ cwd: dir, env: {} })
  t.same(none.errors, [], 'no config/centralino.yaml in the directory: defaults')
  t.same(none.config, ENGINE_DEFAULTS)
  const missing = readEngineConfig({ cwd: dir, env: {}, file: 'nope.yaml' })
  t.match(missing.errors, [{ file: 'nope.yaml', message: /cannot read config file \(ENOENT\)/ }])
  t.ok(thrown(() => loadEngineConfig({ cwd: dir, env: {}, file: 'nope.yaml' }), (e) => isAppError(e, 'CONFIG_INVALID')))
  t.equal(loadEngineConfig({ cwd: dir, env: {} }).telephony, 'simulator')
})

t.test('flowIdForEntry maps dialed numbers, else the default flow', async (t) => {
  const c = { entries: { '803164': 'national', '800': 'campaign' }, defaultFlow: 'national' }
  t.equal(flowIdForEntry(c, '800'), 'campaign')
  t.equal(flowIdForEntry(c, '999'), 'national')
  t.equal(flowIdForEntry(c, undefined), 'national')
  t.equal(flowIdForEntry(c, 'constructor'), 'national', 'no prototype keys')
})

t.test('the schema documents the environment variable of each override', async (t) => {
  const text = JSON.stringify(EngineConfigSchema)
  for (const o of ENV_OVERRIDES) t.ok(text.includes(o.name), o.name)
})

t.test('operator desk settings: default pause reasons and no softphone; a file sets them; a bad WebSocket URL is an error', async (t) => {
  const env = parseEngineConfig(undefined, 'defaults', { CENTRALINO_WEBRTC_WS_URL: 'wss://pbx.example.it:8089/ws' })
  t.equal(env.config.http.webrtc.wsUrl, 'wss://pbx.example.it:8089/ws', 'the environment sets the softphone URL (containers)')
  t.match(parseEngineConfig(undefined, 'defaults', { CENTRALINO_WEBRTC_WS_URL: 'http://x' }).errors, [{ file: 'environment', path: 'CENTRALINO_WEBRTC_WS_URL', message: /invalid value/ }], 'and is checked like the file, the error naming the variable')
  const d = parseEngineConfig(undefined, 'defaults', {})
  t.same(d.config.http.pauseReasons, ['break', 'lunch', 'training', 'back-office', 'meeting'])
  t.same(d.config.http.webrtc, { wsUrl: '' })
  const r = parseEngineConfig("http:\n  pauseReasons: [coffee, training]\n  webrtc: { wsUrl: 'wss://pbx.example.it:8089/ws', domain: example.it }\n", 'c.yaml', {})
  t.same(r.errors, [])
  t.same(r.config.http.pauseReasons, ['coffee', 'training'], 'the list replaces the default one')
  t.same(r.config.http.webrtc, { wsUrl: 'wss://pbx.example.it:8089/ws', domain: 'example.it' })
  t.equal(r.config.http.port, 8080, 'the rest of http keeps its defaults')
  const bad = parseEngineConfig("http:\n  pauseReasons: []\n  webrtc: { wsUrl: 'https://pbx:8089/ws' }\n", 'c.yaml', {})
  t.same(bad.errors.map((e) => e.path), ['http.pauseReasons', 'http.webrtc.wsUrl'])
})
