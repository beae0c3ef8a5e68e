/**
 * The pages' frame in a real browser: the page shell and its bundle are served, the login form
 * logs in with the demo password and shows the pages of the role, a wrong password is
 * refused with a message, logout returns to the form.
 */
import t from 'tap'
import { noBrowser, startBrowserHarness } from './harness.js'

t.test('login, the pages of the role, logout', { skip: noBrowser }, async (t) => {
  const b = await startBrowserHarness()
  t.teardown(() => b.close())

  const { page, errors } = await b.open('/')
  await page.getByLabel('User').fill('supervisor')
  await page.getByLabel('Password').fill('wrong')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByText('Wrong user or password.').waitFor()

  await page.getByLabel('Password').fill('demo')
  await page.getByRole('button', { name: 'Log in' }).click()
  t.equal(await page.getByTestId('who').textContent(), 'supervisor · supervisor')
  const links = await page.getByTestId('pages').getByRole('link').allTextContents()
  t.same(links, ['Wallboard', 'Flows', 'Campaigns'], 'a supervisor is offered the wallboard, flows and campaigns, not the operator desk')
  await b.shot(page, 'home')

  await page.getByTestId('logout').click()
  await page.getByTestId('login').waitFor()
  t.same(errors.filter((e) => !e.includes('401')), [], 'no script errors (the refused login is a 401 by design)')

  const op = await b.open('/', 'op101')
  t.same(await op.page.getByTestId('pages').getByRole('link').allTextContents(), ['Wallboard', 'Operator desk'])
})
