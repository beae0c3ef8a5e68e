/** Statistics routes over the event log, JSON and CSV; health and readiness. */
import t from 'tap'
import type { CallEvent, NewCallEvent } from '../../src/domain/events.js'
import { auth, startApi, type Api } from './fixture.js'

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)
let n = 0
async function log(api: Api, at: number, e: NewCallEvent): Promise<void> {
  await api.store.events.append({ ...e, id: `e${++n}`, at: T0 + at } as CallEvent)
}

async function morning(api: Api): Promise<void> {
  await log(api, 0, { type: 'queue.entered', callId: 'a', section: 'pensions', priority: 0, position: 1 })
  await log(api, 25_000, { type: 'queue.connected', callId: 'a', section: 'pensions', agentId: 'op3', waitMs: 25_000 })
  await log(api, 85_000, { type: 'call.ended', callId: 'a', reason: 'hangup', durationMs: 100_000 })
  await log(api, 60_000, { type: 'queue.entered', callId: 'b', section: 'operators', priority: 0, position: 1 })
  await log(api, 90_000, { type: 'queue.abandoned', callId: 'b', section: 'operators', waitMs: 30_000, position: 1 })
  await log(api, 3_700_000, { type: 'queue.entered', callId: 'c', section: 'pensions', priority: 0, position: 1 })
  await log(api, 3_740_000, { type: 'queue.connected', callId: 'c', section: 'pensions', agentId: 'op3', waitMs: 40_000 })
}

t.test('GET /api/stats: rows per section and interval, totals, the section target', async (t) => {
  const api = await startApi(t)
  await morning(api)
  const r = await api.app.inject({ method: 'GET', url: '/api/stats?from=2026-11-23T09:00:00Z&to=2026-11-23T11:00:00Z&interval=1h', headers: auth('tok-viewer') })
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.match(body, { from: '2026-11-23T09:00:00.000Z', to: '2026-11-23T11:00:00.000Z', interval: '1h' })
  t.same(body.rows.map((x: Record<string, unknown>) => [x.section, x.from, x.offered, x.answered, x.abandoned, x.serviceLevel, x.targetSec]), [
    ['operators', '2026-11-23T09:00:00.000Z', 1, 0, 1, 0, 20],
    ['operators', '2026-11-23T10:00:00.000Z', 0, 0, 0, null, 20],
    ['pensions', '2026-11-23T09:00:00.000Z', 1, 1, 0, 1, 30],
    ['pensions', '2026-11-23T10:00:00.000Z', 1, 1, 0, 0, 30],
  ], 'pensions has a 30 s target (25 s within, 40 s not); operators the default 20 s')
  t.same(body.totals.map((x: Record<string, unknown>) => [x.section, x.offered, x.answered, x.abandoned, x.abandonRate, x.avgHandleMs, x.longestWaitMs]), [
    ['operators', 1, 0, 1, 1, null, 30_000],
    ['pensions', 2, 2, 0, 0, 60_000, 40_000],
  ])
  const one = await api.app.inject({ method: 'GET', url: `/api/stats?from=${T0}&to=${T0 + 3_600_000}&interval=all&section=pensions`, headers: auth('tok-viewer') })
  t.same(one.json().rows.map((x: Record<string, unknown>) => [x.section, x.offered]), [['pensions', 1]], 'epoch milliseconds, one section, one row')
})

t.test('GET /api/stats.csv: text/csv, header row, the same rows', async (t) => {
  const api = await startApi(t)
  await morning(api)
  const r = await api.app.inject({ method: 'GET', url: '/api/stats.csv?from=2026-11-23T09:00:00Z&to=2026-11-23T10:00:00Z&interval=30m&section=pensions', headers: auth('tok-supervisor') })
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /^text\/csv/)
  t.match(r.headers['content-disposition'], /^attachment; filename="centralino-stats-202611230900-30m\.csv"$/)
  t.equal(
    r.body,
    [
      'section,from,to,offered,answered,abandoned,abandonRate,targetSec,answeredWithinTarget,serviceLevel,avgWaitMs,longestWaitMs,avgAnswerMs,avgHandleMs,handled',
      'pensions,2026-11-23T09:00:00.000Z,2026-11-23T09:30:00.000Z,1,1,0,0,30,1,1,25000,25000,25000,60000,1',
      'pensions,2026-11-23T09:30:00.000Z,2026-11-23T10:00:00.000Z,0,0,0,,30,0,,,,,,0',
      '',
    ].join('\r\n'),
  )
})

t.test('stats ranges: default the last 24 h; bad, reversed, too long or unknown section refused', async (t) => {
  const api = await startApi(t)
  api.clock.advance(30 * 60_000)
  const def = await api.app.inject({ method: 'GET', url: '/api/stats?interval=1h', headers: auth('tok-viewer') })
  t.match(def.json(), { from: new Date(api.clock.now() - 86_400_000).toISOString(), to: new Date(api.clock.now()).toISOString() })
  t.equal(def.json().rows.length, 2 * 25, '24 whole hours plus the partial ones at each end, two sections')
  const bad = async (qs: string, status = 400) => {
    const r = await api.app.inject({ method: 'GET', url: `/api/stats?${qs}`, headers: auth('tok-viewer') })
    t.equal(r.statusCode, status, qs)
    return r.json().error
  }
  t.match(await bad('from=yesterday'), { code: 'BAD_REQUEST', details: { errors: [{ path: '/querystring/from' }] } })
  t.match(await bad('from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z'), { message: /before/ })
  t.match(await bad('from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z'), { message: /31 days/ })
  t.match(await bad('section=weather', 404), { code: 'NOT_FOUND' })
})

t.test('health is always 200; ready follows the ARI events socket (503 in the error shape)', async (t) => {
  const api = await startApi(t)
  t.match((await api.app.inject({ method: 'GET', url: '/api/health' })).json(), { status: 'ok' })
  t.same((await api.app.inject({ method: 'GET', url: '/api/ready' })).json(), { ready: true, checks: { ari: { ok: true, detail: 'events socket open' } } })
  api.ari.state = 'connecting'
  const r = await api.app.inject({ method: 'GET', url: '/api/ready' })
  t.equal(r.statusCode, 503)
  t.same(r.json(), { error: { code: 'ARI_UNAVAILABLE', message: 'not ready: ari', details: { checks: { ari: { ok: false, detail: 'events socket connecting' } } } } })
  t.equal((await api.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200, 'still alive')
})
