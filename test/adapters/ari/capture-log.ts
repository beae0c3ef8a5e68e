/** A real (redacting) logger whose records are kept in memory, to check what gets logged. */
import { createLogger, type Logger } from '../../../src/domain/log.js'

export interface CapturedLog {
  logger: Logger
  lines: string[]
  /** Records whose msg matches. */
  find(msg: RegExp): Array<Record<string, unknown>>
}

export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = []
  const logger = createLogger({ level, destination: { write: (s: string) => void lines.push(s) } })
  return {
    logger,
    lines,
    find: (msg) =>
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => typeof r.msg === 'string' && msg.test(r.msg)),
  }
}
