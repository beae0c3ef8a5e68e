/** The one error shape: validation, malformed bodies, unknown routes, conflicts, internal errors. */
import Fastify, { type FastifyBaseLogger } from 'fastify'
import t, { type Test } from 'tap'
import { AppError } from '../../src/domain/errors.js'
import { createLogger } from '../../src/domain/log.js'
import { installAuth, tokenAuthenticator } from '../../src/http/auth.js'
import { installErrorHandling, statusOfCode, validationDetails } from '../../src/http/errors.js'
import { auth, startApi } from './fixture.js'

const json = (token = 'tok-supervisor') => ({ ...auth(token), 'content-type': 'application/json' })

/** Exactly { error: { code, message, details? } } and nothing else. */
function errorShape(t: Test, body: string, code: string): { code: string; message: string; details?: unknown } {
  const parsed = JSON.parse(body) as { error: { code: string; message: string; details?: unknown } }
  t.same(Object.keys(parsed), ['error'], 'only the error key')
  t.equal(parsed.error.code, code)
  t.type(parsed.error.message, 'string')
  t.ok(Object.keys(parsed.error).every((k) => ['code', 'message', 'details'].includes(k)), 'code, message, details only')
  t.notMatch(body, /\bat .+\.(ts|js):\d+/, 'no stack trace')
  return parsed.error
}

t.test('schema validation: 400 BAD_REQUEST listing every failing path', async (t) => {
  const { app } = await startApi(t)
  const r = await app.inject({ method: 'POST', url: '/api/escalations/tickets', headers: json(), payload: { section: 'weather', subject: '', citizen: {}, extra: 1 } })
  t.equal(r.statusCode, 400)
  const e = errorShape(t, r.body, 'BAD_REQUEST')
  const paths = (e.details as { errors: Array<{ path: string }> }).errors.map((x) => x.path).sort()
  t.same(paths, ['/body/citizen', '/body/extra', '/body/section', '/body/subject'])
  t.match(e.message, /^invalid request: \/body\//)

  const q = await app.inject({ method: 'GET', url: '/api/stats?interval=7m&colour=red', headers: auth('tok-supervisor') })
  t.equal(q.statusCode, 400)
  t.same((errorShape(t, q.body, 'BAD_REQUEST').details as { errors: Array<{ path: string }> }).errors.map((x) => x.path).sort(), ['/querystring/colour', '/querystring/interval'])

  const p = await app.inject({ method: 'GET', url: '/api/escalations/not-a-uuid', headers: auth('tok-supervisor') })
  t.equal(p.statusCode, 400)
  t.match(errorShape(t, p.body, 'BAD_REQUEST').details, { errors: [{ path: '/params/id' }] })
})

t.test('malformed JSON: 400 without echoing the body; wrong content type: 415; empty JSON body: no body', async (t) => {
  const { app } = await startApi(t)
  const r = await app.inject({ method: 'POST', url: '/api/agents/op1/login', headers: json(), payload: '{"endpoint": "PJSIP/+393331234567"' })
  t.equal(r.statusCode, 400)
  t.equal(errorShape(t, r.body, 'BAD_REQUEST').message, 'malformed JSON body')
  t.notMatch(r.body, /3331234567/, 'the body is not quoted back')

  const proto = await app.inject({ method: 'POST', url: '/api/agents/op1/pause', headers: json(), payload: '{"reason": "x", "__proto__": {"admin": true}}' })
  t.equal(proto.statusCode, 400, 'prototype poisoning refused')
  errorShape(t, proto.body, 'BAD_REQUEST')

  const text = await app.inject({ method: 'POST', url: '/api/agents/op1/pause', headers: { ...auth('tok-supervisor'), 'content-type': 'text/plain' }, payload: 'lunch' })
  t.equal(text.statusCode, 415)
  t.match(errorShape(t, text.body, 'BAD_REQUEST').message, /application\/json/)

  const empty = await app.inject({ method: 'POST', url: '/api/agents/op2/pause', headers: json(), payload: '' })
  t.equal(empty.statusCode, 400, 'a required body that is missing is a validation error')
  t.match(errorShape(t, empty.body, 'BAD_REQUEST').message, /body/)
  const ready = await app.inject({ method: 'POST', url: '/api/agents/op2/ready', headers: json(), payload: '' })
  t.equal(ready.statusCode, 200, 'an action without a body accepts the JSON header with nothing after it')
})

t.test('unknown route 404 and unknown resource 404, conflict 409, all in the shape', async (t) => {
  const { app } = await startApi(t)
  const r = await app.inject({ method: 'GET', url: '/api/nothing?x=1' })
  t.equal(r.statusCode, 404)
  t.equal(errorShape(t, r.body, 'NOT_FOUND').message, 'no route GET /api/nothing')
  const a = await app.inject({ method: 'GET', url: '/api/agents/zz', headers: auth('tok-supervisor') })
  t.equal(a.statusCode, 404)
  errorShape(t, a.body, 'NOT_FOUND')
  const c = await app.inject({ method: 'POST', url: '/api/agents/op3/logout', headers: auth('tok-supervisor') })
  t.equal(c.statusCode, 409)
  t.same(errorShape(t, c.body, 'CONFLICT').details, { state: 'on_call' })
})

t.test('unexpected errors: 500 INTERNAL with a fixed message, logged; AppError 5xx keeps its code, without details', async (t) => {
  const lines: string[] = []
  const app = Fastify({ loggerInstance: createLogger({ level: 'error', destination: { write: (s: string) => void lines.push(s) } }) as FastifyBaseLogger })
  installErrorHandling(app)
  installAuth(app, { authenticator: tokenAuthenticator({}) })
  app.get('/boom', { config: { roles: 'public' } }, async () => {
    throw new Error('secret internals for +393331234567')
  })
  app.get('/store', { config: { roles: 'public' } }, async () => {
    throw new AppError('STORE_UNAVAILABLE', 'redis down', { host: 'internal-host' })
  })
  t.teardown(() => app.close())
  const r = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(r.statusCode, 500)
  t.equal(errorShape(t, r.body, 'INTERNAL').message, 'internal error')
  t.notMatch(r.body, /secret/)
  t.match(lines.join(''), /request failed/, 'logged')
  t.notMatch(lines.join(''), /3331234567/, 'the log is redacted')
  const s = await app.inject({ method: 'GET', url: '/store' })
  t.equal(s.statusCode, 503)
  const e = errorShape(t, s.body, 'STORE_UNAVAILABLE')
  t.equal(e.details, undefined, 'no internal details on 5xx')
})

t.test('status per code; ajv errors to paths', async (t) => {
  t.same(
    (['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL', 'STORE_UNAVAILABLE', 'ARI_HTTP'] as const).map(statusOfCode),
    [400, 401, 403, 404, 409, 500, 503, 502],
  )
  t.same(
    validationDetails('body', [
      { instancePath: '', keyword: 'required', params: { missingProperty: 'to' } },
      { instancePath: '/citizen', keyword: 'additionalProperties', params: { additionalProperty: 'iban' } },
      { instancePath: '/startsAt', keyword: 'format', message: 'must match format "date-time"' },
    ]),
    [
      { path: '/body/to', message: 'is required' },
      { path: '/body/citizen/iban', message: 'is not allowed' },
      { path: '/body/startsAt', message: 'must match format "date-time"' },
    ],
  )
})
