/**
 * The generated /ari/api-docs against Asterisk's: every operation the simulator serves must
 * exist in Asterisk 22.10.1's documents with the same path, method and parameter names.
 * Operations Asterisk has and the simulator does not serve are listed (not failed).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { get } from 'node:http'
import path from 'node:path'
import { startSimulator } from '../../src/sim/index.js'
import { sharedDir } from './replay/trace.js'

interface Op {
  httpMethod: string
  nickname: string
  parameters?: Array<{ name: string; paramType: string }>
}
interface Doc {
  basePath: string
  apis: Array<{ path: string; operations: Op[] }>
}

const auth = { authorization: 'Basic ' + Buffer.from('engine:engine').toString('base64') }

function ops(doc: Doc): Map<string, Op> {
  const m = new Map<string, Op>()
  for (const a of doc.apis) for (const op of a.operations) m.set(`${op.httpMethod} ${a.path}`, op)
  return m
}

t.test('generated api-docs', async (t) => {
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  const res = await new Promise<{ status: number; ctype: string; text: string }>((resolve, reject) => {
    get(`${sim.ariUrl}/api-docs/resources.json`, { headers: { ...auth, host: 'example.test:1234' } }, (r) => {
      let text = ''
      r.on('data', (c: Buffer) => (text += c.toString()))
      r.on('end', () => resolve({ status: r.statusCode ?? 0, ctype: String(r.headers['content-type']), text }))
    }).on('error', reject)
  })
  t.equal(res.status, 200)
  t.equal(res.ctype, 'application/json')
  const resources = JSON.parse(res.text) as { apiVersion: string; swaggerVersion: string; basePath: string; apis: Array<{ path: string }> }
  t.equal(resources.basePath, 'http://example.test:1234/ari', 'basePath comes from the Host header')
  t.equal(resources.apiVersion, '10.0.0')
  t.equal(resources.swaggerVersion, '1.1')
  const unauth = await fetch(`${sim.ariUrl}/api-docs/resources.json`)
  t.equal(unauth.status, 401, 'api-docs need credentials')

  const shared = sharedDir()
  for (const api of resources.apis) {
    const name = api.path.replace('/api-docs/', '').replace('.{format}', '')
    const r = await fetch(`${sim.ariUrl}/api-docs/${name}.json`, { headers: auth })
    t.equal(r.status, 200, `${name}.json served`)
    const mine = (await r.json()) as Doc
    t.equal(mine.basePath, `${sim.ariUrl}`, `${name}.json basePath`)
    if (!shared) continue
    const theirs = JSON.parse(readFileSync(path.join(shared, 'asterisk', 'ari-api-docs', `${name}.json`), 'utf8')) as Doc
    const real = ops(theirs)
    const served = ops(mine)
    for (const [key, op] of served) {
      const ref = real.get(key)
      if (!ref) {
        t.fail(`${key} is served by the simulator but does not exist in Asterisk's ${name}.json`)
        continue
      }
      t.equal(op.nickname, ref.nickname, `${key} nickname`)
      const names = (o: Op) => (o.parameters ?? []).map((p) => `${p.name}/${p.paramType}`).sort()
      t.same(names(op), names(ref), `${key} has Asterisk's parameters`)
    }
    const missing = [...real.keys()].filter((k) => !served.has(k))
    if (missing.length) t.comment(`${name}: not served by the simulator: ${missing.join('; ')}`)
  }
  if (shared) {
    const all = JSON.parse(readFileSync(path.join(shared, 'asterisk', 'ari-api-docs', 'resources.json'), 'utf8')) as { apis: Array<{ path: string }> }
    const mineApis = new Set(resources.apis.map((a) => a.path))
    const notServed = all.apis.map((a) => a.path).filter((p) => !mineApis.has(p))
    if (notServed.length) t.comment(`APIs not served at all: ${notServed.join(', ')}`)
  } else t.comment('../shared absent: the comparison with Asterisk\'s api-docs was skipped')
})
