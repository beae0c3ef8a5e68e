/**
 * Campaign routes over the in-memory campaign store: definitions (validation with every path,
 * defaults, edit rules), contact list uploads (rejected rows with lines and reasons, valid rows
 * stored, duplicates merged, opted-out numbers refused, size and type limits), status
 * transitions with their 409s, progress figures after recorded attempts, and the export.
 */
import { Readable } from 'node:stream'
import t from 'tap'
import type { DialOutcome } from '../../src/domain/campaign.js'
import { readCsv } from '../../src/dialer/csv.js'
import { auth, campaignDefinition, startApi, type Api } from './fixture.js'

const MGR = auth('tok-manager')
const SUP = auth('tok-supervisor')

const definition = campaignDefinition

const csvUpload = (api: Api, id: string, csv: string, headers: Record<string, string> = MGR, query = '') =>
  api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts${query}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv })

async function create(api: Api, id = 'info', extra: Record<string, unknown> = {}) {
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: MGR, payload: definition(id, extra) })
  if (r.statusCode !== 201) throw new Error(`create ${id}: ${r.statusCode} ${r.body}`)
  return r.json()
}

const LIST = [
  'nome;telefono;consenso;comune',
  'Anna Rossi;333 123 4567;si;Roma', // 2 imported
  'Bruno;06 1234 5678;;Milano', // 3 imported (landline)
  'Carla;12345;si;Napoli', // 4 invalid number
  'Dario;;si;Torino', // 5 missing number
  'Anna bis;+39 333-1234567;si;Roma', // 6 merged into line 2
  'Elena;3471112222;no;Bari', // 7 consent refused
  'Franco;3209998888;forse;Pisa', // 8 invalid consent
  'Gino;3281234567;si', // 9 column count
  'Ugo;3401231234;si;Genova', // 10 opted out
  'Zeno;0039 320 555 6666;si;Lecce', // 11 imported
].join('\n')

t.test('create: 201 with every default filled in; GET one and the list; 409 on a taken id', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: MGR, payload: definition() })
  t.equal(r.statusCode, 201)
  const rec = r.json()
  t.match(rec, { id: 'info', name: 'Informativa', mode: 'predictive', status: 'draft', createdAt: new Date(api.clock.now()).toISOString(), history: [{ status: 'draft' }] })
  t.match(rec.config, { ringSeconds: 15, abandonCeiling: 0.03, maxAttempts: 5, abandonWindowMs: 86_400_000, onMachine: 'hangup', windows: { timezone: 'Europe/Rome', holidays: 'italy' } })
  t.same(rec.config.windows.days.mon, ['10:00-12:00', '16:00-18:00'])
  t.match(rec.config.retries, { busy: { delayMinutes: 10, maxAttempts: 5 } })
  t.same((await api.app.inject({ method: 'GET', url: '/api/campaigns/info', headers: auth('tok-viewer') })).json(), rec, 'a viewer reads it')
  const list = await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: auth('tok-viewer') })
  t.same(list.json().map((c: { id: string }) => c.id), ['info'])
  const again = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: SUP, payload: definition() })
  t.equal(again.statusCode, 409)
  t.equal(again.json().error.code, 'CONFLICT')
  const none = await api.app.inject({ method: 'GET', url: '/api/campaigns/nope', headers: MGR })
  t.equal(none.statusCode, 404)
  t.equal(none.json().error.code, 'NOT_FOUND')
  const bad = await api.app.inject({ method: 'GET', url: '/api/campaigns/9-bad', headers: MGR })
  t.equal(bad.statusCode, 400, 'an id that cannot be a campaign: 400')
})

t.test('create: 400 lists every error with its path and position', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: MGR,
    payload: { id: '1bad', name: 'x', mode: 'robocall', section: 'nowhere', callerId: '+390659051', trunk: 'no template', ringSeconds: 5, abandonCeiling: 0.1, extra: true },
  })
  t.equal(r.statusCode, 400)
  const body = r.json()
  t.equal(body.error.code, 'BAD_REQUEST')
  const paths = body.error.details.errors.map((e: { path: string }) => e.path).sort()
  t.same(paths, ['/body/abandonCeiling', '/body/extra', '/body/id', '/body/mode', '/body/ringSeconds', '/body/section', '/body/trunk'])
  for (const e of body.error.details.errors) {
    t.type(e.message, 'string')
    t.ok(e.line > 0 && e.column > 0, `${e.path} has a position`)
  }
  t.match(body.error.message, /^invalid campaign: \/body\/\w+ .+ \(and 6 more\)$/)
  const msg = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: MGR, payload: definition('m', { mode: 'message', messageFlow: 'unknown-flow' }) })
  t.equal(msg.statusCode, 400)
  t.match(msg.json().error.details.errors, [{ path: '/body/messageFlow', message: "unknown flow 'unknown-flow'" }])
  const empty = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: { ...MGR, 'content-type': 'application/json' }, payload: '' })
  t.equal(empty.statusCode, 400, 'no body: 400')
  t.equal((await api.campaigns.list()).length, 0, 'nothing stored')
})

t.test('PUT replaces a draft or paused definition; the id is the path; 409 while running', async (t) => {
  const api = await startApi(t)
  await create(api)
  const { id: _id, ...rest } = definition()
  const r = await api.app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: MGR, payload: { ...rest, name: 'Nuovo nome', ringSeconds: 20 } })
  t.equal(r.statusCode, 200, r.body)
  t.match(r.json(), { name: 'Nuovo nome', status: 'draft', config: { ringSeconds: 20 } })
  const other = await api.app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: MGR, payload: definition('other') })
  t.equal(other.statusCode, 400)
  t.match(other.json().error.details.errors, [{ path: '/body/id' }])
  const invalid = await api.app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: MGR, payload: { ...rest, ringSeconds: 3 } })
  t.equal(invalid.statusCode, 400)
  t.match(invalid.json().error.details.errors, [{ path: '/body/ringSeconds' }])
  t.equal((await api.app.inject({ method: 'PUT', url: '/api/campaigns/nope', headers: MGR, payload: rest })).statusCode, 404)
  await csvUpload(api, 'info', 'number\n3331234567\n')
  t.equal((await api.app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: MGR })).statusCode, 200)
  const running = await api.app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: MGR, payload: rest })
  t.equal(running.statusCode, 409)
  t.match(running.json().error, { code: 'CONFLICT', details: { status: 'running' } })
  t.equal((await api.app.inject({ method: 'POST', url: '/api/campaigns/info/pause', headers: MGR })).statusCode, 200)
  t.equal((await api.app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: MGR, payload: { ...rest, name: 'In pausa' } })).statusCode, 200, 'paused: editable')
  t.equal((await api.campaigns.get('info'))?.status, 'paused', 'the status is kept')
})

t.test('upload: rejected rows with lines and reasons, valid rows stored, duplicates merged, opted-out numbers refused', async (t) => {
  const api = await startApi(t)
  await create(api)
  await api.campaigns.addOptOut(['+393401231234'])
  const r = await csvUpload(api, 'info', LIST)
  t.equal(r.statusCode, 200, r.body)
  const rep = r.json()
  t.match(rep, { campaignId: 'info', rows: 10, imported: 3, merged: 1, rejected: 6, optedOut: 1, noConsent: 1 })
  t.notOk('warnings' in rep)
  t.same(rep.rejectedRows, [
    { line: 4, reason: 'invalid number: short or emergency number (123…)', value: '12345' },
    { line: 5, reason: 'missing number' },
    { line: 7, reason: 'consent refused' },
    { line: 8, reason: 'invalid consent: "forse"' },
    { line: 9, reason: 'column count (expected 4, got 3)' },
    { line: 10, reason: 'opted out' },
  ])
  t.same(await api.campaigns.counts('info'), { pending: 3, dialing: 0, done: 0, failed: 0, excluded: 0 })
  const anna = await api.campaigns.getContact('info', '+393331234567')
  t.match(anna, { number: '+393331234567', name: 'Anna Rossi', consent: true, fields: { comune: 'Roma' }, lines: [2, 6], status: 'pending' })
  t.match(await api.campaigns.getContact('info', '+390612345678'), { name: 'Bruno', lines: [3] })
  t.notOk(await api.campaigns.getContact('info', '+393471112222'), 'consent refused: not stored')
  t.notOk(await api.campaigns.getContact('info', '+393401231234'), 'opted out: not stored')

  // A second list: numbers stored by the first are merged into their contacts.
  const r2 = await csvUpload(api, 'info', 'number,name\n333 1234567,Anna ter\n3391112233,Nuovo\n')
  t.match(r2.json(), { rows: 2, imported: 1, merged: 1, rejected: 0 })
  t.same((await api.campaigns.getContact('info', '+393331234567'))?.lines, [2, 6, 2], 'the line of the second list appended')
  t.equal((await api.campaigns.getContact('info', '+393331234567'))?.name, 'Anna Rossi', 'the first row wins')
})

t.test('upload: options (delimiter, column names), unreadable files, wrong type, size limit, unknown campaign', async (t) => {
  const api = await startApi(t, { uploadLimitBytes: 200 })
  await create(api)
  const opt = await csvUpload(api, 'info', 'who|cell\nA|3331234567\n'.replace(/\|/g, ','), MGR, '?numberColumn=cell&nameColumn=who&delimiter=comma')
  t.equal(opt.statusCode, 200, opt.body)
  t.match(opt.json(), { imported: 1 })
  t.equal((await api.campaigns.getContact('info', '+393331234567'))?.name, 'A')
  const badQuery = await csvUpload(api, 'info', 'number\n3331234567\n', MGR, '?delimiter=pipe')
  t.equal(badQuery.statusCode, 400)
  t.match(badQuery.json().error.details.errors, [{ path: '/querystring/delimiter' }])
  const noNumber = await csvUpload(api, 'info', 'name,city\nA,Roma\n')
  t.equal(noNumber.statusCode, 400)
  t.match(noNumber.json().error, { code: 'BAD_REQUEST', message: /no number column/, details: { line: 1 } })
  const empty = await csvUpload(api, 'info', '')
  t.equal(empty.statusCode, 400)
  t.match(empty.json().error.message, /empty/)
  const json = await api.app.inject({ method: 'POST', url: '/api/campaigns/info/contacts', headers: MGR, payload: { numbers: [] } })
  t.equal(json.statusCode, 400)
  t.match(json.json().error.message, /text\/csv/)
  const big = await csvUpload(api, 'info', `number\n${'3331234567\n'.repeat(30)}`)
  t.equal(big.statusCode, 413, 'declared length over the limit')
  t.equal(big.json().error.message, 'request body too large')
  // Chunked (no content-length): the stream is cut at the limit.
  const chunked = await api.app.inject({
    method: 'POST',
    url: '/api/campaigns/info/contacts',
    headers: { ...MGR, 'content-type': 'text/csv' },
    payload: Readable.from([Buffer.from('number\n'), ...Array.from({ length: 40 }, () => Buffer.from('3331234567\n'))]),
  })
  t.equal(chunked.statusCode, 413, 'streamed past the limit')
  const unknown = await csvUpload(api, 'nope', 'number\n3331234567\n')
  t.equal(unknown.statusCode, 404)
})

t.test('upload: a stopped or running campaign takes no list (409); paused does', async (t) => {
  const api = await startApi(t)
  await create(api)
  t.equal((await csvUpload(api, 'info', 'number\n3331234567\n')).statusCode, 200)
  await api.app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: MGR })
  const running = await csvUpload(api, 'info', 'number\n3331234568\n')
  t.equal(running.statusCode, 409)
  t.match(running.json().error, { code: 'CONFLICT', details: { status: 'running' } })
  await api.app.inject({ method: 'POST', url: '/api/campaigns/info/pause', headers: MGR })
  t.equal((await csvUpload(api, 'info', 'number\n3331234568\n')).statusCode, 200)
  await api.app.inject({ method: 'POST', url: '/api/campaigns/info/stop', headers: MGR })
  t.equal((await csvUpload(api, 'info', 'number\n3331234569\n')).statusCode, 409)
  t.equal((await api.campaigns.counts('info')).pending, 2)
})

t.test('status transitions: start, pause, resume, stop with their from-states; 409 otherwise', async (t) => {
  const api = await startApi(t)
  await create(api)
  const post = async (action: string, id = 'info') => {
    api.clock.advance(1000)
    return api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/${action}`, headers: SUP })
  }
  const noContacts = await post('start')
  t.equal(noContacts.statusCode, 409, 'nothing to call yet')
  t.match(noContacts.json().error.message, /no contacts/)
  await csvUpload(api, 'info', 'number\n3331234567\n')
  for (const action of ['pause', 'resume']) {
    const r = await post(action)
    t.equal(r.statusCode, 409, `${action} a draft`)
    t.match(r.json().error, { code: 'CONFLICT', details: { status: 'draft' } })
  }
  t.equal((await post('start')).json().status, 'running')
  t.equal((await post('start')).statusCode, 409, 'start twice')
  t.equal((await post('resume')).statusCode, 409, 'resume a running one')
  t.equal((await post('pause')).json().status, 'paused')
  t.equal((await post('pause')).statusCode, 409, 'pause twice')
  t.equal((await post('start')).statusCode, 409, 'start a paused one (resume it)')
  t.equal((await post('resume')).json().status, 'running')
  const stop = await post('stop')
  t.equal(stop.json().status, 'stopped')
  t.same(
    stop.json().history.map((h: { status: string }) => h.status),
    ['draft', 'running', 'paused', 'running', 'stopped'],
  )
  for (const action of ['start', 'pause', 'resume', 'stop']) t.equal((await post(action)).statusCode, 409, `${action} a stopped campaign`)
  t.equal((await post('start', 'nope')).statusCode, 404)
  // A draft can be stopped (abandoned before it ran).
  await create(api, 'draft2')
  t.equal((await post('stop', 'draft2')).json().status, 'stopped')
  // A completed campaign (the dialer's doing) is over too.
  await create(api, 'done')
  await api.campaigns.setStatus('done', 'completed', api.clock.now())
  t.equal((await post('stop', 'done')).statusCode, 409)
})

t.test('progress: contacts by status, attempts by outcome, attempt number and hour, abandon rate, reached', async (t) => {
  const api = await startApi(t)
  await create(api, 'info', { abandonWindowMs: '1h' })
  const numbers = ['3330000001', '3330000002', '3330000003', '3330000004', '3330000005']
  await csvUpload(api, 'info', `number\n${numbers.join('\n')}\n`)
  await api.app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: MGR })
  const T = api.clock.now()
  const attempt = async (outcomes: Array<[DialOutcome, 'done' | 'pending' | 'failed']>, at: number, hour: string) => {
    const claimed = await api.campaigns.claimDue('info', at, outcomes.length, 'e1', 60_000)
    for (const [i, c] of claimed.entries()) {
      const [outcome, status] = outcomes[i]!
      await api.campaigns.complete('info', c.id, 'e1', { outcome, status, at: at + 30_000, hour, ...(status === 'pending' ? { nextAt: at + 3600_000 } : {}) })
    }
  }
  await attempt([['reached', 'done'], ['busy', 'pending'], ['no_answer', 'pending'], ['machine', 'pending'], ['abandoned', 'pending']], T, '2026-11-23T10')
  await attempt([['reached', 'done'], ['failed', 'failed'], ['reached', 'done']], T + 3600_000, '2026-11-23T11')
  const claimedNow = await api.campaigns.claimDue('info', T + 3 * 3600_000, 5, 'e2', 60_000)
  t.equal(claimedNow.length, 1, 'one contact left to call, now dialing')
  await api.campaigns.bump('info', { human: 5, machine: 1, put_through: 3, transfers: 1 })
  const now = T + 3 * 3600_000
  for (const [m, abandoned] of [[70, false], [65, true], [30, false], [10, false], [1, false]] as const) await api.campaigns.recordAnswer('info', now - m * 60_000, abandoned)
  api.clock.advance(now - api.clock.now())

  const r = await api.app.inject({ method: 'GET', url: '/api/campaigns/info/progress', headers: auth('tok-viewer') })
  t.equal(r.statusCode, 200, r.body)
  const p = r.json()
  t.match(p, {
    campaignId: 'info',
    status: 'running',
    at: new Date(now).toISOString(),
    contacts: { total: 5, pending: 0, dialing: 1, done: 3, failed: 1, excluded: 0 },
    attempts: 8,
    answered: 5,
    human: 5,
    machine: 1,
    putThrough: 3,
    transfers: 1,
    reached: 3,
    reachedFirstAttempt: 1,
    inFlight: { e2: 1 },
  })
  t.same(p.byOutcome, { reached: 3, busy: 1, no_answer: 1, machine: 1, abandoned: 1, failed: 1 })
  t.same(p.byAttempt, { 1: { reached: 1, busy: 1, no_answer: 1, machine: 1, abandoned: 1 }, 2: { reached: 2, failed: 1 } })
  t.same(p.byHour, { '2026-11-23T10': { reached: 1, busy: 1, no_answer: 1, machine: 1, abandoned: 1 }, '2026-11-23T11': { reached: 2, failed: 1 } })
  t.same(p.abandon, { windowMs: 3600_000, answers: 3, abandons: 0, rate: 0, ceiling: 0.03 }, 'answers older than the 1 h window are out')
  t.equal(p.reachedRate, 3 / 5)
  t.match(p.counters, { human: 5, put_through: 3 })

  // Without counters, human and machine fall back to the outcomes; an abandon inside the window counts.
  await create(api, 'empty')
  await api.campaigns.recordAnswer('empty', now, true)
  await api.campaigns.recordAnswer('empty', now, false)
  const e = (await api.app.inject({ method: 'GET', url: '/api/campaigns/empty/progress', headers: MGR })).json()
  t.match(e, { contacts: { total: 0 }, attempts: 0, human: 0, machine: 0, reached: 0, reachedRate: null, abandon: { answers: 2, abandons: 1, rate: 0.5 } })
})

async function parseCsv(text: string): Promise<string[][]> {
  const rows: string[][] = []
  for await (const r of readCsv(Readable.from([text]))) rows.push(r.fields)
  return rows
}

t.test('export: one row per contact with its attempts and the original columns; uploaded again it gives the same contacts', async (t) => {
  const api = await startApi(t)
  await create(api)
  const list = ['telefono,nome,consenso,comune,note', '3331234567,"Rossi, Anna",si,Roma,"dice ""richiamare"""', '06 1234 5678,Bruno,,Milano,', '333 123 4567,dup,si,X,Y', '3471112222,Carla,,Napoli,  spazi  '].join('\r\n')
  await csvUpload(api, 'info', list)
  await csvUpload(api, 'info', 'number,name,status\n3209998888,Dario,vip\n')
  await api.app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: MGR })
  const T = api.clock.now()
  const [first] = await api.campaigns.claimDue('info', T, 1, 'e1', 60_000)
  await api.campaigns.complete('info', first!.id, 'e1', { outcome: 'busy', status: 'pending', nextAt: 0, at: T + 1000, hour: 'h' })
  const [again] = await api.campaigns.claimDue('info', T + 2000, 1, 'e1', 60_000)
  t.equal(again!.id, first!.id)
  await api.campaigns.complete('info', again!.id, 'e1', { outcome: 'reached', status: 'done', at: T + 3000, hour: 'h' })

  const r = await api.app.inject({ method: 'GET', url: '/api/campaigns/info/results.csv', headers: auth('tok-viewer') })
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /^text\/csv/)
  t.match(r.headers['content-disposition'], /filename="info-results\.csv"/)
  const rows = await parseCsv(r.body)
  t.same(rows[0], ['number', 'name', 'consent', 'status', 'attempts', 'outcomes', 'last_outcome', 'reached_at', 'lines', 'comune', 'note', 'field_status'])
  t.same(rows.slice(1), [
    ['+393331234567', 'Rossi, Anna', 'yes', 'done', '2', 'busy|reached', 'reached', new Date(T + 3000).toISOString(), '2|4', 'Roma', 'dice "richiamare"', ''],
    ['+390612345678', 'Bruno', '', 'pending', '0', '', '', '', '3', 'Milano', '', ''],
    ['+393471112222', 'Carla', '', 'pending', '0', '', '', '', '5', 'Napoli', '  spazi  ', ''],
    ['+393209998888', 'Dario', '', 'pending', '0', '', '', '', '2', '', '', 'vip'],
  ])

  // Round trip: the export is a list the importer reads back into the same contacts.
  await create(api, 'copy')
  const back = await csvUpload(api, 'copy', r.body)
  t.match(back.json(), { rows: 4, imported: 4, rejected: 0 })
  for (const c of [await api.campaigns.getContact('info', '+393331234567'), await api.campaigns.getContact('info', '+393471112222')]) {
    const copy = await api.campaigns.getContact('copy', c!.id)
    t.equal(copy?.name, c!.name)
    t.equal(copy?.consent, c!.consent)
    t.equal(copy?.fields.comune, c!.fields.comune)
    t.equal(copy?.fields.note, c!.fields.note)
  }

  const none = await api.app.inject({ method: 'GET', url: '/api/campaigns/nope/results.csv', headers: MGR })
  t.equal(none.statusCode, 404)
  t.equal(none.json().error.code, 'NOT_FOUND')
  const emptyExport = await api.app.inject({ method: 'GET', url: '/api/campaigns/copy/results.csv', headers: MGR })
  t.equal((await parseCsv(emptyExport.body)).length, 5)
})
