/**
 * The web pages' serving: a shell per page with a strict content security policy, the page
 * scripts bundled by esbuild from src/web (or read prebuilt from a directory), a clear error when
 * the bundle fails (and a retry on the next request), 404 in the API's shape for unknown assets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import t from 'tap'
import { installAuth, tokenAuthenticator } from '../../src/http/auth.js'
import { installErrorHandling } from '../../src/http/errors.js'
import { bundleWeb, loadWebAssets, WEB_PAGES, webRoutes, type WebAssets } from '../../src/http/web.js'

async function server(assets?: () => Promise<WebAssets>) {
  const app = Fastify()
  installErrorHandling(app)
  installAuth(app, { authenticator: tokenAuthenticator({}) })
  await app.register(webRoutes, assets ? { assets } : {})
  await app.ready()
  return app
}

t.test('every page is a shell loading its own bundle, with a strict CSP and no credentials needed', async (t) => {
  const app = await server(async () => new Map())
  t.teardown(() => app.close())
  for (const p of WEB_PAGES) {
    const r = await app.inject({ url: p.path })
    t.equal(r.statusCode, 200, p.path)
    t.match(r.headers['content-type'], /text\/html/)
    t.match(r.headers['content-security-policy'], /script-src 'self'/)
    t.match(r.body, `<script type="module" src="/assets/${p.id}.js"></script>`)
    t.match(r.body, `<body data-page="${p.id}">`)
  }
  t.equal((await app.inject({ url: '/favicon.ico' })).statusCode, 204)
})

t.test('the real pages bundle: one script per page, shared code inlined, no import left to fetch', async (t) => {
  const files = await bundleWeb()
  t.same([...files.keys()].sort(), WEB_PAGES.map((p) => `${p.id}.js`).sort())
  for (const [name, text] of files) {
    t.ok(text.length > 500, `${name} has code`)
    t.notMatch(text, /\bimport\s*["'{*]|from\s*["']\.\.?\//, `${name}: no module left unbundled`)
  }
  const app = await server()
  t.teardown(() => app.close())
  const js = await app.inject({ url: '/assets/home.js' })
  t.equal(js.statusCode, 200)
  t.match(js.headers['content-type'], /javascript/)
  t.equal(js.body, files.get('home.js'))
  const css = await app.inject({ url: '/assets/app.css' })
  t.match(css.headers['content-type'], /text\/css/)
  t.match(css.body, /header\.top/)
  const missing = await app.inject({ url: '/assets/nope.js' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'NOT_FOUND')
})

t.test('prebuilt bundles in the directory are served as they are', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-web-'))
  writeFileSync(path.join(dir, 'app.css'), 'body{}')
  for (const p of WEB_PAGES) writeFileSync(path.join(dir, `${p.id}.js`), `/* prebuilt ${p.id} */`)
  const assets = await loadWebAssets(dir)
  t.equal(assets.get('desk.js')?.body, '/* prebuilt desk */')
  t.equal(assets.get('app.css')?.body, 'body{}')
})

t.test('a bundle that fails is a clear 500, and is tried again on the next request', async (t) => {
  let calls = 0
  const app = await server(async () => {
    calls++
    if (calls === 1) throw new Error('Could not resolve "./missing.js"')
    return new Map([['home.js', { body: 'ok()', type: 'text/javascript' }]])
  })
  t.teardown(() => app.close())
  const bad = await app.inject({ url: '/assets/home.js' })
  t.equal(bad.statusCode, 500)
  t.match(bad.json().error.message, /web pages could not be bundled: Could not resolve/)
  const good = await app.inject({ url: '/assets/home.js' })
  t.equal(good.statusCode, 200)
  t.equal(good.body, 'ok()')
  t.equal(calls, 2)
})
