/**
 * Entry point of the centralino command line (`npm run centralino -- flow validate FILE`,
 * `npm run centralino -- campaign progress ID`). The work is in run.ts (flows) and
 * campaign.ts (campaigns, through the HTTP API).
 */
import { runCampaignCli } from './campaign.js'
import { runCli } from './run.js'

// `centralino flow paths FILE | head`: a closed pipe ends the listing quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

const argv = process.argv.slice(2)
const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
}
const code = argv[0] === 'campaign' ? await runCampaignCli(argv.slice(1), io) : await runCli(argv, io)
process.exitCode = code
