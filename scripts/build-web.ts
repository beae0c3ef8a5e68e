/**
 * `npm run build` step: bundles the web pages (src/web) into dist/web with the style sheet, so
 * a built engine serves files instead of bundling at its first request.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { bundleWeb } from '../src/http/web.js'

const out = new URL('../dist/web/', import.meta.url)
mkdirSync(out, { recursive: true })
const files = await bundleWeb(new URL('../src/web/', import.meta.url).pathname)
for (const [name, text] of files) writeFileSync(new URL(name, out), text)
copyFileSync(new URL('../src/web/app.css', import.meta.url), new URL('app.css', out))
console.log(`web pages bundled into dist/web: ${[...files.keys()].join(', ')}`)
