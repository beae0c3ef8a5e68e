import t, { type Test } from 'tap'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createActor, toPromise } from 'xstate'
import { backOfficeActor, createHttpBackOffice } from '../../src/ivr/backoffice.js'
import type { BackOfficeConfig } from '../../src/config/engine-schema.js'
import { isAppError } from '../../src/domain/errors.js'
import { waitUntil } from '../helpers/async.js'

interface Seen {
  method: string
  url: string
  body: string
  headers: http.IncomingHttpHeaders
}

async function server(t: Test, handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const seen: Seen[] = []
  const aborted: string[] = []
  const srv = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += String(c)))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers })
      handler(req, res, body)
    })
    res.on('close', () => {
      if (!res.writableEnded) aborted.push(req.url ?? '')
    })
  })
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections()
        srv.close(() => resolve())
      }),
  )
  const port = (srv.address() as AddressInfo).port
  return { seen, aborted, baseUrl: `http://127.0.0.1:${port}` }
}

const cfg = (baseUrl: string, timeoutMs = 5000): BackOfficeConfig => ({
  baseUrl,
  timeoutMs,
  actions: {
    'payment-dates': { method: 'POST', path: '/pensions/payment-dates' },
    lookup: { method: 'GET', path: '/requests/{id}/status' },
  },
})

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

t.test('POST sends the params as JSON and turns the reply into strings', async (t) => {
  const s = await server(t, (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ day: 16, month: '12', paid: true, detail: { a: 1 }, none: null }))
  })
  const call = createHttpBackOffice(cfg(s.baseUrl))
  const out = await call({ action: 'payment-dates', params: { request: '12345678' } })
  t.same(out, { day: '16', month: '12', paid: 'true', detail: '{"a":1}' })
  t.equal(s.seen[0]?.method, 'POST')
  t.equal(s.seen[0]?.url, '/pensions/payment-dates')
  t.same(JSON.parse(s.seen[0]!.body), { request: '12345678' })
  t.equal(s.seen[0]?.headers['content-type'], 'application/json')
})

t.test('GET fills path placeholders and sends the other params as the query', async (t) => {
  const s = await server(t, (_req, res) => res.end('{"status":"sent"}'))
  const call = createHttpBackOffice(cfg(`${s.baseUrl}/`))
  t.same(await call({ action: 'lookup', params: { id: 'A/1', lang: 'it' } }), { status: 'sent' })
  t.equal(s.seen[0]?.method, 'GET')
  t.equal(s.seen[0]?.url, '/requests/A%2F1/status?lang=it')
  t.equal(s.seen[0]?.body, '')
})

t.test('failures are AppError BACKOFFICE_FAILED: status, bad JSON, not an object, unknown action, refused', async (t) => {
  const s = await server(t, (req, res) => {
    if (req.url === '/pensions/payment-dates') {
      res.statusCode = 503
      res.end('{"error":"maintenance"}')
    } else if (req.url?.startsWith('/requests/bad/')) res.end('not json')
    else res.end('[1,2]')
  })
  const call = createHttpBackOffice(cfg(s.baseUrl))
  const e1 = await rejection(call({ action: 'payment-dates', params: {} }))
  t.ok(isAppError(e1, 'BACKOFFICE_FAILED'))
  t.match((e1 as { details: unknown }).details, { status: 503 })
  t.match(await rejection(call({ action: 'lookup', params: { id: 'bad' } })), { code: 'BACKOFFICE_FAILED', message: /invalid JSON/ })
  t.match(await rejection(call({ action: 'lookup', params: { id: 'list' } })), { code: 'BACKOFFICE_FAILED', message: /JSON object/ })
  t.match(await rejection(call({ action: 'nope', params: {} })), { code: 'BACKOFFICE_FAILED', message: /unknown back-office action/ })
  const closed = await new Promise<number>((resolve) => {
    const tmp = http.createServer()
    tmp.listen(0, '127.0.0.1', () => {
      const port = (tmp.address() as AddressInfo).port
      tmp.close(() => resolve(port))
    })
  })
  const refused = createHttpBackOffice(cfg(`http://127.0.0.1:${closed}`))
  t.match(await rejection(refused({ action: 'lookup', params: { id: '1' } })), { code: 'BACKOFFICE_FAILED', details: { timedOut: false } })
})

t.test('a slow back office times out', async (t) => {
  const s = await server(t, () => {
    /* never answers */
  })
  const call = createHttpBackOffice(cfg(s.baseUrl, 150))
  const e = await rejection(call({ action: 'lookup', params: { id: '1' } }))
  t.match(e, { code: 'BACKOFFICE_FAILED', message: /timed out after 150 ms/, details: { timedOut: true } })
})

t.test('the backOffice actor: output on success; stopping it aborts the request', async (t) => {
  const s = await server(t, (req, res) => {
    if (req.url?.startsWith('/requests/slow/')) return
    res.end('{"ok":"yes"}')
  })
  const logic = backOfficeActor(createHttpBackOffice(cfg(s.baseUrl)))
  const done = createActor(logic, { input: { action: 'lookup', params: { id: 'x' } } })
  done.start()
  t.same(await toPromise(done), { ok: 'yes' })
  const slow = createActor(logic, { input: { action: 'lookup', params: { id: 'slow' } } })
  slow.start()
  await waitUntil(() => s.seen.length === 2, 10_000, 'slow request received')
  slow.stop()
  await waitUntil(() => s.aborted.length === 1, 10_000, 'request aborted')
  t.same(s.aborted, ['/requests/slow/status'])
})
