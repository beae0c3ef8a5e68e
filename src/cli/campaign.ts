/**
 * `centralino campaign ...`: campaigns from the command line, through a running engine's HTTP
 * API (validate works offline).
 *
 *   validate FILE          check a campaign file (YAML or JSON) with every error as file:line:col
 *   create FILE            check it, then create the campaign (draft)
 *   upload ID CSV          stream a contact list to the campaign; prints the import report
 *   start|pause|resume|stop ID
 *   progress ID [--json]   live figures
 *   export ID [OUT]        the results CSV to OUT (default standard output)
 *
 * --api URL (or CENTRALINO_API; default http://127.0.0.1:8080) and --token TOKEN (or
 * CENTRALINO_TOKEN) name the engine and the bearer token. Exit codes: 0 done, 1 refused
 * (invalid file, an API error), 2 usage, 3 the API could not be reached.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { request } from 'undici'
import { formatError } from '../config/errors.js'
import { parseYaml } from '../config/yaml.js'
import { readCampaign } from '../dialer/campaign-config.js'
import type { ImportReport } from '../domain/campaign.js'
import { parseOrUsage, UsageError, type CliIo } from './usage.js'

export const CAMPAIGN_USAGE = [
  'usage:',
  '  centralino campaign validate FILE',
  '  centralino campaign create FILE',
  '  centralino campaign upload ID CSV [--delimiter comma|semicolon|tab] [--encoding utf-8|latin1] [--foreign accept]',
  '  centralino campaign start|pause|resume|stop ID',
  '  centralino campaign progress ID [--json]',
  '  centralino campaign export ID [OUT]',
  '',
  'options: --api URL (env CENTRALINO_API, default http://127.0.0.1:8080), --token TOKEN (env CENTRALINO_TOKEN)',
  'exit codes: 0 done, 1 refused (invalid file, API error), 2 usage, 3 API unreachable',
].join('\n')

export interface CampaignCliOptions {
  env?: Record<string, string | undefined>
  /** Where `export` writes without OUT (default process.stdout). */
  stdout?: Writable
}

const COMMANDS = ['validate', 'create', 'upload', 'start', 'pause', 'resume', 'stop', 'progress', 'export'] as const
type Command = (typeof COMMANDS)[number]
const ARITY: Record<Command, [number, number]> = {
  validate: [1, 1],
  create: [1, 1],
  upload: [2, 2],
  start: [1, 1],
  pause: [1, 1],
  resume: [1, 1],
  stop: [1, 1],
  progress: [1, 1],
  export: [1, 2],
}
const VALUED = ['api', 'token', 'delimiter', 'encoding', 'foreign'] as const
const FLAGS = ['json'] as const

interface Args {
  command: Command
  positional: string[]
  opts: Partial<Record<(typeof VALUED)[number], string>>
  json: boolean
}

/** The API answered with an error (exit 1) or could not be reached (exit 3). */
class ApiError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 3,
    readonly lines: string[] = [],
    /** The API's details.errors (validation failures). */
    readonly errors: ApiFieldError[] = [],
  ) {
    super(message)
  }
}

interface ApiFieldError {
  path?: string
  message?: string
  line?: number
  column?: number
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return 'help'
  const [command, ...rest] = argv
  if (command === undefined) throw new UsageError('missing campaign subcommand')
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown campaign subcommand '${command}'`)
  const positional: string[] = []
  const opts: Args['opts'] = {}
  let json = false
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    if ((FLAGS as readonly string[]).includes(name)) {
      json = true
      continue
    }
    if (!(VALUED as readonly string[]).includes(name)) throw new UsageError(`unknown option '--${name}'`)
    const value = eq > 0 ? a.slice(eq + 1) : rest[++i]
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`)
    opts[name as (typeof VALUED)[number]] = value
  }
  const cmd = command as Command
  const [min, max] = ARITY[cmd]
  if (positional.length < min || positional.length > max) {
    const what = cmd === 'validate' || cmd === 'create' ? 'FILE' : cmd === 'upload' ? 'ID and CSV' : cmd === 'export' ? 'ID [OUT]' : 'ID'
    throw new UsageError(`campaign ${cmd} expects ${what}`)
  }
  return { command: cmd, positional, opts, json }
}

interface Api {
  base: string
  token: string | undefined
}

function apiOf(args: Args, env: Record<string, string | undefined>): Api {
  const base = (args.opts.api ?? env.CENTRALINO_API ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(base)) throw new UsageError(`--api must be an http(s) URL, got '${base}'`)
  return { base, token: args.opts.token ?? env.CENTRALINO_TOKEN }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { errors?: ApiFieldError[] } }
}

async function call(api: Api, method: 'GET' | 'POST', path: string, body?: { json: unknown } | { stream: Readable; type: string; length?: number }) {
  const headers: Record<string, string> = {}
  if (api.token !== undefined) headers.authorization = `Bearer ${api.token}`
  let payload: string | Readable | undefined
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body.json)
  } else if (body) {
    headers['content-type'] = body.type
    if (body.length !== undefined) headers['content-length'] = String(body.length)
    payload = body.stream
  }
  let res
  try {
    res = await request(`${api.base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new ApiError(`cannot reach the API at ${api.base}: ${e.code ?? e.message}`, 3)
  }
  if (res.statusCode >= 400) {
    const text = await res.body.text()
    let parsed: ErrorBody = {}
    try {
      parsed = JSON.parse(text) as ErrorBody
    } catch {
      // not the API's error shape: the status says it all
    }
    const e = parsed.error
    const errors = Array.isArray(e?.details?.errors) ? e.details.errors : []
    const lines = errors.map((x) => `  ${x.path ?? ''}: ${x.message ?? ''}`)
    throw new ApiError(`${method} ${path}: ${res.statusCode} ${e?.code ?? ''}${e?.message ? `: ${e.message}` : ''}`.replace(/ :/, ':'), 1, lines, errors)
  }
  return res
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`)

async function validate(file: string, io: CliIo): Promise<number> {
  const r = readCampaign(file)
  for (const e of r.errors) io.err(formatError(e))
  if (!r.config) {
    const n = r.errors.filter((e) => e.severity !== 'warning').length
    io.err(`${file}: ${n} error${n === 1 ? '' : 's'}; campaign rejected`)
    return 1
  }
  const c = r.config
  io.out(`${file}: valid campaign '${c.id}' (${c.mode}, section ${c.section}, ring ${c.ringSeconds} s, abandon ceiling ${pct(c.abandonCeiling)}, at most ${c.maxAttempts} attempts)`)
  return 0
}

async function create(file: string, api: Api, io: CliIo): Promise<number> {
  if ((await validate(file, { out: () => {}, err: io.err })) !== 0) return 1
  const parsed = parseYaml(await readFile(file, 'utf8'), file)
  let res
  try {
    res = await call(api, 'POST', '/api/campaigns', { json: parsed.source.value })
  } catch (err) {
    // The API's errors point into the JSON it was sent: point them into the file instead.
    if (!(err instanceof ApiError) || err.errors.length === 0) throw err
    const lines = err.errors.map((x) => {
      const segs = (x.path ?? '').replace(/^\/body\/?/, '').split('/').filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      const pos = parsed.source.locate(segs)
      return `${file}:${pos.line}:${pos.column}: ${segs.join('.')}${segs.length > 0 ? ': ' : ''}${x.message ?? ''}`
    })
    throw new ApiError(err.message, 1, lines)
  }
  const rec = (await res.body.json()) as { id: string; status: string }
  io.out(`created campaign '${rec.id}' (${rec.status})`)
  return 0
}

async function upload(id: string, csv: string, args: Args, api: Api, io: CliIo): Promise<number> {
  let size: number
  try {
    size = (await stat(csv)).size
  } catch (err) {
    io.err(`${csv}: cannot read the contact list (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
    return 1
  }
  const q = new URLSearchParams()
  for (const k of ['delimiter', 'encoding', 'foreign'] as const) if (args.opts[k] !== undefined) q.set(k, args.opts[k])
  const path = `/api/campaigns/${encodeURIComponent(id)}/contacts${q.size > 0 ? `?${q}` : ''}`
  const res = await call(api, 'POST', path, { stream: createReadStream(csv), type: 'text/csv', length: size })
  const rep = (await res.body.json()) as ImportReport
  if (args.json) {
    io.out(JSON.stringify(rep, null, 2))
    return 0
  }
  io.out(`${csv}: ${rep.rows} rows, ${rep.imported} imported, ${rep.merged} merged, ${rep.rejected} rejected (${rep.optedOut} opted out, ${rep.noConsent} without consent)`)
  for (const r of rep.rejectedRows) io.out(`${csv}:${r.line}: ${r.reason}${r.value !== undefined ? ` (${JSON.stringify(r.value)})` : ''}`)
  if (rep.rejected > rep.rejectedRows.length) io.out(`... and ${rep.rejected - rep.rejectedRows.length} more rejected rows`)
  return 0
}

async function progress(id: string, args: Args, api: Api, io: CliIo): Promise<number> {
  const res = await call(api, 'GET', `/api/campaigns/${encodeURIComponent(id)}/progress`)
  const p = (await res.body.json()) as {
    status: string
    contacts: Record<string, number>
    attempts: number
    byOutcome: Record<string, number>
    answered: number
    human: number
    machine: number
    putThrough: number
    transfers: number
    abandon: { answers: number; abandons: number; rate: number | null; ceiling: number; windowMs: number }
    reached: number
    reachedRate: number | null
    reachedFirstAttempt: number
  }
  if (args.json) {
    io.out(JSON.stringify(p, null, 2))
    return 0
  }
  const c = p.contacts
  io.out(`campaign ${id}: ${p.status}`)
  io.out(`contacts: ${c.total} (pending ${c.pending}, dialing ${c.dialing}, done ${c.done}, failed ${c.failed}, excluded ${c.excluded})`)
  io.out(`attempts: ${p.attempts} (${Object.entries(p.byOutcome).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`)
  io.out(`answered: ${p.answered} (human ${p.human}, machine ${p.machine}); put through ${p.putThrough}; transfers ${p.transfers}`)
  io.out(`abandoned: ${pct(p.abandon.rate)} of ${p.abandon.answers} live answers over ${p.abandon.windowMs / 3600_000} h (ceiling ${pct(p.abandon.ceiling)})`)
  io.out(`reached: ${p.reached} (${pct(p.reachedRate)} of contacts; ${p.reachedFirstAttempt} at the first call)`)
  return 0
}

async function exportCsv(id: string, out: string | undefined, api: Api, io: CliIo, stdout: Writable): Promise<number> {
  const res = await call(api, 'GET', `/api/campaigns/${encodeURIComponent(id)}/results.csv`)
  if (out === undefined) {
    await pipeline(res.body, stdout, { end: false })
    return 0
  }
  await pipeline(res.body, createWriteStream(out))
  io.err(`exported campaign '${id}' to ${out}`)
  return 0
}

export async function runCampaignCli(argv: readonly string[], io: CliIo, o: CampaignCliOptions = {}): Promise<number> {
  const parsed = parseOrUsage(argv, parseArgs, CAMPAIGN_USAGE, io)
  if ('code' in parsed) return parsed.code
  const { args } = parsed
  const [first, second] = args.positional as [string, string | undefined]
  if (args.command === 'validate') return validate(first, io)
  try {
    const api = apiOf(args, o.env ?? process.env)
    switch (args.command) {
      case 'create':
        return await create(first, api, io)
      case 'upload':
        return await upload(first, second!, args, api, io)
      case 'progress':
        return await progress(first, args, api, io)
      case 'export':
        return await exportCsv(first, second, api, io, o.stdout ?? process.stdout)
      default: {
        const res = await call(api, 'POST', `/api/campaigns/${encodeURIComponent(first)}/${args.command}`)
        const rec = (await res.body.json()) as { id: string; status: string }
        io.out(`campaign '${rec.id}': ${rec.status}`)
        return 0
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`centralino: ${err.message}`)
      return 2
    }
    if (err instanceof ApiError) {
      io.err(`centralino: ${err.message}`)
      for (const l of err.lines) io.err(l)
      return err.exitCode
    }
    const e = err as NodeJS.ErrnoException
    io.err(`centralino: ${e.code ? `${e.code}: ` : ''}${e.message}`)
    return 1
  }
}
