/**
 * The ARI simulator in its own process, so that its CPU does not count against the engine.
 * Started by sim-process.ts with an IPC channel: sends { ready, url } once listening, then
 * answers the bench's requests (protocol.ts) — offering calls at a rate, holding callers in
 * the main menu, releasing them — timing each call on the simulator's own wall clock.
 */
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import type { SimCall, Simulator } from '../../src/sim/types.js'
import { promptId, script } from './callers.js'
import type { HoldResult, HoldStatus, OfferResult, SimReady, SimReply, SimReplyBody, SimRequest } from './protocol.js'
import { CpuMeter, percentiles } from './stats.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const NUMBER = '803164'

let fromSeq = 0
const nextCaller = () => `+39333${String(1_000_000 + (fromSeq++ % 9_000_000)).padStart(7, '0')}`

/** Calls `place` ratePerSec times a second until `total` are placed; resolves with the time it took. */
function paced(total: number, ratePerSec: number, place: () => void): Promise<number> {
  const start = performance.now()
  let placed = 0
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * ratePerSec) + 1)
      while (placed < due) {
        place()
        placed++
      }
      if (placed >= total) {
        clearInterval(timer)
        resolve(performance.now() - start)
      }
    }
    const timer = setInterval(tick, 5)
    tick()
  })
}

async function offer(sim: Simulator, r: Extract<SimRequest, { op: 'offer' }>): Promise<OfferResult> {
  const cpu = new CpuMeter().start()
  const total = Math.round((r.ratePerSec * r.durationMs) / 1000)
  const latencies: number[] = []
  let endedSilent = 0
  let technicalErrors = 0
  const pending = new Set<SimCall>()
  const placingMs = await paced(total, r.ratePerSec, () => {
    const t0 = performance.now()
    const call = sim.placeCall({ from: nextCaller(), to: NUMBER, script: script(r.script) })
    pending.add(call)
    const off = call.on('playback', () => {
      latencies.push(performance.now() - t0)
      pending.delete(call)
      off()
    })
    void call.done.then((res) => {
      if (pending.delete(call)) endedSilent++
      if (res.heard.some((u) => promptId(u) === 'technical_error')) technicalErrors++
    })
  })
  const deadline = performance.now() + r.settleMs
  while (pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  return {
    placed: total,
    placingMs,
    prompted: latencies.length,
    latency: percentiles(latencies),
    endedSilent,
    stillWaiting: pending.size,
    technicalErrors,
    simCpu: cpu.read().share,
  }
}

/** The callers held in the main menu, and what they heard since the last status. */
class Held {
  readonly calls = new Set<SimCall>()
  heard: Record<string, number> = {}
  readonly cpu = new CpuMeter()
}

async function hold(sim: Simulator, held: Held, r: Extract<SimRequest, { op: 'hold' }>): Promise<HoldResult> {
  const cpu = new CpuMeter().start()
  const toMenu: number[] = []
  let ended = 0
  let lastInMenu = 0
  const first = performance.now()
  await paced(r.calls, r.ratePerSec, () => {
    const t0 = performance.now()
    const call = sim.placeCall({ from: nextCaller(), to: NUMBER, script: script('menu-hold') })
    held.calls.add(call)
    let inMenu = false
    call.on('playback', (uri) => {
      const id = promptId(String(uri)) ?? String(uri)
      held.heard[id] = (held.heard[id] ?? 0) + 1
      if (id === 'main_menu' && !inMenu) {
        inMenu = true
        lastInMenu = performance.now()
        toMenu.push(lastInMenu - t0)
      }
    })
    void call.done.then(() => {
      held.calls.delete(call)
      ended++
    })
  })
  const deadline = first + r.deadlineMs
  while (toMenu.length + ended < r.calls && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  held.heard = {}
  held.cpu.start()
  return { placed: r.calls, inMainMenu: toMenu.length, ended, setupMs: lastInMenu - first, toMainMenu: percentiles(toMenu), simCpu: cpu.read().share }
}

function holdStatus(held: Held): HoldStatus {
  const out = { alive: held.calls.size, heard: held.heard, simCpu: held.cpu.read().share }
  held.heard = {}
  held.cpu.start()
  return out
}

async function release(held: Held): Promise<{ released: number; ms: number }> {
  const start = performance.now()
  const calls = [...held.calls]
  for (const c of calls) c.hangup()
  await Promise.all(calls.map((c) => c.done))
  return { released: calls.length, ms: performance.now() - start }
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('sim-child must be started with an IPC channel (see sim-process.ts)')
  const send = (m: SimReply | SimReady) => process.send!(m)
  const cat = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml'))
  const sim = await startSimulator({ soundDuration: catalogueDurations(cat.catalogue) })
  const held = new Held()
  process.on('message', (m: { id: number; req: SimRequest }) => {
    const answer = async (): Promise<SimReplyBody> => {
      const r = m.req
      switch (r.op) {
        case 'offer':
          return offer(sim, r)
        case 'hold':
          return hold(sim, held, r)
        case 'hold-status':
          return holdStatus(held)
        case 'release':
          return release(held)
        case 'stats':
          return sim.stats()
      }
    }
    answer().then(
      (body) => send({ id: m.id, ok: true, body }),
      (err: unknown) => send({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
    )
  })
  // The bench went away (finished or crashed): so does the simulator.
  process.on('disconnect', () => void sim.close().finally(() => process.exit(0)))
  send({ ready: true, url: sim.url })
}

void main()
