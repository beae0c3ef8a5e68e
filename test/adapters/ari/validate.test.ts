import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parseAriTimestamp, parseFrame } from '../../../src/adapters/ari/validate.js'
import { bridge, channel, event, playback, stasisStart } from './fixtures.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const shared = process.env.CENTRALINO_SHARED ?? path.resolve(repoRoot, '..', 'shared')

t.test('known events are typed, optional fields may be absent', async (t) => {
  const ok = [
    stasisStart('c1', ['inbound']),
    event('StasisEnd', { channel: channel('c1') }),
    event('ChannelHangupRequest', { cause: 16, channel: channel('c1') }),
    event('ChannelHangupRequest', { channel: channel('c1') }),
    event('ChannelVarset', { variable: 'STASISSTATUS', value: '' }),
    event('Dial', { peer: channel('c1'), dialstatus: 'RINGING', dialstring: 'answer@sim-customers', forward: '' }),
    event('ChannelEnteredBridge', { bridge: bridge('b1') }),
    event('PlaybackFinished', { playback: playback('p1', 'done') }),
    event('ApplicationReplaced'),
  ]
  for (const e of ok) {
    const r = parseFrame(JSON.stringify(e))
    t.equal(r.kind, 'event', String(e.type))
    if (r.kind === 'event') t.equal(r.event.type, e.type)
  }
})

t.test('malformed frames are reported with the first problem, never thrown', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{"type": "StasisStart", ', /invalid JSON/],
    ['[1,2]', /not a JSON object/],
    ['"text"', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"application":"a"}', /type: missing string/],
    [JSON.stringify(event('StasisStart', { args: [] })), /StasisStart: channel: not an object/],
    [JSON.stringify(event('StasisStart', { args: [1], channel: channel('c') })), /args: missing list of strings/],
    [JSON.stringify(event('StasisEnd', { channel: { ...channel('c'), caller: { name: 'x' } } })), /channel\.caller\.number: missing string/],
    [JSON.stringify(event('ChannelDestroyed', { cause: '16', cause_txt: 'Normal', channel: channel('c') })), /cause: missing number/],
    [JSON.stringify(event('Dial', { dialstatus: 'BUSY' })), /peer: not an object/],
    [JSON.stringify(event('ChannelHangupRequest', { soft: 'yes', channel: channel('c') })), /soft: missing boolean/],
    [JSON.stringify(event('BridgeDestroyed', { bridge: { ...bridge('b'), channels: 'c1' } })), /bridge\.channels: missing list/],
    [JSON.stringify({ ...event('PlaybackStarted', { playback: playback('p') }), timestamp: undefined }), /timestamp: missing string/],
  ]
  for (const [frame, reason] of cases) {
    const r = parseFrame(frame)
    t.equal(r.kind, 'malformed', frame.slice(0, 40))
    if (r.kind === 'malformed') t.match(r.reason, reason)
  }
})

t.test('event types the engine does not handle are unknown', async (t) => {
  for (const type of ['ChannelCallerId', 'DeviceStateChanged', 'SomethingNew']) {
    t.same(parseFrame(JSON.stringify(event(type, { whatever: 1 }))), { kind: 'unknown', type })
  }
  t.same(parseFrame('{"type":"toString"}'), { kind: 'unknown', type: 'toString' }, 'no prototype lookups')
})

t.test('ARI timestamps', async (t) => {
  t.equal(parseAriTimestamp('2026-11-22T09:53:10.138+0000'), Date.UTC(2026, 10, 22, 9, 53, 10, 138))
  t.equal(parseAriTimestamp('2026-11-22T10:53:10.138+0100'), Date.UTC(2026, 10, 22, 9, 53, 10, 138))
  t.equal(parseAriTimestamp('2026-11-22T09:53:10.138-0230'), Date.UTC(2026, 10, 22, 12, 23, 10, 138))
  t.equal(parseAriTimestamp('yesterday'), undefined)
})

t.test('every event Asterisk 22 sent in the reference traces passes', { skip: !fs.existsSync(path.join(shared, 'asterisk', 'traces')) && 'needs ../shared/asterisk/traces (set CENTRALINO_SHARED)' }, async (t) => {
  const dir = path.join(shared, 'asterisk', 'traces')
  const counts = { event: 0, unknown: 0, malformed: 0 }
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line) continue
      const x = JSON.parse(line) as { kind: string; event?: unknown }
      if (x.kind !== 'event') continue
      const r = parseFrame(JSON.stringify(x.event))
      counts[r.kind]++
      if (r.kind === 'malformed') t.fail(`${f}: ${r.reason}`)
    }
  }
  t.equal(counts.malformed, 0)
  t.ok(counts.event > 300, `${counts.event} known events`)
  t.ok(counts.unknown > 0, `${counts.unknown} events of types the engine does not handle`)
})
