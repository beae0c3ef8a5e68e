/**
 * A simulated Asterisk with a store, and engines on it that can die as by kill -9 (shared by the
 * recovery tests of calls and of callback calls).
 */
import path from 'node:path'
import type { Test } from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { ScaledClock } from '../../src/domain/clock.js'
import type { Telephony } from '../../src/domain/telephony.js'
import { officeMorning } from '../../src/demo/office-hours.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import type { PhoneResolver, Simulator } from '../../src/sim/types.js'
import type { Store } from '../../src/domain/store.js'
import { KillableClock, freezable, type Freezable } from '../helpers/freeze.js'
import { startHarness, type HarnessOptions } from './harness.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** A simulated Asterisk on a clock 4x real time, starting in office hours. */
export async function world(t: Test, phones: PhoneResolver = () => ({ answerAfterMs: 800 })) {
  const clock = new ScaledClock(4, officeMorning(Date.now()))
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const sim = await startSimulator({ clock, users: { engine: 'engine' }, soundDuration: catalogueDurations(catalogue, path.join(ROOT, 'prompts/audio')), phones })
  t.teardown(() => sim.close())
  return { clock, sim, store: createMemoryStore() }
}

/**
 * An engine that can be killed as by kill -9: crash() freezes its store and telephony (nothing
 * it does reaches them any more), drops its timers, closes its events socket.
 */
export async function crashableEngine(w: { clock: ScaledClock; sim: Simulator; store: Store }, o: Partial<HarnessOptions> = {}) {
  const frozenStore = freezable(w.store)
  const clock = new KillableClock(w.clock)
  let raw: Telephony | undefined
  let frozenTel: Freezable<Telephony> | undefined
  const h = await startHarness({
    ...o,
    sim: w.sim,
    clock,
    store: frozenStore.value,
    wrapTelephony: (tel) => {
      raw = tel
      frozenTel = freezable(tel)
      return frozenTel.value
    },
  })
  const crash = async () => {
    frozenStore.freeze()
    frozenTel!.freeze()
    clock.kill()
    await raw!.stop()
    await h.engine.flows.close() // the dead process's file watcher
  }
  return { h, crash }
}
