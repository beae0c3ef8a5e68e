/**
 * A campaign manager's whole path on one engine with the embedded (memory) stores, over HTTP:
 * create a campaign, upload a list with a bad row, start it; the engine's dialer calls the valid
 * contacts (the API and the dialer share one campaign store) and the progress says so.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { startDialerHarness } from './dialer-harness.js'

t.test('created, uploaded and started through the API, dialed by the engine', async (t) => {
  const h = await startDialerHarness()
  t.teardown(() => h.close())
  const base = h.engine.apiUrl!
  const send = async (method: string, path: string, body?: string, type = 'application/json') => {
    const r = await fetch(`${base}${path}`, { method, headers: { authorization: 'Bearer demo-campaigns', ...(body !== undefined ? { 'content-type': type } : {}) }, ...(body !== undefined ? { body } : {}) })
    return { status: r.status, body: (await r.json()) as Record<string, unknown> }
  }
  const allDay = ['00:00-24:00']
  const created = await send(
    'POST',
    '/api/campaigns',
    JSON.stringify({
      id: 'via-api',
      name: 'Via API',
      mode: 'progressive',
      section: 'contributions',
      callerId: '+390659051',
      trunk: 'PJSIP/{number}@trunk',
      windows: { days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: 'none' },
    }),
  )
  t.equal(created.status, 201, JSON.stringify(created.body))
  const up = await send('POST', '/api/campaigns/via-api/contacts', 'numero;nome\n333 100 2001;Anna\nnot a number;Bruno\n3331002002;Carla\n', 'text/csv')
  t.equal(up.status, 200)
  t.match(up.body, { imported: 2, rejected: 1, rejectedRows: [{ line: 3 }] })
  t.equal((await send('POST', '/api/campaigns/via-api/start')).status, 200)
  await waitUntil(async () => ((await h.campaigns.stats('via-api')).byOutcome.reached ?? 0) === 2, 30_000, 'both contacts reached')
  const progress = await send('GET', '/api/campaigns/via-api/progress')
  t.match(progress.body, { status: 'running', contacts: { done: 2 } })
})
