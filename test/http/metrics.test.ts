import t from 'tap'
import Fastify from 'fastify'
import { ariResource, EngineMetrics } from '../../src/http/metrics.js'
import { metricsRoutes } from '../../src/http/routes/metrics.js'

/** The value of one sample line `name{labels} value` in a Prometheus text exposition. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

t.test('ARI paths become resource templates (ids out of the labels)', async (t) => {
  t.equal(ariResource('/channels/1795436604.12/play/centralino-abc'), '/channels/:id/play/:id')
  t.equal(ariResource('/channels/create'), '/channels/create')
  t.equal(ariResource('/bridges/b-1/addChannel?channel=x'), '/bridges/:id/addChannel')
  t.equal(ariResource('/applications/centralino'), '/applications/:id')
})

t.test('scrape reads the engine: calls by phase, queues, agents, campaigns, ARI', async (t) => {
  let waiting = 3
  const m = new EngineMetrics({
    calls: () => ({ ivr: 7, queue: 3, connected: 2 }),
    acd: async () => ({ sections: [{ id: 'pensions', waiting, longestWaitMs: 95_000 }], agents: { ready: 4, on_call: 2, paused: 1 } }),
    campaigns: async () => [{ id: 'c1', byOutcome: { reached: 40, busy: 5, abandoned: 1 }, answers: 50, abandons: 1 }],
    ari: { state: () => 'open', stats: () => ({ received: 120, malformed: 1, unknown: 2, reconnects: 1, lastLagMs: 15 }) },
  })
  m.observeAriRequest('POST', '/channels/abc/play/p1', 200, 12)
  m.observeAriRequest('POST', '/channels/abc/play/p2', 404, 30)
  const text = await m.render()
  t.equal(sample(text, 'centralino_calls', 'phase="ivr"'), 7, 'calls in menus')
  t.equal(sample(text, 'centralino_queue_waiting', 'section="pensions"'), 3)
  t.equal(sample(text, 'centralino_queue_longest_wait_seconds', 'section="pensions"'), 95)
  t.equal(sample(text, 'centralino_agents', 'state="ready"'), 4)
  t.equal(sample(text, 'centralino_dial_attempts', 'campaign="c1",outcome="reached"'), 40)
  t.equal(sample(text, 'centralino_dial_abandon_ratio', 'campaign="c1"'), 0.02)
  t.equal(sample(text, 'centralino_ari_connected'), 1)
  t.equal(sample(text, 'centralino_ari_event_lag_seconds'), 0.015)
  t.equal(sample(text, 'centralino_ari_events', 'kind="reconnects"'), 1)
  t.equal(sample(text, 'centralino_ari_request_duration_seconds_count', 'method="POST",resource="/channels/:id/play/:id",status="2xx"'), 1)
  t.equal(sample(text, 'centralino_ari_request_duration_seconds_count', 'method="POST",resource="/channels/:id/play/:id",status="4xx"'), 1)
  t.ok(text.includes('nodejs_eventloop_lag_seconds'), 'event-loop lag exported')
  waiting = 0
  t.equal(sample(await m.render(), 'centralino_queue_waiting', 'section="pensions"'), 0, 'read again at each scrape')
})

t.test('a source failing at scrape time leaves its metrics out and is counted; the scrape answers', async (t) => {
  const m = new EngineMetrics({ calls: () => ({ ivr: 1 }), acd: async () => Promise.reject(new Error('Redis away')) })
  const app = Fastify()
  await app.register(metricsRoutes, { metrics: m })
  t.teardown(() => app.close())
  const r = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /text\/plain/)
  t.equal(sample(r.body, 'centralino_calls', 'phase="ivr"'), 1)
  t.equal(sample(r.body, 'centralino_queue_waiting', 'section="pensions"'), undefined)
  t.equal(sample(r.body, 'centralino_metrics_source_errors_total', 'source="acd"'), 1)
})
