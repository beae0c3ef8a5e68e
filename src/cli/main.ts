/**
 * Entry point of the centralino command line (`npm run centralino -- flow validate FILE`,
 * `npm run centralino -- campaign progress ID`). The work is in run.ts (flows) and
 * campaign.ts (campaigns, through the HTTP API).
 */
import { runCampaignCli } from './campaign.js'
import { runCli } from './run.js'
import { hashPassword } from '../http/login.js'

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
/** `centralino password`: reads a password on stdin, prints its hash for http.users in the configuration. */
async function passwordHash(): Promise<number> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  const password = text.replace(/\r?\n$/, '')
  if (!password) {
    io.err('centralino password: give the password on standard input (echo -n ... | centralino password)')
    return 2
  }
  io.out(await hashPassword(password))
  return 0
}

const code = argv[0] === 'campaign' ? await runCampaignCli(argv.slice(1), io) : argv[0] === 'password' ? await passwordHash() : await runCli(argv, io)
process.exitCode = code
