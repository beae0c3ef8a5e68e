/**
 * Entry point of the centralino command line (`npm run centralino -- flow validate FILE`).
 * All the work is in run.ts.
 */
import { runCli } from './run.js'

// `centralino flow paths FILE | head`: a closed pipe ends the listing quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
})
process.exitCode = code
