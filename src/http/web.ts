/**
 * The web pages the engine serves (wallboard, flows, campaigns, operator desk): one HTML shell
 * per page and its script, bundled by esbuild from src/web (browser TypeScript, no CDN).
 *
 * Where the scripts come from: `npm run build` bundles them into dist/web (beside the compiled
 * server, so a built image serves files); run from the sources (tsx: the demo, the tests) the
 * pages are bundled in memory on first request. Either way the directory is `../web/` from
 * this module. The pages themselves carry no data: every figure comes from the API, with the
 * bearer token the page got from POST /api/login, so the pages and their assets are public.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../domain/errors.js'

export interface WebPage {
  id: string
  title: string
  /** URL path of the page. */
  path: string
}

/** The pages, in the order of the navigation bar (the client's nav mirrors this list). */
export const WEB_PAGES: readonly WebPage[] = [
  { id: 'home', title: 'centralino', path: '/' },
  { id: 'wallboard', title: 'Wallboard', path: '/wallboard' },
  { id: 'flows', title: 'Flows', path: '/flows' },
  { id: 'campaigns', title: 'Campaigns', path: '/campaigns' },
  { id: 'desk', title: 'Operator desk', path: '/desk' },
]

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url))

/** The page scripts and the style sheet, by file name (`wallboard.js`, `app.css`). */
export type WebAssets = Map<string, { body: string; type: string }>

/** Bundles every page of `dir/pages` (or reads the prebuilt bundles of `dir`). */
export async function loadWebAssets(dir = WEB_DIR): Promise<WebAssets> {
  const out: WebAssets = new Map()
  const css = await readFile(path.join(dir, 'app.css'), 'utf8')
  out.set('app.css', { body: css, type: 'text/css; charset=utf-8' })
  const prebuilt = WEB_PAGES.every((p) => existsSync(path.join(dir, `${p.id}.js`)))
  if (prebuilt) {
    for (const p of WEB_PAGES) out.set(`${p.id}.js`, { body: await readFile(path.join(dir, `${p.id}.js`), 'utf8'), type: 'text/javascript; charset=utf-8' })
    return out
  }
  for (const [name, body] of await bundleWeb(dir)) out.set(name, { body, type: 'text/javascript; charset=utf-8' })
  return out
}

/** esbuild: one ES module per page from `dir/pages/<id>.ts`, shared code inlined. */
export async function bundleWeb(dir = WEB_DIR): Promise<Map<string, string>> {
  const { build } = await import('esbuild')
  const r = await build({
    entryPoints: Object.fromEntries(WEB_PAGES.map((p) => [p.id, path.join(dir, 'pages', `${p.id}.ts`)])),
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outdir: '/web',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  })
  return new Map(r.outputFiles.map((f) => [path.basename(f.path), f.text]))
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function pageHtml(p: WebPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${p.id}.js"></script>
</head>
<body data-page="${p.id}"><noscript>This page needs JavaScript.</noscript><div id="app"></div></body>
</html>
`
}

// Same-origin scripts and API; the softphone's WebSocket goes to Asterisk (ws:/wss: anywhere).
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; media-src 'self' blob: mediastream:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

export const webRoutes: FastifyPluginAsync<{ assets?: () => Promise<WebAssets> }> = async (app, opts) => {
  let assets: Promise<WebAssets> | undefined
  const load = () => {
    assets ??= (opts.assets ?? loadWebAssets)()
    // A failed bundle is retried on the next request rather than cached.
    assets.catch(() => (assets = undefined))
    return assets
  }
  const hide = { hide: true }
  for (const p of WEB_PAGES) {
    app.get(p.path, { config: { roles: 'public' }, schema: hide }, async (_req, reply) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-cache').send(pageHtml(p)),
    )
  }
  // Browsers ask for it on every page: nothing to show, and no 404 in their console.
  app.get('/favicon.ico', { config: { roles: 'public' }, schema: hide }, async (_req, reply) => reply.code(204).send())
  app.get<{ Params: { file: string } }>('/assets/:file', { config: { roles: 'public' }, schema: hide }, async (req, reply) => {
    let all: WebAssets
    try {
      all = await load()
    } catch (err) {
      throw new AppError('INTERNAL', `web pages could not be bundled: ${(err as Error).message}`)
    }
    const a = all.get(req.params.file)
    if (!a) throw new AppError('NOT_FOUND', `no asset ${req.params.file}`)
    return reply.header('content-type', a.type).header('cache-control', 'no-cache').send(a.body)
  })
}
