/**
 * A viewer cannot change anything: on every page a viewer may open there is no enabled control
 * that changes state (no upload, start, pause, roll back...), the operator desk says a viewer
 * cannot use it, and the API answers 403 to the viewer for a change in each area (flows upload,
 * campaign start, agent pause, escalation create) while the same request made by a role that
 * may make it succeeds, so the 403 is the role's and not a broken request.
 */
import t from 'tap'
import type { Page } from 'playwright-core'
import { noBrowser, startBrowserHarness } from './harness.js'

/** Words of the controls that change something (buttons, links styled as buttons). */
const CHANGES = /upload|start|pause|resume|stop|roll ?back|activate|publish|create|new campaign|delete|remove|save|apply|ready|log ?in|transfer|hang ?up|wrap|edit|import|submit|cancel/i

interface Control {
  tag: string
  type: string
  text: string
  action: string | null
}

/** The enabled, visible controls of the page's main part (the header's logout is not in it). */
async function enabledControls(page: Page): Promise<Control[]> {
  return page.locator('main').evaluate((main) =>
    Array.from(main.querySelectorAll<HTMLElement>('button, input, select, textarea, [contenteditable="true"], [role="button"]'))
      .filter((el) => !(el as HTMLButtonElement).disabled && !(el as HTMLTextAreaElement).readOnly && el.getClientRects().length > 0)
      .map((el) => ({
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute('type') ?? '',
        text: (el.textContent ?? el.getAttribute('aria-label') ?? el.getAttribute('name') ?? '').trim(),
        action: el.getAttribute('data-action'),
      })),
  )
}

/** Controls that would change something: file inputs, editable text, submit buttons, buttons named for a change. */
function changing(controls: Control[]): Control[] {
  return controls.filter(
    (c) =>
      (c.tag === 'input' && ['file', 'submit'].includes(c.type)) ||
      c.tag === 'textarea' ||
      c.tag === '[contenteditable]' ||
      (c.tag === 'button' && c.type === 'submit') ||
      c.action !== null ||
      CHANGES.test(c.text),
  )
}

t.test('a viewer cannot change anything', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())

  // Something to look at: a draft campaign (a campaign manager would be offered to upload and start it).
  const created = await b.api<{ id: string; status: string }>('campaigns', 'POST', '/api/campaigns', { id: 'informativa', name: 'Informativa', mode: 'progressive', section: 'operators', callerId: '+390659051', trunk: 'PJSIP/{number}@trunk' })
  t.equal(created.status, 201, 'a campaign manager created a campaign')
  const login = await fetch(`${b.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'campaigns', password: 'demo' }) })
  const { token } = (await login.json()) as { token: string }
  const csv = ['numero;nome;consenso', '333 100 2001;Anna;si', '3331002002;Carla;si', ''].join('\n')
  const upload = await fetch(`${b.url}/api/campaigns/informativa/contacts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv })
  t.equal(upload.status, 200, 'and uploaded its contacts')

  // And a second version of the national flow (a supervisor would be offered to roll back to the first).
  const first = await b.api<{ version: string; source: string }>('supervisor', 'GET', '/api/flows/national')
  t.equal((await b.api('supervisor', 'PUT', '/api/flows/national', { source: `${first.body.source}\n# a second version\n` })).status, 200, 'a supervisor uploaded a second version of a flow')

  const { page, errors } = await b.open('/wallboard', 'viewer')
  t.equal(await page.getByTestId('who').textContent(), 'viewer · viewer')

  await t.test('the wallboard shows figures and has no controls at all', async (t) => {
    await page.getByTestId('waiting-operators').waitFor()
    await page.getByTestId('conn').getByText('live').waitFor()
    await page.getByTestId('offered-operators').getByText('0').waitFor()
    t.same(await enabledControls(page), [], 'nothing to press on the wallboard')
  })

  await t.test('the flows page: no upload, validate-and-save or roll back', async (t) => {
    await page.getByRole('link', { name: 'Flows' }).click()
    await page.locator('main[data-page="flows"]').waitFor()
    await page.getByTestId('current-version').waitFor()
    await page.getByTestId('tree').getByText('welcome').first().waitFor()
    t.equal(await page.getByTestId('versions').getByRole('row').count(), 3, 'the two versions are listed (and their header)')
    t.equal(await page.getByTestId('rollback').count(), 0, 'no "Roll back"')
    t.equal(await page.getByTestId('upload').count(), 0, 'no "Upload"')
    t.equal(await page.getByTestId('editor').count(), 0, 'no editor')
    t.same(changing(await enabledControls(page)), [], 'no enabled control that changes a flow')
  })

  await t.test('the campaigns page: the list and the campaign, no upload or start', async (t) => {
    await page.goto(`${b.url}/campaigns#informativa`)
    await page.getByTestId('detail').waitFor()
    await page.getByTestId('status').getByText('draft').waitFor()
    t.equal(await page.getByTestId('new-campaign').count(), 0, 'no "New campaign" button')
    t.equal(await page.getByTestId('upload-form').count(), 0, 'no contact list upload')
    t.equal(await page.locator('main [data-action]').count(), 0, 'no start / pause / resume / stop')
    t.same(changing(await enabledControls(page)), [], 'no enabled control that changes a campaign')
    await b.shot(page, 'viewer-campaigns')
  })

  await t.test('the operator desk says a viewer cannot use it', async (t) => {
    await page.goto(`${b.url}/desk`)
    t.equal(await page.getByTestId('forbidden').textContent(), 'A viewer cannot use the operator desk page.')
    t.same(await enabledControls(page), [], 'and offers nothing to press')
  })

  t.same(
    errors.filter((e) => !e.startsWith('Failed to load resource')),
    [],
    'no script errors',
  )

  await t.test('the API refuses the viewer each change, and takes it from a role that may', async (t) => {
    // Flows: upload the running text again.
    const flow = await b.api<{ version: string; source: string }>('viewer', 'GET', '/api/flows/national')
    t.equal(flow.status, 200, 'a viewer reads a flow')
    const upload = await b.api<{ error: { code: string } }>('viewer', 'PUT', '/api/flows/national', { source: flow.body.source })
    t.equal(upload.status, 403, 'flows upload: 403')
    t.equal(upload.body.error.code, 'FORBIDDEN')
    t.equal((await b.api<{ version: string }>('viewer', 'GET', '/api/flows/national')).body.version, flow.body.version, 'the flow is unchanged')
    t.equal((await b.api('supervisor', 'PUT', '/api/flows/national', { source: flow.body.source })).status, 200, 'a supervisor may upload it')

    // Campaigns: start.
    const start = await b.api<{ error: { code: string } }>('viewer', 'POST', '/api/campaigns/informativa/start')
    t.equal(start.status, 403, 'campaign start: 403')
    t.equal(start.body.error.code, 'FORBIDDEN')
    t.equal((await b.api<{ status: string }>('viewer', 'GET', '/api/campaigns/informativa')).body.status, 'draft', 'the campaign is still a draft')

    // Agents: pause.
    const pause = await b.api<{ error: { code: string } }>('viewer', 'POST', '/api/agents/op101/pause', { reason: 'x' })
    t.equal(pause.status, 403, 'agent pause: 403')
    t.equal(pause.body.error.code, 'FORBIDDEN')
    t.equal((await b.api<{ state: string }>('viewer', 'GET', '/api/agents/op101')).body.state, 'ready', 'the agent is still ready')
    t.equal((await b.api('supervisor', 'POST', '/api/agents/op101/pause', { reason: 'x' })).status, 200, 'a supervisor may pause it')

    // Escalations: a ticket.
    const ticket = { section: 'pensions', subject: 'viewer test', citizen: { reference: 'r-1' } }
    const create = await b.api<{ error: { code: string } }>('viewer', 'POST', '/api/escalations/tickets', ticket)
    t.equal(create.status, 403, 'escalation create: 403')
    t.equal(create.body.error.code, 'FORBIDDEN')
    const created = await b.api<{ id: string }>('supervisor', 'POST', '/api/escalations/tickets', ticket)
    t.equal(created.status, 201, 'a supervisor may open it')
    const list = await b.api<unknown>('viewer', 'GET', '/api/escalations')
    t.equal(list.status, 200, 'a viewer reads the escalations')
    t.equal(JSON.stringify(list.body).split('viewer test').length - 1, 1, 'only the supervisor’s ticket exists')

    // Last, as it starts dialing: the campaign manager may start the campaign.
    t.equal((await b.api('campaigns', 'POST', '/api/campaigns/informativa/start')).status, 200, 'a campaign manager may start it')
  })
})
