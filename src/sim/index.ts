/**
 * The Asterisk 22 ARI simulator: startSimulator() serves ARI REST under /ari and the events
 * websocket over real HTTP, behaving like Asterisk 22.10.1 (see README.md here for what is
 * modelled; the recorded traces it was checked against are read only by the conformance tests
 * in test/sim, never by the simulator). placeCall() makes citizens call in; setPhone()
 * and the `phones` resolver decide how PJSIP endpoints answer.
 */
import type { AddressInfo } from 'node:net'
import { RealClock } from '../domain/clock.js'
import { silentLogger } from '../domain/log.js'
import { leaveBridge } from './bridges.js'
import { placeCall } from './callers.js'
import { Sim } from './core.js'
import { DEFAULT_DIALPLAN } from './dialplan/default.js'
import { parseDialplan } from './dialplan/parse.js'
import { startPbx } from './dialplan/run.js'
import { Router } from './http/router.js'
import { createHttpServer } from './http/server.js'
import { EventSockets } from './http/ws.js'
import { ROUTES } from './routes/table.js'
import { defaultSoundDuration } from './sounds.js'
import type { Simulator, SimulatorOptions } from './types.js'

export type * from './types.js'
export { DEFAULT_DIALPLAN } from './dialplan/default.js'
export { parseDialplan, DialplanError } from './dialplan/parse.js'
export { ROUTES } from './routes/table.js'

/** Extra handles for the simulator's own tests (not part of the engine-facing API). */
export interface SimulatorInternals {
  sim: Sim
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator & { internals(): SimulatorInternals }> {
  const users = opts.users ?? { engine: 'engine' }
  const sim = new Sim({
    clock: opts.clock ?? new RealClock(),
    asteriskId: opts.asteriskId ?? '02:fc:00:00:00:01',
    logger: opts.logger ?? silentLogger(),
    dialplan: parseDialplan(opts.dialplan ?? DEFAULT_DIALPLAN),
    soundDuration: opts.soundDuration ?? defaultSoundDuration,
    phones: opts.phones,
  })
  sim.registry.systemName = opts.systemName
  sim.svc = {
    startPbx: (ch, c, e, p) => void startPbx(sim, ch, c, e, p),
    leaveBridge: (ch) => leaveBridge(sim, ch),
    channelGone: (ch) => {
      const cleanups = ch.cleanups
      ch.cleanups = undefined
      cleanups?.forEach((f) => f())
      if (ch.bridge) leaveBridge(sim, ch)
    },
  }
  const router = new Router(ROUTES)
  const server = createHttpServer({ sim, router, routes: ROUTES, users })
  const sockets = new EventSockets(sim, users)
  server.on('upgrade', (req, socket, head) => sockets.upgrade(req, socket, head))
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closed = false
  return {
    url,
    ariUrl: `${url}/ari`,
    async close() {
      if (closed) return
      closed = true
      sim.close()
      sockets.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    placeCall: (p) => placeCall(sim, p),
    setPhone(endpoint, b) {
      if (b) sim.phoneOverrides.set(endpoint, b)
      else sim.phoneOverrides.delete(endpoint)
    },
    dropEventSockets: () => sockets.dropAll(),
    channelCount: () => sim.registry.size(),
    stats: () => ({
      channels: sim.registry.size(),
      bridges: sim.bridges.size,
      playbacks: sim.playbacks.size,
      httpRequests: sim.httpRequests,
      eventsSent: sim.bus.stats.eventsSent,
    }),
    internals: () => ({ sim }),
  }
}
