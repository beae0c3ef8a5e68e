/**
 * `npm run prompts`: generate missing or changed prompt audio from prompts/catalogue.yaml with
 * espeak-ng, as 8 kHz WAV under prompts/audio/ (copy it to Asterisk's sounds directory).
 * Options: --catalogue FILE, --out DIR.
 */
import { parseArgs } from 'node:util'
import { loadCatalogue } from '../src/ivr/catalogue.js'
import { espeakAvailable, generatePrompts } from '../src/prompts/generate.js'

const { values } = parseArgs({ options: { catalogue: { type: 'string', default: 'prompts/catalogue.yaml' }, out: { type: 'string', default: 'prompts/audio' } } })
if (!(await espeakAvailable())) {
  process.stderr.write('espeak-ng is not installed (Debian: apt-get install espeak-ng)\n')
  process.exit(1)
}
const r = await generatePrompts(loadCatalogue(values.catalogue!), values.out!)
process.stdout.write(`prompts: ${r.generated.length} generated, ${r.unchanged} unchanged, ${r.failed.length} failed\n`)
for (const f of r.failed) process.stderr.write(`  ${f.prompt}: ${f.error}\n`)
process.exitCode = r.failed.length > 0 ? 1 : 0
