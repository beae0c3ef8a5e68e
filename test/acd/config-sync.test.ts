/**
 * Sections and agents changed through one engine reach the others (acd/config-sync.ts): the
 * board keeps versions in memory and in Redis (a private redis-server); an engine that changes
 * its file posts the text, another engine's follower adopts it (its own file written, its
 * routing reconfigured), a text posted before it started is not adopted, its own post is not
 * adopted back, a text with other sections is refused and the engine keeps its own.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { ConfigControl } from '../../src/acd/config-control.js'
import { ConfigFollower } from '../../src/acd/config-sync.js'
import { createMemoryConfigBoard } from '../../src/adapters/memory/config-board.js'
import { createRedisConfigBoard } from '../../src/adapters/redis/config-board.js'
import { createRedisStore } from '../../src/adapters/redis/store.js'
import type { SectionsConfig } from '../../src/config/sections.js'
import { SimClock } from '../../src/domain/clock.js'
import type { ConfigBoard } from '../../src/domain/config-board.js'
import { silentLogger } from '../../src/domain/log.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../helpers/redis-server.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** An engine's side: its own copy of config/sections.yaml, the control over it, what it applied. */
async function engine(t: Test, board: ConfigBoard, clock: SimClock) {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-sync-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'sections.yaml')
  cpSync(path.join(ROOT, 'config/sections.yaml'), file)
  const applied: SectionsConfig[] = []
  const posting: { follower?: ConfigFollower } = {}
  const control = await ConfigControl.forFile(file, async (c) => void applied.push(c), (text) => posting.follower!.post(text, 'sup'))
  const follower = (posting.follower = new ConfigFollower({ board, control, kind: 'sections', clock, log: silentLogger(), everyMs: 2000 }))
  t.teardown(() => follower.stop())
  return { file, control, follower, applied, text: () => readFileSync(file, 'utf8') }
}

function contract(t: Test, name: string, makeBoard: () => Promise<ConfigBoard>) {
  t.test(`${name}: versions grow with each post, whoever posts`, async (t) => {
    const a = await makeBoard()
    t.equal(await a.latest('sections'), undefined)
    t.equal(await a.post('sections', 'one', 'sup'), 1)
    t.equal(await a.post('sections', 'two', 'rossi'), 2)
    t.same(await a.latest('sections'), { version: 2, text: 'two', by: 'rossi' })
    t.equal(await a.latest('flows'), undefined, 'kinds are apart')
  })

  t.test(`${name}: a change made on one engine is applied on the other`, async (t) => {
    const clock = new SimClock(0)
    const board = await makeBoard()
    const a = await engine(t, board, clock)
    const b = await engine(t, board, clock)
    await a.follower.start()
    await b.follower.start()
    await a.control.updateSection('pensions', { serviceLevel: { withinSec: 30, percent: 90 } })
    t.equal(await a.follower.tick(), 'none', 'an engine does not adopt its own post')
    t.equal(b.applied.length, 0)
    clock.advance(2000)
    await b.follower.stop() // lets the timed look finish
    t.equal(b.applied.length, 1, 'the other engine looked at the board on its own and applied the change')
    t.match(b.applied[0]!.sections.find((s) => s.id === 'pensions'), { serviceLevel: { withinSec: 30, percent: 90 } })
    t.equal(b.text(), a.text(), "and wrote it to its own file (a restart keeps it)")
    t.match(b.text(), /^# Sections/, 'comments kept')
    t.equal(await b.follower.tick(), 'none', 'nothing new')
  })

  t.test(`${name}: a text posted before the engine started is not adopted; a text with other sections is refused`, async (t) => {
    const clock = new SimClock(0)
    const board = await makeBoard()
    const a = await engine(t, board, clock)
    await a.control.updateAgent('op101', { name: 'Anna B.' })
    const b = await engine(t, board, clock)
    const before = b.text()
    await b.follower.start()
    t.equal(await b.follower.tick(), 'none', 'the board held an older post when it started: its own file wins')
    t.equal(b.text(), before)
    await board.post('sections', a.text().replace(/- id: contributions/, '- id: contributi'), 'sup')
    t.equal(await b.follower.tick(), 'refused', 'other sections take a restart')
    t.equal(b.text(), before, 'the file is untouched')
    t.equal(b.applied.length, 0, 'and nothing was applied')
    await board.post('sections', a.text(), 'sup')
    t.equal(await b.follower.tick(), 'applied', 'a later good text is taken')
    t.equal(b.applied.at(-1)!.agents.find((x) => x.id === 'op101')!.name, 'Anna B.')
  })
}

contract(t, 'memory', async () => createMemoryConfigBoard())

if (!redisServerAvailable()) {
  t.test('redis', (t) => (t.plan(0, NO_REDIS), t.end()))
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  contract(t, 'redis', async () => {
    const store = createRedisStore({ url: redis.url, prefix: `cfg${++n}` })
    t.teardown(() => store.close())
    return createRedisConfigBoard(store)
  })
}
