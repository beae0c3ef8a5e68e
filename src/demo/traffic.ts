/**
 * Simulated citizens for the demo and the benchmarks: calls arrive at random (Poisson) at a
 * given rate and each caller follows a script through the national flow — self-service,
 * a specialist section, the operator, an early hang-up — with their own patience while
 * waiting and talk time once answered.
 */
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { CallerStep, Simulator } from '../sim/types.js'

export type Behaviour = 'self-service' | 'certificate' | 'pensions' | 'income' | 'contributions' | 'operator' | 'early-hangup' | 'no-input'

export interface TrafficOptions {
  sim: Simulator
  clock: Clock
  /** Calls per minute (of the clock's time). */
  ratePerMin: number
  /** Number the citizens dial. */
  number?: string
  random?: () => number
  mix?: Partial<Record<Behaviour, number>>
}

export const DEFAULT_MIX: Record<Behaviour, number> = {
  'self-service': 20,
  certificate: 8,
  pensions: 20,
  income: 15,
  contributions: 10,
  operator: 17,
  'early-hangup': 5,
  'no-input': 5,
}

const P = (id: string): CallerStep => ({ waitFor: 'playback', media: new RegExp(`centralino/${id}$`), timeoutMs: 60_000 })

/** A caller's script for a behaviour; r() draws the random choices (language, patience...). */
export function scriptFor(b: Behaviour, r: () => number): CallerStep[] {
  const between = (lo: number, hi: number) => Math.round(lo + (hi - lo) * r())
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('')
  const lang: CallerStep[] = r() < 0.85 ? [P('choose_language'), { wait: between(300, 1500) }, { dtmf: r() < 0.9 ? '1' : '2' }] : []
  const menu = (digit: string): CallerStep[] => [...lang, P('main_menu'), { wait: between(200, 4000) }, { dtmf: digit }]
  const wait = (): CallerStep[] => [
    { waitFor: 'bridged', timeoutMs: between(45_000, 300_000) },
    { wait: between(20_000, 90_000) },
    { hangup: true },
  ]
  switch (b) {
    case 'self-service':
      return [...menu('1'), P('pensions_menu'), { wait: 800 }, { dtmf: '1' }, P('enter_request_number'), { wait: 1500 }, { dtmf: `${digits(8)}#`, gapMs: 250 }, P('after_service_menu'), { wait: 1000 }, { dtmf: '2' }, P('goodbye'), { wait: 3000 }]
    case 'certificate':
      return [...menu('4'), P('enter_certificate_number'), { wait: 1200 }, { dtmf: `${digits(7)}#`, gapMs: 250 }, P('goodbye'), { wait: 3000 }]
    case 'pensions':
      return [...menu('1'), P('pensions_menu'), { wait: 1000 }, { dtmf: '2' }, ...wait()]
    case 'income':
      return [...menu('2'), ...wait()]
    case 'contributions':
      return [...menu('3'), ...wait()]
    case 'operator':
      return [...lang, P('main_menu'), { wait: 500 }, { dtmf: '0' }, ...wait()]
    case 'early-hangup':
      return [{ wait: between(1000, 5000) }, { hangup: true }]
    case 'no-input':
      // Says nothing: the flow's retries end with the operator.
      return wait()
  }
}

export function pick(mix: Record<string, number>, x: number): string {
  const total = Object.values(mix).reduce((a, b) => a + b, 0)
  let acc = 0
  for (const [k, w] of Object.entries(mix)) {
    acc += w / total
    if (x < acc) return k
  }
  return Object.keys(mix).at(-1)!
}

export class Traffic {
  placed = 0
  finished = 0
  readonly byBehaviour: Partial<Record<Behaviour, number>> = {}
  private timer: TimerHandle | undefined
  private readonly random: () => number
  private readonly mix: Record<string, number>
  private readonly pending = new Set<Promise<unknown>>()

  constructor(private readonly o: TrafficOptions) {
    this.random = o.random ?? Math.random
    this.mix = { ...DEFAULT_MIX, ...o.mix }
  }

  start(): void {
    this.schedule()
  }

  /** Stops new arrivals; calls in progress go on. */
  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** Resolves when every call placed so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending])
  }

  placeOne(b?: Behaviour): void {
    const behaviour = b ?? (pick(this.mix, this.random()) as Behaviour)
    this.placed++
    this.byBehaviour[behaviour] = (this.byBehaviour[behaviour] ?? 0) + 1
    const from = `+393${Math.floor(100_000_000 + this.random() * 899_999_999)}`
    const call = this.o.sim.placeCall({ from, to: this.o.number ?? '803164', script: scriptFor(behaviour, this.random) })
    const p = call.done.finally(() => {
      this.finished++
      this.pending.delete(p)
    })
    this.pending.add(p)
  }

  private schedule(): void {
    if (this.o.ratePerMin <= 0) return
    const meanMs = 60_000 / this.o.ratePerMin
    const gap = -Math.log(1 - this.random()) * meanMs
    this.timer = this.o.clock.setTimeout(() => {
      this.placeOne()
      this.schedule()
    }, gap)
  }
}
