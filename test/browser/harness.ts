/**
 * Browser tests: the engine on the simulator (the integration harness: real HTTP, WebSocket
 * and ARI) and Debian's Chromium driven by playwright-core. Tests skip with a message when
 * /usr/bin/chromium is absent (.ci/run installs it). Screenshots are kept as test artefacts in
 * test-artifacts/screenshots (the README shows copies from docs/screenshots).
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startHarness, type Harness, type HarnessOptions } from '../integration/harness.js'

export const CHROMIUM = process.env.CENTRALINO_CHROMIUM ?? '/usr/bin/chromium'
/** A reason to skip browser tests, or false when Chromium is there. */
export const noBrowser: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`

const ROOT = path.resolve(import.meta.dirname, '../..')
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'screenshots')

export interface BrowserHarness {
  h: Harness
  /** The engine's HTTP base URL. */
  url: string
  browser: Browser
  /** A new browser context (its own sessionStorage) with a page open on `path`, logged in as `user` (password demo) through the login form. */
  open(path: string, user?: string): Promise<{ page: Page; context: BrowserContext; errors: string[] }>
  /** Saves a full-page screenshot as an artefact (name.png). */
  shot(page: Page, name: string): Promise<string>
  /** An API call with a demo user's session (logs in once per user). */
  api<T = unknown>(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  close(): Promise<void>
}

export async function startBrowserHarness(o: HarnessOptions = {}): Promise<BrowserHarness> {
  const { chromium } = await import('playwright-core')
  const h = await startHarness(o)
  const url = h.engine.apiUrl
  let browser: Browser
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    })
  } catch (err) {
    await h.close()
    throw err
  }
  const tokens = new Map<string, string>()
  const contexts: BrowserContext[] = []
  const api: BrowserHarness['api'] = async (user, method, p, body) => {
    let token = tokens.get(user)
    if (!token) {
      const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: 'demo' }) })
      if (!r.ok) throw new Error(`login ${user}: ${r.status}`)
      token = ((await r.json()) as { token: string }).token
      tokens.set(user, token)
    }
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const r = await fetch(`${url}${p}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await r.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      /* not JSON */
    }
    return { status: r.status, body: parsed as never }
  }
  return {
    h,
    url,
    browser,
    api,
    async open(p, user) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
      contexts.push(context)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      await page.goto(`${url}${p}`)
      if (user) {
        await page.getByLabel('User').fill(user)
        await page.getByLabel('Password').fill('demo')
        await page.getByRole('button', { name: 'Log in' }).click()
        await page.getByTestId('who').waitFor()
      }
      return { page, context, errors }
    },
    async shot(page, name) {
      mkdirSync(ARTIFACTS, { recursive: true })
      const file = path.join(ARTIFACTS, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined)
      await browser.close().catch(() => undefined)
      await h.close()
    },
  }
}
