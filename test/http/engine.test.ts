/**
 * The API of a whole engine (bootEngine on the simulator, over real HTTP): with every agent
 * paused a citizen waits for an operator; the agent op101 makes itself ready through the API
 * and gets the call; a ticket is opened for it; statistics count it.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import t from 'tap'
import { bootEngine } from '../../src/boot/engine.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import { isAppError } from '../../src/domain/errors.js'
import { createLogger } from '../../src/domain/log.js'
import { heard, startHarness } from '../integration/harness.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

t.test('the engine serves the API while a simulated caller waits; an agent made ready through it takes the call', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const base = h.engine.apiUrl
  t.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'listening on a free port')
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
  }

  t.equal((await call('GET', '/api/health')).status, 200)
  t.same((await call('GET', '/api/ready')).body, { ready: true, checks: { ari: { ok: true, detail: 'events socket open' } } }, 'ARI connected')
  t.equal((await call('GET', '/api/agents')).status, 401, 'no token, no agents')

  // A supervisor pauses everyone (demo tokens: the engine runs on the simulator with none configured).
  const agents = (await call('GET', '/api/agents', 'demo-supervisor')).body as Array<{ id: string; state: string }>
  t.ok(agents.length >= 8, 'the configured agents')
  for (const a of agents) t.equal((await call('POST', `/api/agents/${a.id}/pause`, 'demo-supervisor', { reason: 'briefing' })).status, 200, `${a.id} paused`)

  const sim = h.engine.sim!
  const citizen = sim.placeCall({
    from: '+393331234599',
    to: '803164',
    script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }, { waitFor: 'bridged', timeoutMs: 120_000 }, { wait: 2_000 }, { hangup: true }],
  })
  await h.waitEvent(citizen.channelId, 'queue.entered')
  const waiting = await h.engine.app.summary()
  t.equal(waiting.waiting.operators, 1, 'the caller waits: every agent is paused')

  t.equal((await call('POST', '/api/agents/op102/ready', 'demo-op101')).status, 403, 'op101 cannot make op102 ready')
  const ready = await call('POST', '/api/agents/op101/ready', 'demo-op101')
  t.equal(ready.status, 200)
  const connected = await h.waitEvent(citizen.channelId, 'queue.connected')
  t.equal(connected.agentId, 'op101', 'the agent who became ready through the API got the caller')
  const busy = await call('POST', '/api/agents/op101/logout', 'demo-op101')
  t.equal(busy.status, 409, 'no logout during the call')
  t.match(busy.body, { error: { code: 'CONFLICT' } })

  const ticket = await call('POST', '/api/escalations/tickets', 'demo-op101', { section: 'pensions', subject: 'Needs a consultant', citizen: { phone: '+39 333 1234599' }, callId: citizen.channelId })
  t.equal(ticket.status, 201)
  t.match(ticket.body, { status: 'open', createdBy: 'op101', callId: citizen.channelId })

  await citizen.done
  await h.waitEvent(citizen.channelId, 'call.ended')
  const stats = await call('GET', '/api/stats?interval=all&section=operators', 'demo-viewer')
  t.equal(stats.status, 200)
  t.match(stats.body.rows, [{ section: 'operators', offered: 1, answered: 1, abandoned: 0, handled: 1 }])
  const csv = await call('GET', '/api/stats.csv?interval=all', 'demo-supervisor')
  t.match(csv.body, /^section,from,to,offered/)
  t.equal((await call('GET', '/docs/json')).status, 200, 'OpenAPI served')
})

t.test('an engine whose API port is taken does not start, and leaves nothing running', async (t) => {
  const blocker = createServer()
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => blocker.close(() => r())))
  const port = (blocker.address() as AddressInfo).port
  const r = parseEngineConfig(undefined, 'defaults', {})
  const config = { ...r.config, simulator: { port: 0, speed: 1 }, http: { ...r.config.http, host: '127.0.0.1', port } }
  const err = await bootEngine({ config, log: createLogger({ level: 'silent' }), cwd: ROOT, watchFlows: false }).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.ok(isAppError(err, 'CONFIG_INVALID'), 'refused with CONFIG_INVALID')
  t.match((err as Error).message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`))
  // The simulator, back office and flow watcher it had started are closed: nothing keeps this
  // test process alive (tap would time out otherwise).
})
