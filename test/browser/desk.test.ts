/**
 * The operator desk in a real browser: op101 logs in (page and queues), a caller who typed a
 * request number in the pensions menu reaches op101 (the other pensions agents paused), the desk
 * shows the call (masked number, section, menus, the number typed), the operator transfers it to
 * contributions from the page and the caller queues there; a ticket opened from the form
 * (prefilled from the call) is found through the API; the softphone says it is not configured.
 */
import t from 'tap'
import { heard } from '../integration/harness.js'
import { noBrowser, startBrowserHarness } from './harness.js'

t.test('operator desk: the call with its menus and what the caller typed, a transfer from the page, a ticket from the form', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())
  const sim = b.h.engine.sim!
  // The harness logs every agent in; op101 starts logged out to log in from the desk. The other
  // pensions agents are paused, so the pensions caller must reach op101.
  t.equal((await b.api('op101', 'POST', '/api/agents/op101/logout')).status, 200)
  for (const id of ['op201', 'op202']) t.equal((await b.api('supervisor', 'POST', `/api/agents/${id}/pause`, { reason: 'meeting' })).status, 200, `${id} paused`)

  const { page, errors } = await b.open('/desk', 'op101')
  const state = page.getByTestId('agent-state')
  await page.getByText('logged out', { exact: true }).waitFor()
  t.equal(await page.getByLabel('Endpoint').inputValue(), 'PJSIP/op101', 'the endpoint defaults to the agent id')
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await page.locator('[data-testid=agent-state][data-state=ready]').waitFor()
  t.equal(await state.textContent(), 'ready')
  t.match(await page.getByTestId('softphone-state').textContent(), /not configured/, 'no SIP server on the simulator: the softphone says so')

  const call = sim.placeCall({
    from: '+393331110077',
    to: '803164',
    script: [
      heard('choose_language'), { dtmf: '1' },
      heard('main_menu'), { wait: 200 }, { dtmf: '1' },
      heard('pensions_menu'), { wait: 200 }, { dtmf: '1' },
      heard('enter_request_number'), { wait: 500 }, { dtmf: '12345678#', gapMs: 150 },
      heard('after_service_menu'), { dtmf: '1' },
      heard('main_menu'), { wait: 200 }, { dtmf: '1' },
      heard('pensions_menu'), { wait: 200 }, { dtmf: '2' },
      { waitFor: 'bridged', timeoutMs: 60_000 }, { wait: 120_000 },
    ],
  })
  t.teardown(() => call.hangup())
  const connected = await b.h.waitEvent(call.channelId, 'queue.connected', undefined, 60_000)
  t.match(connected, { section: 'pensions', agentId: 'op101' })

  const trail = page.getByTestId('call-trail')
  await trail.waitFor({ timeout: 10_000 })
  await page.locator('[data-testid=agent-state][data-state=on_call]').waitFor()
  t.equal(await state.textContent(), 'busy')
  t.equal(await page.getByTestId('call-section').textContent(), 'pensions')
  const caller = (await page.getByTestId('call-caller').textContent()) ?? ''
  t.notMatch(caller, /3331110077/, 'the caller number is masked')
  t.match(caller, /077$/)
  const nodes = await trail.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))
  t.ok(nodes.includes('pensions.request_number') && nodes.includes('pensions.queue'), `the menus the caller went through: ${nodes.join(', ')}`)
  t.match(await trail.textContent(), /pensions › request number/, 'readable node names')
  t.match(await page.getByTestId('call-given').textContent(), /request number\s*12345678/, 'what the caller typed, for the operator on the call')
  t.equal(await page.getByLabel('Citizen reference (fiscal code, request number)').first().inputValue(), '12345678', 'the ticket form is prefilled with it')
  await b.shot(page, 'desk')

  await page.getByLabel('Transfer to section').selectOption('contributions')
  await page.getByLabel('Transfer mode').selectOption('blind')
  await page.getByTestId('transfer').click()
  await page.getByTestId('no-call').waitFor({ timeout: 10_000 })
  await page.locator('[data-testid=agent-state]:is([data-state=wrap_up], [data-state=ready])').waitFor()
  const queued = await b.h.waitEvent(call.channelId, 'queue.entered', (e) => e.section === 'contributions')
  t.ok(queued, 'the caller queued in contributions')
  t.match((await b.h.eventsOf(call.channelId)).find((e) => e.type === 'call.transferred'), { target: 'contributions', kind: 'section', by: 'op101' })

  // The ticket after the call: still prefilled from it.
  const form = page.getByTestId('ticket-form')
  t.equal(await form.getByLabel('Section').inputValue(), 'pensions')
  await form.getByLabel('Subject').fill('Pension payment not received')
  await form.getByRole('button', { name: 'Open ticket' }).click()
  const result = page.getByTestId('ticket-result')
  await page.getByText(/^Ticket \S+ opened$/).waitFor()
  const id = /^Ticket (\S+) opened$/.exec((await result.textContent()) ?? '')?.[1]
  const found = await b.api<{ subject: string; section: string; citizen: { reference?: string }; callId?: string; createdBy: string }>('op101', 'GET', `/api/escalations/${id}`)
  t.equal(found.status, 200)
  t.match(found.body, { subject: 'Pension payment not received', section: 'pensions', citizen: { reference: '12345678' }, callId: call.channelId, createdBy: 'op101' })
  await b.shot(page, 'desk-ticket')
  t.same(errors, [], 'no script errors')
})

t.test('softphone with a SIP server that cannot be reached: registration fails with the reason, the page keeps working; an appointment from the form', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())
  const { page, context, errors } = await b.open('/desk', 'op102')
  // The settings as a configured engine would serve them, pointing at a port where nothing listens.
  await context.route('**/api/desk', async (route) => {
    const res = await route.fetch()
    const body = (await res.json()) as Record<string, unknown>
    await route.fulfill({ response: res, json: { ...body, softphone: { configured: true, wsUrl: 'ws://127.0.0.1:9/ws', domain: 'pbx.example.it', user: 'op102' } } })
  })
  await page.reload()
  await page.getByTestId('softphone-state').filter({ hasText: 'unregistered' }).waitFor()
  t.match(await page.getByTestId('softphone').textContent(), /sip:op102@pbx\.example\.it via ws:\/\/127\.0\.0\.1:9\/ws/)
  await page.getByLabel('SIP password').fill('secret')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await page.getByTestId('softphone-state').filter({ hasText: /^failed: / }).waitFor({ timeout: 15_000 })
  t.match(await page.getByTestId('softphone-state').textContent(), /failed: .*127\.0\.0\.1:9/, 'the reason names the server')
  t.equal(await page.getByTestId('agent-state').textContent(), 'ready', 'the desk still shows the agent')

  const form = page.getByTestId('appointment-form')
  await form.getByLabel('Starts at').fill('2030-01-15T10:30')
  await form.getByLabel('Office').fill('Roma Eur')
  await form.getByLabel('Section').selectOption('contributions')
  await form.getByLabel('Citizen reference (fiscal code, request number)').fill('RSSMRA80A01H501U')
  await form.getByRole('button', { name: 'Book appointment' }).click()
  await page.getByText(/^Appointment \S+ booked$/).waitFor()
  const id = /^Appointment (\S+) booked$/.exec((await page.getByTestId('appointment-result').textContent()) ?? '')?.[1]
  const found = await b.api<{ kind: string; office: string; section: string; durationMin: number; citizen: { reference: string }; startsAt: string }>('op102', 'GET', `/api/escalations/${id}`)
  t.equal(found.status, 200)
  t.match(found.body, { kind: 'appointment', office: 'Roma Eur', section: 'contributions', durationMin: 30, citizen: { reference: 'RSSMRA80A01H501U' } })
  t.equal(Date.parse(found.body.startsAt), new Date('2030-01-15T10:30').getTime(), "the browser's local time, sent with its offset")
  t.same(
    errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e)),
    [],
    'no script errors besides the refused WebSocket',
  )
})
