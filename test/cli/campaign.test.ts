/**
 * `centralino campaign ...` against a started API (the HTTP fixture listening on a free port):
 * validate offline, create, upload a list with bad rows, the status changes and their
 * refusals, progress, export to a file and to standard output; usage errors, an unreachable
 * API and missing credentials with their exit codes; and the command reached through main.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { runCampaignCli } from '../../src/cli/campaign.js'
import { startHttpServer } from '../../src/http/server.js'
import { startApi, type Api } from '../http/fixture.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const at = (p: string) => path.join(root, p)

function tmp(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-campaign-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

async function listening(t: Test): Promise<{ api: Api; url: string }> {
  const api = await startApi(t)
  const url = await startHttpServer(api.app, { port: 0, host: '127.0.0.1' })
  return { api, url }
}

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (c: Buffer) => chunks.push(c))
  const code = await runCampaignCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env, stdout })
  return { code, out, err, stdout: () => Buffer.concat(chunks).toString('utf8') }
}

const CAMPAIGN = `id: info
name: Informativa
mode: message
section: operators
messageFlow: national
transferKey: '0'
callerId: '+390659051'
trunk: Local/{number}@callees
abandonCeiling: 0.02
`

const LIST = 'nome;telefono;consenso\nAnna;333 123 4567;si\nBruno;12345;si\nCarla;;si\nAnna bis;+39 3331234567;si\nDario;3471112222;no\nElena;06 1234 5678;\n'

t.test('validate works offline: a valid file (exit 0), an invalid one with every error as file:line:col (exit 1)', async (t) => {
  const ok = await run(['validate', at('config/campaigns/self-employed-info.yaml')])
  t.equal(ok.code, 0, ok.err.join('\n'))
  t.match(ok.out, [/self-employed-info\.yaml: valid campaign 'self-employed-info' \(message, section contributions, ring 20 s, abandon ceiling 2\.0%, at most 5 attempts\)$/])
  const dir = tmp(t, { 'bad.yaml': 'id: bad\nname: x\nmode: robocall\nsection: operators\ncallerId: "+390659051"\ntrunk: PJSIP/{number}@t\nringSeconds: 5\n' })
  const file = path.join(dir, 'bad.yaml')
  const bad = await run(['validate', file, '--api', 'http://127.0.0.1:1'])
  t.equal(bad.code, 1)
  t.same(bad.out, [])
  t.match(bad.err, [new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:7: mode: `), /:7:14: ringSeconds: /, /bad\.yaml: 2 errors; campaign rejected$/])
})

t.test('create, upload, start/pause/resume/stop, progress, export against a started API', async (t) => {
  const { api, url } = await listening(t)
  const dir = tmp(t, { 'info.yaml': CAMPAIGN, 'list.csv': LIST })
  const opts = ['--api', url, '--token', 'tok-manager']

  const created = await run(['create', path.join(dir, 'info.yaml'), ...opts])
  t.equal(created.code, 0, created.err.join('\n'))
  t.same(created.out, ["created campaign 'info' (draft)"])
  t.match(await api.campaigns.get('info'), { status: 'draft', config: { mode: 'message', abandonCeiling: 0.02 } })

  const again = await run(['create', path.join(dir, 'info.yaml'), ...opts])
  t.equal(again.code, 1)
  t.same(again.err, ['centralino: POST /api/campaigns: 409 CONFLICT: campaign info already exists'])

  const csv = path.join(dir, 'list.csv')
  const up = await run(['upload', 'info', csv, ...opts])
  t.equal(up.code, 0, up.err.join('\n'))
  t.same(up.out, [
    `${csv}: 6 rows, 2 imported, 1 merged, 3 rejected (0 opted out, 1 without consent)`,
    `${csv}:3: invalid number: short or emergency number (123…) ("12345")`,
    `${csv}:4: missing number`,
    `${csv}:6: consent refused`,
  ])
  t.same((await api.campaigns.getContact('info', '+393331234567'))?.lines, [2, 5])
  t.equal((await api.campaigns.counts('info')).pending, 2)

  const start = await run(['start', 'info', ...opts])
  t.same([start.code, start.out], [0, ["campaign 'info': running"]])
  const twice = await run(['start', 'info', ...opts])
  t.equal(twice.code, 1)
  t.same(twice.err, ['centralino: POST /api/campaigns/info/start: 409 CONFLICT: campaign info is running: start needs draft'])
  const upRunning = await run(['upload', 'info', csv, ...opts])
  t.equal(upRunning.code, 1, 'no upload to a running campaign')
  t.same((await run(['pause', 'info', ...opts])).out, ["campaign 'info': paused"])
  t.same((await run(['resume', 'info', ...opts])).out, ["campaign 'info': running"])

  const T = api.clock.now()
  const [c] = await api.campaigns.claimDue('info', T, 1, 'e1', 60_000)
  await api.campaigns.complete('info', c!.id, 'e1', { outcome: 'reached', status: 'done', at: T + 1000, hour: '2026-11-23T10' })
  await api.campaigns.recordAnswer('info', T + 1000, false)
  const prog = await run(['progress', 'info', ...opts])
  t.equal(prog.code, 0, prog.err.join('\n'))
  t.same(prog.out, [
    'campaign info: running',
    'contacts: 2 (pending 1, dialing 0, done 1, failed 0, excluded 0)',
    'attempts: 1 (reached 1)',
    'answered: 1 (human 1, machine 0); put through 0; transfers 0',
    'abandoned: 0.0% of 1 live answers over 24 h (ceiling 2.0%)',
    'reached: 1 (50.0% of contacts; 1 at the first call)',
  ])
  const pjson = await run(['progress', 'info', '--json', ...opts])
  t.match(JSON.parse(pjson.out.join('\n')), { campaignId: 'info', reached: 1, byOutcome: { reached: 1 } })

  const out = path.join(dir, 'results.csv')
  const exp = await run(['export', 'info', out, ...opts])
  t.equal(exp.code, 0, exp.err.join('\n'))
  const fromApi = await api.app.inject({ method: 'GET', url: '/api/campaigns/info/results.csv', headers: { authorization: 'Bearer tok-viewer' } })
  t.equal(readFileSync(out, 'utf8'), fromApi.body, 'the file is the export')
  t.match(readFileSync(out, 'utf8'), /^number,name,consent,status,attempts,outcomes,last_outcome,reached_at,lines\r\n\+393331234567,Anna,yes,done,1,reached,reached,/)
  const toStdout = await run(['export', 'info', ...opts])
  t.equal(toStdout.code, 0)
  t.equal(toStdout.stdout(), fromApi.body, 'without OUT: standard output')

  t.same((await run(['stop', 'info', ...opts])).out, ["campaign 'info': stopped"])
})

t.test('the API refuses a definition: every error printed with its path and position (exit 1)', async (t) => {
  const { url } = await listening(t)
  const dir = tmp(t, { 'c.yaml': CAMPAIGN.replace('section: operators', 'section: contributions').replace('messageFlow: national', 'messageFlow: other') })
  const r = await run(['create', path.join(dir, 'c.yaml')], { CENTRALINO_API: url, CENTRALINO_TOKEN: 'tok-supervisor' })
  t.equal(r.code, 1)
  const file = path.join(dir, 'c.yaml')
  t.same(r.err, [
    "centralino: POST /api/campaigns: 400 BAD_REQUEST: invalid campaign: /body/section unknown section 'contributions' (and 1 more)",
    `${file}:4:10: section: unknown section 'contributions'`,
    `${file}:5:14: messageFlow: unknown flow 'other'`,
  ], 'the positions are those of the file')
})

t.test('credentials, unreachable API, unknown campaign, usage', async (t) => {
  const { url } = await listening(t)
  const none = await run(['progress', 'info', '--api', url])
  t.equal(none.code, 1)
  t.match(none.err, [/401 UNAUTHORIZED: missing or unknown credentials/])
  const agent = await run(['start', 'info', '--api', url, '--token', 'tok-op1'])
  t.equal(agent.code, 1)
  t.match(agent.err, [/403 FORBIDDEN: role agent may not POST/])
  const missing = await run(['progress', 'nope', '--api', url, '--token', 'tok-viewer'])
  t.equal(missing.code, 1)
  t.match(missing.err, [/404 NOT_FOUND: no campaign nope/])
  const down = await run(['progress', 'info', '--api', 'http://127.0.0.1:1', '--token', 'x'])
  t.equal(down.code, 3)
  t.match(down.err, [/cannot reach the API at http:\/\/127\.0\.0\.1:1: ECONNREFUSED/])
  const noFile = await run(['upload', 'info', '/nonexistent/list.csv', '--api', url, '--token', 'tok-manager'])
  t.equal(noFile.code, 1)
  t.match(noFile.err, [/list\.csv: cannot read the contact list \(ENOENT\)/])
  for (const argv of [[], ['frobnicate'], ['start'], ['upload', 'info'], ['progress', 'a', 'b'], ['start', 'x', '--colour', 'red'], ['start', 'x', '--api'], ['start', 'x', '--api', 'ftp://x']]) {
    const r = await run(argv)
    t.equal(r.code, 2, `usage: ${argv.join(' ')}`)
    t.match(r.err[0], /^centralino: /)
  }
  const help = await run(['--help'])
  t.equal(help.code, 0)
  t.match(help.out[0], /centralino campaign validate FILE/)
})

t.test('main.ts hands `campaign` to the campaign command', async (t) => {
  const { spawnSync } = await import('node:child_process')
  const r = spawnSync(process.execPath, ['--import', 'tsx', at('src/cli/main.ts'), 'campaign', 'validate', 'config/campaigns/self-employed-info.yaml'], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /valid campaign 'self-employed-info'/)
  const u = spawnSync(process.execPath, ['--import', 'tsx', at('src/cli/main.ts'), 'campaign'], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  t.equal(u.status, 2)
  t.match(u.stderr, /missing campaign subcommand/)
})
