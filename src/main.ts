/**
 * The engine's entry point: read the configuration (file + environment, every error at once),
 * boot the engine, and stop gracefully on SIGINT/SIGTERM: no new calls, calls in progress get
 * up to CENTRALINO_DRAIN_SEC (default 30 s) to finish, then the rest are ended. A second
 * signal stops at once.
 */
import { bootEngine } from './boot/engine.js'
import { readEngineConfig } from './config/engine.js'
import { formatErrors } from './config/errors.js'
import { createLogger } from './domain/log.js'

const r = readEngineConfig({ env: process.env })
if (r.errors.length > 0) {
  process.stderr.write(`centralino: invalid configuration\n${formatErrors(r.errors)}\n`)
  process.exit(1)
}
const log = createLogger({ level: r.config.log.level })
const drainMs = Number(process.env.CENTRALINO_DRAIN_SEC ?? 30) * 1000
// With a shared store (Redis), CENTRALINO_LEASE_TTL_MS makes this engine drive its Asterisk only
// while it holds the server's lease: a second engine started the same way is a hot standby.
const leaseTtlMs = Number(process.env.CENTRALINO_LEASE_TTL_MS ?? 0)
const engineId = process.env.CENTRALINO_ENGINE_ID || undefined

try {
  const engine = await bootEngine({
    config: r.config,
    log,
    engineId,
    lease:
      leaseTtlMs > 0
        ? {
            ttlMs: leaseTtlMs,
            onLost: () => {
              log.error('lease lost: exiting so that the supervisor restarts this engine as a standby')
              process.exit(3)
            },
          }
        : undefined,
  })
  log.info({ telephony: r.config.telephony, ari: engine.ariUrl }, 'centralino running; Ctrl-C to stop')
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: stopping now')
      process.exit(1)
    }
    stopping = true
    log.info({ signal, drainMs }, 'stopping: letting calls in progress finish')
    engine.stop({ drainMs }).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
} catch (err) {
  log.fatal({ err }, 'centralino could not start')
  process.exit(1)
}
