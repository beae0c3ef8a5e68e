/**
 * The flows page in a real browser against the engine on the simulator: a supervisor sees the
 * national flow's tree, validates a text with an option pointing to a missing node (the error
 * listed with its line and the node marked on the tree), uploads a valid change (a new version
 * current, the tree redrawn) and rolls back; a viewer sees the tree and the versions without
 * controls. Screenshots flows and flows-errors.
 */
import t from 'tap'
import { noBrowser, startBrowserHarness } from './harness.js'

interface Versions {
  version: string
  current: boolean
}

t.test('flows page: tree, validation errors marked, upload, rollback; a viewer without controls', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())
  const v1 = b.h.engine.flows.current('national')!

  const { page, errors } = await b.open('/flows', 'supervisor')
  const tree = page.getByTestId('tree')
  await tree.locator('[data-node="welcome"]').waitFor()
  t.equal(await page.getByTestId('current-version').textContent(), v1.version)
  t.match(await tree.locator('[data-node="main"]').textContent(), /menu\s*main.*main_menu/)
  t.ok(await tree.getByText('↩ back to main').count(), 'the 9 -> main loop is a link back, not a recursion')
  t.equal(await tree.locator('[data-node="pensions.payments"]').count(), 1, 'each node drawn once')
  t.equal(await page.getByTestId('rollback').count(), 0, 'one version: nothing to roll back to')

  // An option pointing to a missing node: listed with its line, the node marked on the tree.
  const editor = page.getByTestId('editor')
  const source = await editor.inputValue()
  t.equal(source, v1.source.text)
  const lineOf = (s: string) => source.split('\n').findIndex((l) => l.includes(s)) + 1
  await editor.fill(source.replace("'2': goodbye", "'2': farewell"))
  await page.getByTestId('validate').click()
  const err = page.getByTestId('errors').locator('li.error')
  await err.first().waitFor()
  t.equal(await err.count(), 1)
  t.match(await err.first().textContent(), new RegExp(`^${lineOf("'2': goodbye")}:\\d+ nodes\\.pensions\\.after\\.options\\.2: unknown node 'farewell'`))
  t.same(await tree.locator('.node.error').evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))), ['pensions.after'], 'the node is marked')
  t.match(await page.getByTestId('status').textContent(), /1 error/)
  await b.shot(page, 'flows-errors')

  // Upload refused the same way; nothing changes.
  await page.getByTestId('upload').click()
  await page.getByText(/Upload refused/).waitFor()
  t.equal(b.h.engine.flows.current('national'), v1, 'the running version stays')

  // A valid change: a new version current, the tree and versions redrawn.
  await editor.fill(source.replace('prompts: [welcome]', 'prompts: [welcome, please_wait]'))
  await page.getByTestId('validate').click()
  await page.getByText(/Valid: it would become version/).waitFor()
  t.equal(await tree.locator('.node.error').count(), 0, 'marks cleared')
  await page.getByTestId('upload').click()
  await page.getByText(/Uploaded: version/).waitFor()
  const v2 = b.h.engine.flows.current('national')!
  t.not(v2.version, v1.version, 'the engine serves the new version')
  t.equal(await page.getByTestId('current-version').textContent(), v2.version)
  t.match(await tree.locator('[data-node="welcome"]').textContent(), /welcome, please_wait/)
  const rows = page.getByTestId('versions').locator('tbody tr')
  t.equal(await rows.count(), 2)
  t.equal(await rows.first().getAttribute('data-version'), v2.version)
  t.match(await rows.first().textContent(), /current.*supervisor \(upload\)/)
  await b.shot(page, 'flows')

  // Roll back to the first version.
  await page.getByTestId('rollback').click()
  await page.getByText(/Rolled back: version/).waitFor()
  t.equal(b.h.engine.flows.current('national'), v1)
  t.equal(await page.getByTestId('current-version').textContent(), v1.version)
  t.equal(await editor.inputValue(), v1.source.text)
  const api = await b.api<Versions[]>('supervisor', 'GET', '/api/flows/national/versions')
  t.same(
    api.body.map((v) => [v.version, v.current]),
    [
      [v1.version, true],
      [v2.version, false],
    ],
  )
  t.same(
    errors.filter((e) => !e.includes('status of 400')),
    [],
    'no script errors (the refused upload is a 400 by design)',
  )

  // A viewer: the tree and the versions, no editor, upload, validate or rollback.
  const viewer = await b.open('/flows', 'viewer')
  await viewer.page.getByTestId('tree').locator('[data-node="main"]').waitFor()
  await viewer.page.getByTestId('versions').locator('tbody tr').nth(1).waitFor()
  for (const id of ['editor', 'upload', 'validate', 'rollback']) t.equal(await viewer.page.getByTestId(id).count(), 0, `no ${id} for a viewer`)
  t.match(await viewer.page.getByTestId('source').textContent(), /flow: national/)
  const refused = await b.api('viewer', 'PUT', '/api/flows/national', { source: v1.source.text })
  t.equal(refused.status, 403)
  t.same(viewer.errors, [])
})
