import t, { type Test } from 'tap'
import { RealClock } from '../../../src/domain/clock.js'
import { AppError, isAppError } from '../../../src/domain/errors.js'
import { silentLogger } from '../../../src/domain/log.js'
import { AriHttp, ariPath, ariStatus, encodeQuery, errorText, isNotFound } from '../../../src/adapters/ari/http.js'
import { closedPort, sendJson, sendText, startFakeHttp, type Handler } from './fake-ari.js'

async function setup(t: Test, handler: Handler, o: { connections?: number; requestTimeoutMs?: number } = {}) {
  const server = await startFakeHttp(handler)
  const client = new AriHttp({
    origin: server.url,
    basePath: '/ari',
    username: 'engine',
    password: 'engine',
    connections: o.connections ?? 8,
    requestTimeoutMs: o.requestTimeoutMs ?? 5_000,
    clock: new RealClock(),
    logger: silentLogger(),
  })
  t.teardown(async () => {
    await client.close(100)
    await server.close()
  })
  return { server, client }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected a failure')
}

t.test('path and query encoding', async (t) => {
  t.equal(ariPath('channels', 'abc;2', 'play'), '/channels/abc%3B2/play')
  t.equal(encodeQuery({ a: 'x y', b: undefined, c: ['one', 'two'], d: 3, e: true }), '?a=x%20y&c=one%2Ctwo&d=3&e=true')
  t.equal(encodeQuery({ callerId: '"A B" <+39061234>' }), '?callerId=%22A%20B%22%20%3C%2B39061234%3E')
  t.equal(encodeQuery({}), '')
  t.equal(encodeQuery(undefined), '')
})

t.test('replies: JSON, 204, Basic auth, JSON body', async (t) => {
  const { server, client } = await setup(t, (r, res) => {
    if (r.path === '/ari/asterisk/ping') sendJson(res, 200, { ping: 'pong' })
    else sendJson(res, 204)
  })
  t.same(await client.request({ method: 'GET', path: '/asterisk/ping' }), { ping: 'pong' })
  t.equal(await client.request({ method: 'POST', path: '/channels/x/answer', body: { variables: { A: '1' } } }), undefined)
  const [ping, post] = server.requests
  t.equal(ping?.headers.authorization, 'Basic ' + Buffer.from('engine:engine').toString('base64'))
  t.equal(ping?.headers['content-type'], undefined, 'no body, no content-type')
  t.equal(post?.headers['content-type'], 'application/json')
  t.same(post?.body, { variables: { A: '1' } })
})

t.test('error mapping', async (t) => {
  const replies: Record<string, (res: Parameters<Handler>[1]) => void> = {
    '/ari/channels/gone': (res) => sendJson(res, 404, { message: 'Channel not found' }),
    '/ari/channels': (res) => sendJson(res, 500, { error: 'Allocation failed' }),
    '/ari/channels/dup': (res) => sendJson(res, 409, { message: 'Channel with given unique ID already exists' }),
    '/ari/bridges/b/addChannel': (res) => sendJson(res, 422, { message: 'Channel not in Stasis application' }),
    '/ari/secret': (res) => {
      res.setHeader('www-authenticate', 'Basic realm="Asterisk REST Interface"')
      sendJson(res, 401, { message: 'Authentication required' })
    },
    '/ari/html': (res) => sendText(res, 404, '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD><BODY>nope</BODY></HTML>'),
    '/ari/plain': (res) => sendText(res, 503, 'busy right now', 'text/plain'),
    '/ari/empty': (res) => sendJson(res, 500),
    '/ari/badjson': (res) => sendText(res, 200, '{"id": ', 'application/json'),
  }
  const { client } = await setup(t, (r, res) => replies[r.path]?.(res))

  let e = await failure(client.request({ method: 'GET', path: '/channels/gone' }))
  t.equal(e.code, 'ARI_HTTP')
  t.equal(e.message, 'Channel not found')
  t.same(e.details, { status: 404, body: { message: 'Channel not found' }, method: 'GET', path: '/channels/gone' })
  t.ok(isNotFound(e))
  t.equal(ariStatus(e), 404)

  e = await failure(client.request({ method: 'POST', path: '/channels', query: { endpoint: 'Bogus/x' } }))
  t.equal(e.message, 'Allocation failed', 'the {"error": ...} form')
  t.equal(ariStatus(e), 500)
  t.notOk(isNotFound(e))
  t.equal((e.details as { path: string }).path, '/channels', 'no query string in details')

  e = await failure(client.request({ method: 'POST', path: '/channels/dup' }))
  t.match(e, { message: 'Channel with given unique ID already exists', details: { status: 409 } })

  e = await failure(client.request({ method: 'POST', path: '/bridges/b/addChannel' }))
  t.match(e, { message: 'Channel not in Stasis application', details: { status: 422 } })

  e = await failure(client.request({ method: 'GET', path: '/secret' }))
  t.match(e, { code: 'ARI_HTTP', message: 'Authentication required', details: { status: 401 } })

  e = await failure(client.request({ method: 'GET', path: '/html' }))
  t.match(e, { message: '404 Not Found', details: { status: 404 } })
  t.match((e.details as { body: string }).body, /<BODY>nope/, 'the HTML text is kept')

  e = await failure(client.request({ method: 'GET', path: '/plain' }))
  t.match(e, { message: 'busy right now', details: { status: 503, body: 'busy right now' } })

  e = await failure(client.request({ method: 'DELETE', path: '/empty' }))
  t.match(e, { message: 'HTTP 500', details: { status: 500, body: null, method: 'DELETE' } })

  e = await failure(client.request({ method: 'GET', path: '/badjson' }))
  t.match(e, { code: 'ARI_HTTP', message: /not valid JSON/, details: { status: 200 } })

  t.notOk(isNotFound(new Error('x')))
  t.notOk(isNotFound(new AppError('ARI_TIMEOUT', 'x')))
  t.equal(errorText({ message: '' , error: 'e' }, '', 400), 'e')
})

t.test('a request past its deadline is ARI_TIMEOUT', async (t) => {
  const { client } = await setup(
    t,
    (r, res) => {
      if (r.path !== '/ari/slow') sendJson(res, 200, { ok: true })
      // else: never answer
    },
    { requestTimeoutMs: 150 },
  )
  const e = await failure(client.request({ method: 'POST', path: '/slow' }))
  t.equal(e.code, 'ARI_TIMEOUT')
  t.match(e.details, { method: 'POST', path: '/slow', timeoutMs: 150 })
  t.same(await client.request({ method: 'GET', path: '/fast' }), { ok: true }, 'the pool still works afterwards')
})

t.test('connection refused is ARI_UNAVAILABLE', async (t) => {
  const port = await closedPort()
  const client = new AriHttp({
    origin: `http://127.0.0.1:${port}`,
    basePath: '/ari',
    username: 'u',
    password: 'p',
    connections: 2,
    requestTimeoutMs: 5_000,
    clock: new RealClock(),
    logger: silentLogger(),
  })
  t.teardown(() => client.close(100))
  const e = await failure(client.request({ method: 'GET', path: '/channels' }))
  t.equal(e.code, 'ARI_UNAVAILABLE')
  t.match(e.details, { method: 'GET', path: '/channels', code: 'ECONNREFUSED' })
})

t.test('a GET whose connection is reset is sent once more; a POST never', async (t) => {
  const seen: Record<string, number> = {}
  const { server, client } = await setup(t, (r, res) => {
    const n = (seen[r.method + r.path] = (seen[r.method + r.path] ?? 0) + 1)
    if (r.path === '/ari/always-reset' || n === 1) {
      res.socket?.destroy()
      return
    }
    sendJson(res, 200, { n })
  })
  t.same(await client.request({ method: 'GET', path: '/channels' }), { n: 2 }, 'retried after the reset')

  const post = await failure(client.request({ method: 'POST', path: '/channels' }))
  t.equal(post.code, 'ARI_UNAVAILABLE')
  t.equal(seen['POST/ari/channels'], 1, 'the POST reached the server once and was not repeated')

  const del = await failure(client.request({ method: 'DELETE', path: '/channels/x' }))
  t.equal(del.code, 'ARI_UNAVAILABLE')
  t.equal(seen['DELETE/ari/channels/x'], 1)

  const twice = await failure(client.request({ method: 'GET', path: '/always-reset' }))
  t.equal(twice.code, 'ARI_UNAVAILABLE', 'a second reset is not retried')
  t.equal(seen['GET/ari/always-reset'], 2)
  t.equal(server.requests.length, 6)
})

t.test('a burst of 200 requests uses at most `connections` TCP connections', async (t) => {
  for (const connections of [8, 3]) {
    const { server, client } = await setup(
      t,
      (r, res) => {
        // Hold each reply a little so the requests really overlap.
        setTimeout(() => sendJson(res, 200, { path: r.path }), 2)
      },
      { connections, requestTimeoutMs: 60_000 },
    )
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.request<{ path: string }>({ method: 'POST', path: `/channels/c${i}/answer` })),
    )
    t.equal(results.length, 200)
    t.ok(results.every((r, i) => r?.path === `/ari/channels/c${i}/answer`), 'every request got its own reply')
    t.equal(server.requests.length, 200)
    t.ok(server.connections() <= connections, `${server.connections()} connections <= ${connections}`)
    t.ok(server.connections() >= 1)
  }
})

t.test('a stopped client fails fast', async (t) => {
  const { client } = await setup(t, (_r, res) => sendJson(res, 200, {}))
  await client.close()
  const e = await failure(client.request({ method: 'GET', path: '/channels' }))
  t.equal(e.code, 'ARI_UNAVAILABLE')
  t.ok(isAppError(e, 'ARI_UNAVAILABLE'))
})
