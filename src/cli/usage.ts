/** What the command lines share: their output, usage errors, and parsing with the usage on error or --help. */

export interface CliIo {
  /** Writes one line (no trailing newline) to standard output. */
  out(line: string): void
  err(line: string): void
}

/** A command line that does not parse: the message, then the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses the arguments; on a usage error prints it and the usage (exit code 2), on --help the
 * usage (exit code 0): `code` is then set and the command stops there.
 */
export function parseOrUsage<A>(argv: readonly string[], parse: (argv: readonly string[]) => A | 'help', usage: string, io: CliIo): { args: A } | { code: number } {
  let args: A | 'help'
  try {
    args = parse(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.err(`centralino: ${err.message}`)
    io.err(usage)
    return { code: 2 }
  }
  if (args === 'help') {
    io.out(usage)
    return { code: 0 }
  }
  return { args }
}
