/**
 * The campaigns page in a real browser, on the engine with its dialer and the simulator: a
 * campaign manager creates a campaign from a YAML definition (an invalid one first: its errors
 * with their paths and lines), uploads a CSV with good and bad rows through the file input and
 * sees the counts and the rejected rows (line, reason, the number masked), starts it and sees
 * the dialer's figures come in, pauses it and exports the results; a viewer sees the list and
 * the progress without any control that changes something.
 */
import t from 'tap'
import { noBrowser, startBrowserHarness } from './harness.js'

const ALL_DAY = "['00:00-24:00']"
const DEFINITION = `# made in the browser test
id: page-test
name: Page test
mode: progressive
section: contributions
callerId: '+390659051'
trunk: PJSIP/{number}@trunk
windows:
  days: { mon: ${ALL_DAY}, tue: ${ALL_DAY}, wed: ${ALL_DAY}, thu: ${ALL_DAY}, fri: ${ALL_DAY}, sat: ${ALL_DAY}, sun: ${ALL_DAY} }
  holidays: none
ringSeconds: 20
maxChannels: 4
`

const CSV = [
  'numero;nome;consenso;comune',
  '333 100 2001;Anna;si;Roma', // 2 accepted
  'not a number;Bruno;si;Milano', // 3 invalid number
  '3331002002;Carla;si;Napoli', // 4 accepted
  '+39 333 100 2001;Anna bis;si;Roma', // 5 duplicate of line 2
  '3331002003;Dario;forse;Torino', // 6 invalid consent
  '3331002004;Elena;no;Bari', // 7 consent refused
  '12345;Franco;si;Pisa', // 8 invalid number (short)
  '3331002005;Gino;si;Lecce', // 9 accepted
  '+44 20 7946 0958;Hugh;si;London', // 10 foreign number (refused by default)
  '',
].join('\n')

t.test('a campaign manager creates, uploads, starts, pauses and exports; a viewer only reads', { skip: noBrowser }, async (t) => {
  // The engine clock at 2x (at the harness's 10x, ARI round trips alone outlast the 2 s grace
  // before an abandon); the simulated phones: agents answer at once, Gino's line is busy, the
  // others answer and hang up after a while.
  const b = await startBrowserHarness({
    factor: 2,
    phones: (endpoint) => (/^PJSIP\/op\d+$/.test(endpoint) ? { answerAfterMs: 50 } : endpoint.includes('3331002005') ? { busy: true } : { answerAfterMs: 150, hangupAfterMs: 1500 }),
  })
  t.teardown(() => b.close())
  const { page, errors } = await b.open('/campaigns', 'campaigns')
  await page.getByText('No campaigns yet: create one.').waitFor()

  // An invalid definition: every error with its path and line, nothing created.
  await page.getByTestId('new-campaign').click()
  const definition = page.getByTestId('definition')
  t.match(await definition.inputValue(), /mode: progressive/, 'the form starts from an example definition')
  await definition.fill(DEFINITION.replace('ringSeconds: 20', 'ringSeconds: 5').replace('mode: progressive', 'mode: robocall'))
  await page.getByRole('button', { name: 'Create campaign' }).click()
  const errs = page.getByTestId('create-errors').locator('li')
  await errs.first().waitFor()
  const errorTexts = await errs.allTextContents()
  t.ok(
    errorTexts.some((e) => e.startsWith('/mode line 4')),
    `the mode error with its path and line (${errorTexts.join(' | ')})`,
  )
  t.ok(
    errorTexts.some((e) => e.startsWith('/ringSeconds line 11')),
    'the ringSeconds error with its path and line',
  )
  t.equal((await b.api<unknown[]>('campaigns', 'GET', '/api/campaigns')).body.length, 0, 'nothing created')

  await definition.fill(DEFINITION)
  await page.getByRole('button', { name: 'Create campaign' }).click()
  await page.getByTestId('detail').getByTestId('status').filter({ hasText: 'draft' }).waitFor()
  t.equal(await page.getByTestId('status-page-test').textContent(), 'draft', 'listed as a draft')
  t.match(page.url(), /#page-test$/, 'selected: its id in the hash')

  // Nothing to call yet: the start is refused with the API's reason.
  await page.getByTestId('actions').getByRole('button', { name: 'Start' }).click()
  await page.getByTestId('detail-status').filter({ hasText: 'Start refused' }).waitFor()
  t.match(await page.getByTestId('detail-status').textContent(), /no contacts: upload a list before starting it/)
  t.equal(await page.getByTestId('detail').getByTestId('status').textContent(), 'draft', 'still a draft')

  // Upload through the file input.
  await page.getByTestId('contacts-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  await page.getByRole('button', { name: 'Upload' }).click()
  const report = page.getByTestId('upload-report')
  await report.waitFor()
  t.equal(await report.getByTestId('rows').textContent(), '9')
  t.equal(await report.getByTestId('accepted').textContent(), '3')
  t.equal(await report.getByTestId('duplicates').textContent(), '1')
  t.equal(await report.getByTestId('rejected').textContent(), '5')
  const rows = await page
    .getByTestId('rejected-rows')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')))
  t.same(
    rows.map((r) => r[0]),
    ['3', '6', '7', '8', '10'],
    'the rejected rows by line',
  )
  t.match(rows[0]![1], /^invalid number/)
  t.match(rows[1]![1], /^invalid consent/)
  t.equal(rows[2]![1], 'consent refused')
  t.match(rows[3]![1], /^invalid number/)
  t.match(rows[4]![1], /^invalid number: foreign/)
  t.equal(rows[4]![2], '+*********958', 'the number masked, its last digits kept')
  t.notMatch(rows.flat().join(' '), /7946/, 'no rejected number in clear')
  await page.getByTestId('progress').getByTestId('contacts').filter({ hasText: '3' }).waitFor()
  await b.shot(page, 'campaigns-upload')

  // Start: the status changes, the dialer's figures come in (the page reads them again every few seconds).
  await page.getByTestId('actions').getByRole('button', { name: 'Start' }).click()
  await page.getByTestId('detail').getByTestId('status').filter({ hasText: 'running' }).waitFor()
  await page.getByTestId('status-page-test').filter({ hasText: 'running' }).waitFor()
  t.equal(await page.getByTestId('upload-note').textContent(), 'Pause the campaign to upload another list.')
  t.ok(await page.getByTestId('contacts-file').isDisabled(), 'no upload while running')
  t.not(await page.getByTestId('started').textContent(), '–', 'the start date is shown')
  t.match(await page.getByTestId('window').textContent(), /^open until/, 'the all-day window is open')
  // Every contact called once: Anna and Carla reached (put through to an agent), Gino busy.
  await page.waitForFunction(() => document.querySelector('[data-testid=attempts]')?.textContent === '3' && document.querySelector('[data-testid=reached]')?.textContent === '2', undefined, { timeout: 60_000 })
  t.equal(await page.getByTestId('busy').textContent(), '1')
  t.equal(await page.getByTestId('put-through').textContent(), '2')
  t.equal(await page.getByTestId('abandon-rate').textContent(), '0.0%', 'nobody abandoned')
  await page.getByTestId('chart-attempts').locator('svg rect[data-series]').first().waitFor()
  await page.getByTestId('chart-hours').locator('svg rect[data-series="attempts"]').first().waitFor()
  t.not(await page.getByTestId('last-activity').textContent(), '–', 'the hour of the last attempts')
  t.match((await b.api('campaigns', 'GET', '/api/campaigns/page-test/progress')).body, { attempts: 3, reached: 2, byOutcome: { reached: 2, busy: 1 } }, 'the page shows what the API says')
  await b.shot(page, 'campaigns-progress')

  // Pause: the status changes, uploads are open again.
  await page.getByTestId('actions').getByRole('button', { name: 'Pause' }).click()
  await page.getByTestId('detail').getByTestId('status').filter({ hasText: 'paused' }).waitFor()
  t.same(await page.getByTestId('actions').locator('button[data-action]').allTextContents(), ['Resume', 'Stop'], 'a paused campaign may be resumed or stopped')
  t.notOk(await page.getByTestId('contacts-file').isDisabled(), 'a paused campaign takes another list')

  // Export: a CSV download with the bearer header.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()])
  t.equal(download.suggestedFilename(), 'page-test-results.csv')
  const chunks: Buffer[] = []
  for await (const c of (await download.createReadStream()) as AsyncIterable<Buffer>) chunks.push(c)
  const csv = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).filter(Boolean)
  t.match(csv[0], /^number,name,consent,status,attempts/)
  t.equal(csv.length, 1 + 3, 'a row per contact')

  t.same(
    errors.filter((e) => !/status of (400|409)/.test(e)),
    [],
    'no script errors (the invalid definition and the early start are refused by design)',
  )

  // A viewer: the list and the progress, no control that changes anything.
  const v = await b.open('/campaigns#page-test', 'viewer')
  await v.page.getByTestId('progress').waitFor()
  t.equal(await v.page.getByTestId('status-page-test').textContent(), 'paused')
  t.equal(await v.page.getByTestId('new-campaign').count(), 0, 'no new campaign button')
  t.equal(await v.page.getByTestId('upload-form').count(), 0, 'no upload')
  t.equal(await v.page.locator('button[data-action]').count(), 0, 'no status changes')
  t.equal(await v.page.getByTestId('export').count(), 1, 'the export is reading: offered')
  t.same(v.errors, [])
})
