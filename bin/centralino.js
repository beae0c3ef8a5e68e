#!/usr/bin/env node
// The `centralino` command: the built CLI (dist/, after `npm run build`) when present,
// otherwise the TypeScript sources through tsx (a development checkout).
import { existsSync } from 'node:fs'

const built = new URL('../dist/cli/main.js', import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(new URL('../src/cli/main.ts', import.meta.url).href)
}
