/**
 * Logging: pino, one root logger per process, child loggers bound to ids (one per call).
 * Every record passes through redactValue, so a number or personal code that slips into a
 * field or a message is masked before it is written.
 */
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino'
import { redactText, redactValue } from './redact.js'

export type { Logger }

export interface LogOptions {
  level?: string
  name?: string
  destination?: DestinationStream
}

export function createLogger(opts: LogOptions = {}): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'centralino',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: undefined,
    formatters: {
      log: (obj) => redactValue(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>
        method.apply(this, redacted)
      },
    },
    serializers: {
      err: (e: unknown) => redactValue(e),
    },
  }
  return opts.destination ? pino(options, opts.destination) : pino(options)
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
