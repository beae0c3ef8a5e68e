import t from 'tap'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandName, expandIncludes, loadScripts, scriptDirCandidates, SCRIPT_NAMES } from '../../../src/adapters/redis/scripts.js'
import { decodeRecord, encodeRecord, orderPrefix, queueScore, seqArg } from '../../../src/adapters/redis/codec.js'
import { redisKeys } from '../../../src/adapters/redis/keys.js'
import { CAMPAIGN_SCRIPT_NAMES, loadCampaignScripts } from '../../../src/adapters/redis/campaigns.js'

const dir = fileURLToPath(new URL('../../../src/adapters/redis/scripts/', import.meta.url))

t.test('one verb per file, each with a header naming its KEYS, ARGV and reply', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.lua'))
  // The main store's scripts and the campaign store's (adapters/redis/campaigns.ts) share the directory.
  const scripts = { ...loadScripts(), ...loadCampaignScripts() } as Record<string, { lua: string }>
  t.equal(files.length, SCRIPT_NAMES.length + CAMPAIGN_SCRIPT_NAMES.length, 'a file per script, nothing else')
  for (const f of files) {
    const m = /^([a-z-]+)-(\d+)\.lua$/.exec(f)
    t.ok(m, `${f}: <verb>-<keys>.lua`)
    const text = readFileSync(path.join(dir, f), 'utf8')
    t.ok(text.startsWith('--[[\n'), `${f} opens with a header`)
    const end = text.indexOf(']]')
    const header = text.slice(0, end)
    const body = text.slice(end)
    t.match(header, new RegExp(`^--\\[\\[\\n  ${m![1]}: `), `${f}: the header names the verb`)
    t.match(header, /Returns: /, `${f}: names the reply`)
    t.notMatch(scripts[m![1]!]!.lua, /@include/, `${f}: includes expanded`)
    const used = [...body.matchAll(/KEYS\[(\d+)\]/g)].map((x) => Number(x[1]))
    t.equal(Math.max(...used), Number(m![2]), `${f}: uses exactly its declared keys`)
    for (let k = 1; k <= Number(m![2]); k++) t.match(header, `KEYS[${k}]`, `${f}: KEYS[${k}] documented`)
    if (/ARGV/.test(body)) t.match(header, 'ARGV[1]', `${f}: ARGV documented`)
  }
})

t.test('the loader finds the scripts next to the module or in the source tree, and names what is missing', async (t) => {
  const s = loadScripts()
  t.same(Object.keys(s).sort(), [...SCRIPT_NAMES].sort())
  t.equal(s['agent-transition'].numberOfKeys, 2)
  const c = scriptDirCandidates('/app/dist/adapters/redis')
  t.same(c, ['/app/dist/adapters/redis/scripts', '/app/src/adapters/redis/scripts'])
  t.throws(() => loadScripts(['/nope/a', '/nope/b']), /no Lua scripts directory \(looked in \/nope\/a, \/nope\/b\)/)
  const empty = mkdtempSync(path.join(tmpdir(), 'centralino-lua-'))
  t.teardown(() => rmSync(empty, { recursive: true, force: true }))
  t.throws(() => loadScripts([empty]), /missing Lua scripts in .*: enqueue, remove, mark-offered/)
  t.equal(commandName('mark-offered'), 'centralinoMarkOffered')
  t.throws(() => expandIncludes('--- @include nope\n', empty), /include\/nope\.lua \(included\) not found/)
  t.match(s['mark-offered'].lua, /local function record_get/)
})

t.test('orderPrefix sorts bytewise as the numbers do', async (t) => {
  const xs = [-1e15, -1761000000000.5, -2, -1, -0.5, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 0.25, 1, 2, 1761000000000, 1761000000000.25, 1761000000001, 2 ** 53, 1e300]
  const enc = xs.map(orderPrefix)
  t.ok(enc.every((e) => /^[0-9a-f]{16}$/.test(e)))
  t.same([...enc].sort(), enc, 'already in order')
  t.equal(orderPrefix(-0), orderPrefix(0))
  t.throws(() => orderPrefix(NaN))
})

t.test('score, seq and field encoding', async (t) => {
  t.equal(queueScore(5), '-5')
  t.equal(queueScore(0), '0')
  t.equal(queueScore(-2.5), '2.5')
  t.throws(() => queueScore(Infinity))
  t.equal(seqArg(undefined), '')
  t.equal(seqArg(42), '42')
  t.throws(() => seqArg(-1))
  t.throws(() => seqArg(1.5))
  const r = encodeRecord({ a: 1, b: undefined, c: 'x\ny', seq: 3, status: 'waiting', offeredTo: undefined }, ['status', 'offeredTo'], ['seq'])
  t.equal(r, '~j\n{"a":1,"c":"x\\ny"}\nstatus\n"waiting"\n', 'one line per name and value: JSON escapes newlines')
  t.same(decodeRecord(r), { a: 1, c: 'x\ny', status: 'waiting' })
  t.same(decodeRecord('~j\n{"a":1,"b":[],"gone":2}\nc\n[]\ngone\n\n'), { a: 1, b: [], c: [] }, 'overlays applied, an empty one removes the property')
  t.same(decodeRecord('x\n1\n~j\n{}\n'), { x: 1 }, 'overlays apply wherever ~j is')
  t.equal(decodeRecord(null), undefined)
  t.throws(() => decodeRecord('a\n1\n'), /without ~j/)
  for (const bad of ['~q', 'a\nb', '']) t.throws(() => encodeRecord({ [bad]: 1 }, []), /property names/, JSON.stringify(bad))
})

t.test('keys: one hash tag, configurable prefix', async (t) => {
  const k = redisKeys('national')
  t.equal(k.queue('pensions'), '{national}:q:pensions')
  t.equal(k.entries, '{national}:e')
  t.equal(k.op('x'), '{national}:op:x')
  t.equal(redisKeys().tag, '{centralino}')
  t.throws(() => redisKeys('a{b}'))
  t.throws(() => redisKeys(''))
})
