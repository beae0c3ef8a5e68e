/**
 * Prometheus metrics of one engine (prom-client, text format at GET /metrics).
 *
 * Read at scrape time from what the engine already knows (nothing is counted twice):
 *   centralino_calls{phase}                       calls of this engine by phase (ivr = in menus)
 *   centralino_queue_waiting{section}             callers waiting (national queue, from the store)
 *   centralino_queue_longest_wait_seconds{section}
 *   centralino_agents{state}                      agents by state (national)
 *   centralino_dial_attempts{campaign,outcome}   dial attempts by outcome (campaign store)
 *   centralino_dial_abandon_ratio{campaign}       abandoned / live answers over the rolling window
 *   centralino_ari_connected                      1 when the ARI events socket is open
 *   centralino_ari_event_lag_seconds              last event's lag (Asterisk timestamp to arrival)
 *   centralino_ari_events{kind}             received, malformed, unknown; reconnects
 * Observed as they happen:
 *   centralino_ari_request_duration_seconds{method,resource,status}   ARI HTTP latency histogram
 * And prom-client's process and Node.js metrics, event-loop lag included
 * (nodejs_eventloop_lag_seconds, nodejs_eventloop_lag_p99_seconds).
 *
 * A source that fails at scrape time (Redis away) leaves its metrics out of that scrape and
 * counts centralino_metrics_source_errors_total{source}: a scrape never fails because of it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CountsByOutcome } from '../domain/campaign-store.js'
import type { EventStreamStats } from '../domain/telephony.js'

export interface MetricsSources {
  /** This engine's calls by phase. */
  calls?: () => Record<string, number>
  /** Queue and agent picture (AcdService.snapshot). */
  acd?: () => Promise<{ sections: Array<{ id: string; waiting: number; longestWaitMs: number }>; agents: Record<string, number> }>
  /** Per campaign: attempts by outcome and the rolling abandon window. */
  campaigns?: () => Promise<Array<{ id: string; byOutcome: CountsByOutcome; answers: number; abandons: number }>>
  ari?: { state(): string; stats(): EventStreamStats }
}

/** ARI path -> resource template, ids replaced: /channels/abc/play/xyz -> /channels/:id/play/:id */
const ARI_WORDS = new Set([
  'channels', 'bridges', 'playbacks', 'applications', 'recordings', 'endpoints', 'sounds', 'asterisk', 'events', 'deviceStates', 'mailboxes',
  'create', 'dial', 'answer', 'play', 'moh', 'hold', 'ring', 'dtmf', 'variable', 'addChannel', 'removeChannel', 'continue', 'mute', 'silence',
  'snoop', 'externalMedia', 'redirect', 'move', 'record', 'control', 'subscription', 'info', 'ping', 'videoSource', 'transfer', 'live', 'stored',
])

export function ariResource(path: string): string {
  return path
    .split('?')[0]!
    .split('/')
    .map((seg) => (seg === '' || ARI_WORDS.has(seg) ? seg : ':id'))
    .join('/')
}

const statusClass = (status: number): string => (status === 0 ? 'none' : `${Math.floor(status / 100)}xx`)

export class EngineMetrics {
  readonly registry = new Registry()
  private readonly ariLatency: Histogram<'method' | 'resource' | 'status'>
  private readonly sourceErrors: Counter<'source'>
  private scrape: { acd?: Awaited<ReturnType<NonNullable<MetricsSources['acd']>>>; campaigns: Awaited<ReturnType<NonNullable<MetricsSources['campaigns']>>> } = { campaigns: [] }

  constructor(private sources: MetricsSources = {}) {
    const r = this.registry
    collectDefaultMetrics({ register: r })
    this.ariLatency = new Histogram({
      name: 'centralino_ari_request_duration_seconds',
      help: 'ARI HTTP request duration, by method, resource (ids replaced) and status class',
      labelNames: ['method', 'resource', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    })
    this.sourceErrors = new Counter({ name: 'centralino_metrics_source_errors_total', help: 'Metric sources that failed at scrape time', labelNames: ['source'], registers: [r] })
    const src = () => this.sources

    new Gauge({
      name: 'centralino_calls',
      help: 'Calls of this engine by phase (ivr: in the menus)',
      labelNames: ['phase'],
      registers: [r],
      collect() {
        this.reset()
        for (const [phase, n] of Object.entries(src().calls?.() ?? {})) this.set({ phase }, n)
      },
    })
    // The queue picture and the campaigns are read once per scrape, before collecting (render).
    const acd = async () => this.scrape.acd
    const campaigns = async () => this.scrape.campaigns
    new Gauge({
      name: 'centralino_queue_waiting',
      help: 'Callers waiting per section (national queue)',
      labelNames: ['section'],
      registers: [r],
      async collect() {
        this.reset()
        for (const s of (await acd())?.sections ?? []) this.set({ section: s.id }, s.waiting)
      },
    })
    new Gauge({
      name: 'centralino_queue_longest_wait_seconds',
      help: 'Longest current wait per section',
      labelNames: ['section'],
      registers: [r],
      async collect() {
        this.reset()
        for (const s of (await acd())?.sections ?? []) this.set({ section: s.id }, s.longestWaitMs / 1000)
      },
    })
    new Gauge({
      name: 'centralino_agents',
      help: 'Agents by state (national)',
      labelNames: ['state'],
      registers: [r],
      async collect() {
        this.reset()
        for (const [state, n] of Object.entries((await acd())?.agents ?? {})) this.set({ state }, n)
      },
    })
    new Gauge({
      name: 'centralino_dial_attempts',
      help: 'Dial attempts by campaign and outcome (shared between engines)',
      labelNames: ['campaign', 'outcome'],
      registers: [r],
      async collect() {
        this.reset()
        for (const c of await campaigns()) for (const [outcome, n] of Object.entries(c.byOutcome)) this.set({ campaign: c.id, outcome }, n ?? 0)
      },
    })
    new Gauge({
      name: 'centralino_dial_abandon_ratio',
      help: 'Abandoned calls / live answers over the campaign rolling window',
      labelNames: ['campaign'],
      registers: [r],
      async collect() {
        this.reset()
        for (const c of await campaigns()) this.set({ campaign: c.id }, c.answers > 0 ? c.abandons / c.answers : 0)
      },
    })
    new Gauge({
      name: 'centralino_ari_connected',
      help: '1 when the ARI events socket is open',
      registers: [r],
      collect() {
        const ari = src().ari
        if (ari) this.set(ari.state() === 'open' ? 1 : 0)
      },
    })
    new Gauge({
      name: 'centralino_ari_event_lag_seconds',
      help: 'Lag of the last ARI event: its Asterisk timestamp to its arrival',
      registers: [r],
      collect() {
        const ari = src().ari
        if (ari) this.set(ari.stats().lastLagMs / 1000)
      },
    })
    new Gauge({
      name: 'centralino_ari_events',
      help: 'ARI events received, malformed, of unknown type, and socket reconnects',
      labelNames: ['kind'],
      registers: [r],
      collect() {
        const s = src().ari?.stats()
        if (!s) return
        this.set({ kind: 'received' }, s.received)
        this.set({ kind: 'malformed' }, s.malformed)
        this.set({ kind: 'unknown' }, s.unknown)
        this.set({ kind: 'reconnects' }, s.reconnects)
      },
    })
  }

  /** The engine's parts exist after the HTTP server is built: sources can be given late. */
  setSources(s: MetricsSources): void {
    this.sources = { ...this.sources, ...s }
  }

  /** For the ARI client's onRequest hook. */
  readonly observeAriRequest = (method: string, path: string, status: number, ms: number): void => {
    this.ariLatency.observe({ method, resource: ariResource(path), status: statusClass(status) }, ms / 1000)
  }

  async render(): Promise<string> {
    const failed = (source: string) => () => {
      this.sourceErrors.inc({ source })
      return undefined
    }
    const [acd, campaigns] = await Promise.all([
      this.sources.acd?.().catch(failed('acd')),
      this.sources.campaigns?.().catch(failed('campaigns')),
    ])
    this.scrape = { acd, campaigns: campaigns ?? [] }
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }
}
