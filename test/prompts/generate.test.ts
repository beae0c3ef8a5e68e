import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { espeakAvailable, generatePrompts } from '../../src/prompts/generate.js'
import { readWavInfo } from '../../src/prompts/wav.js'

const catalogue = { prompts: { welcome: { it: 'Benvenuto nel numero nazionale.', en: 'Welcome to the national number.' }, bye: { it: 'Arrivederci.' } } }

const noEspeak = (await espeakAvailable()) ? false : 'espeak-ng is not installed (apt-get install espeak-ng)'

t.test('generates 8 kHz mono prompts once, again only when the text changes', { skip: noEspeak }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prompts-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const first = await generatePrompts(catalogue, dir)
  t.same(first.generated.sort(), ['en/welcome', 'it/bye', 'it/welcome'])
  t.same(first.failed, [])
  const file = path.join(dir, 'it', 'centralino', 'welcome.wav')
  const info = readWavInfo(readFileSync(file))
  t.match(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16 })
  t.ok(info.durationMs > 800 && info.durationMs < 6000, `plausible length (${info.durationMs} ms)`)
  const mtime = statSync(file).mtimeMs

  const second = await generatePrompts(catalogue, dir)
  t.same(second.generated, [], 'nothing regenerated')
  t.equal(second.unchanged, 3)
  t.equal(statSync(file).mtimeMs, mtime)

  const changed = { prompts: { ...catalogue.prompts, bye: { it: 'Grazie e arrivederci.' } } }
  const third = await generatePrompts(changed, dir)
  t.same(third.generated, ['it/bye'])

  const durations = catalogueDurations(changed, dir)
  t.equal(durations('centralino/welcome', 'it'), info.durationMs, 'simulator durations come from the real files')
})

t.test('durations are estimated from the text when no audio exists; other sounds are not ours', async (t) => {
  const d = catalogueDurations(catalogue, path.join(tmpdir(), 'no-such-dir'))
  const it = d('centralino/welcome', 'it')!
  t.ok(it > 1500 && it < 4000, `estimate ${it} ms`)
  t.ok(d('centralino/bye', 'en')! > 0, 'falls back to another language text')
  t.equal(d('centralino/nope', 'it'), undefined, 'unknown prompt = missing sound')
  t.equal(d('hello-world', 'en'), undefined)
})

t.test('a failing voice is reported per prompt, not thrown', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prompts-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const r = await generatePrompts(catalogue, dir, { bin: '/nonexistent/espeak-ng' })
  t.equal(r.failed.length, 3)
  t.same(r.generated, [])
})
