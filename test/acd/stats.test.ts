import t from 'tap'
import { computeStats, computeTotals, csvField, intervalStarts, queueStays, statsCsv } from '../../src/acd/stats.js'
import type { CallEvent, NewCallEvent } from '../../src/domain/events.js'

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)
const S = 1000
const M = 60 * S
let n = 0
const ev = (at: number, e: NewCallEvent): CallEvent => ({ ...e, id: `e${++n}`, at: T0 + at }) as CallEvent

/** A morning of hand-made calls (see each comment); given shuffled, as several engines would append them. */
const EVENTS: CallEvent[] = [
  // c1: pensions, answered after 15 s (within the 30 s target), talks 120 s.
  ev(10 * S, { type: 'queue.entered', callId: 'c1', section: 'pensions', priority: 0, position: 1 }),
  ev(25 * S, { type: 'queue.connected', callId: 'c1', section: 'pensions', agentId: 'a', waitMs: 15 * S }),
  ev(145 * S, { type: 'call.ended', callId: 'c1', reason: 'hangup', durationMs: 200 * S }),
  // c2: pensions, hangs up after 45 s.
  ev(60 * S, { type: 'queue.entered', callId: 'c2', section: 'pensions', priority: 0, position: 2 }),
  ev(105 * S, { type: 'queue.abandoned', callId: 'c2', section: 'pensions', waitMs: 45 * S, position: 1 }),
  ev(105 * S, { type: 'call.ended', callId: 'c2', reason: 'caller hung up', durationMs: 90 * S }),
  // c3: pensions, answered after 40 s (late), talks 60 s, transferred to operators (keeping its
  // original entry time: its waitMs there says 110 s), answered there after 10 s, talks 90 s.
  ev(100 * S, { type: 'queue.entered', callId: 'c3', section: 'pensions', priority: 0, position: 2 }),
  ev(140 * S, { type: 'queue.connected', callId: 'c3', section: 'pensions', agentId: 'b', waitMs: 40 * S }),
  ev(200 * S, { type: 'call.transferred', callId: 'c3', target: 'operators', kind: 'section', by: 'b' }),
  ev(200 * S, { type: 'queue.entered', callId: 'c3', section: 'operators', priority: 0, position: 1 }),
  ev(210 * S, { type: 'queue.connected', callId: 'c3', section: 'operators', agentId: 'c', waitMs: 110 * S }),
  ev(300 * S, { type: 'call.ended', callId: 'c3', reason: 'hangup', durationMs: 320 * S }),
  // c5: operators, enters at 14:59 and is answered 31 s later (after the 20 s default target),
  // in the next interval: it counts where it entered. Still talking.
  ev(14 * M + 59 * S, { type: 'queue.entered', callId: 'c5', section: 'operators', priority: 0, position: 1 }),
  ev(15 * M + 30 * S, { type: 'queue.connected', callId: 'c5', section: 'operators', agentId: 'c', waitMs: 31 * S }),
  // c4: pensions at 16:00, the call ends after 5 s with no abandon event: abandoned.
  ev(16 * M, { type: 'queue.entered', callId: 'c4', section: 'pensions', priority: 0, position: 1 }),
  ev(16 * M + 5 * S, { type: 'call.ended', callId: 'c4', reason: 'caller hung up', durationMs: 60 * S }),
  // c6: pensions at 20:00, still waiting.
  ev(20 * M, { type: 'queue.entered', callId: 'c6', section: 'pensions', priority: 0, position: 1 }),
  // c7: entered before the range: not counted even though answered inside it.
  ev(-1 * M, { type: 'queue.entered', callId: 'c7', section: 'pensions', priority: 0, position: 1 }),
  ev(1 * M, { type: 'queue.connected', callId: 'c7', section: 'pensions', agentId: 'a', waitMs: 120 * S }),
  // Unrelated events are ignored.
  ev(2 * M, { type: 'call.started', callId: 'c9', direction: 'inbound' }),
  ev(2 * M, { type: 'queue.announced', callId: 'c6', section: 'pensions', ahead: 0 }),
]

function shuffled<T>(xs: T[]): T[] {
  // Deterministic: reverse, then interleave halves.
  const r = [...xs].reverse()
  const half = Math.ceil(r.length / 2)
  const out: T[] = []
  for (let i = 0; i < half; i++) {
    out.push(r[i]!)
    if (i + half < r.length) out.push(r[i + half]!)
  }
  return out
}

const OPTS = { from: T0, to: T0 + 30 * M, intervalMs: 15 * M, known: ['operators', 'pensions'], targets: { pensions: 30 } }

t.test('per section and 15-minute interval: offered, answered, abandoned, rates, waits, handle time', async (t) => {
  const rows = computeStats(shuffled(EVENTS), OPTS)
  t.same(
    rows.map((r) => [r.section, r.from - T0]),
    [
      ['operators', 0],
      ['operators', 15 * M],
      ['pensions', 0],
      ['pensions', 15 * M],
    ],
    'every section (known order) x every interval, empty ones included',
  )
  const [op1, op2, pe1, pe2] = rows
  t.same(pe1, {
    section: 'pensions',
    from: T0,
    to: T0 + 15 * M,
    offered: 3,
    answered: 2,
    abandoned: 1,
    abandonRate: 0.3333,
    targetSec: 30,
    answeredWithinTarget: 1,
    serviceLevel: 0.3333,
    avgWaitMs: 33_333,
    longestWaitMs: 45_000,
    avgAnswerMs: 27_500,
    avgHandleMs: 90_000,
    handled: 2,
  })
  t.match(pe2, { offered: 2, answered: 0, abandoned: 1, abandonRate: 1, serviceLevel: 0, avgWaitMs: 5000, longestWaitMs: 5000, avgAnswerMs: null, avgHandleMs: null, handled: 0 }, 'c4 abandoned; c6 still waiting is offered only')
  t.match(op1, {
    offered: 2,
    answered: 2,
    abandoned: 0,
    abandonRate: 0,
    targetSec: 20,
    answeredWithinTarget: 1,
    serviceLevel: 0.5,
    avgWaitMs: 20_500,
    longestWaitMs: 31_000,
    avgHandleMs: 90_000,
    handled: 1,
  }, "c3's wait in operators is measured from its transfer (10 s), not its first entry; c5 counts where it entered; default 20 s target")
  t.match(op2, { offered: 0, answered: 0, abandoned: 0, abandonRate: null, serviceLevel: null, avgWaitMs: null, longestWaitMs: null })
})

t.test('the same result whatever order the events arrive in', async (t) => {
  t.same(computeStats(shuffled(EVENTS), OPTS), computeStats(EVENTS, OPTS))
})

t.test('totals over the range; a section filter; an unknown section seen in the events is reported', async (t) => {
  const totals = computeTotals(EVENTS, { from: T0, to: T0 + 30 * M, known: ['operators', 'pensions'], targets: { pensions: 30 } })
  t.same(totals.map((r) => [r.section, r.offered, r.answered, r.abandoned]), [
    ['operators', 2, 2, 0],
    ['pensions', 5, 2, 2],
  ])
  t.same(computeStats(EVENTS, { ...OPTS, sections: ['pensions'] }).map((r) => r.section), ['pensions', 'pensions'])
  const other = [ev(0, { type: 'queue.entered', callId: 'x', section: 'legacy', priority: 0, position: 1 })]
  t.same(computeStats(other, { ...OPTS, intervalMs: 'all' }).map((r) => [r.section, r.offered]), [
    ['operators', 0],
    ['pensions', 0],
    ['legacy', 1],
  ])
})

t.test('a caller that re-enters a queue without an outcome leaves the first stay unresolved', async (t) => {
  const evs = [
    ev(0, { type: 'queue.entered', callId: 'm', section: 'operators', priority: 0, position: 1 }),
    ev(5 * S, { type: 'queue.entered', callId: 'm', section: 'pensions', priority: 0, position: 1 }),
    ev(9 * S, { type: 'queue.abandoned', callId: 'm', section: 'pensions', waitMs: 9 * S, position: 1 }),
  ]
  t.same(queueStays(evs).map((s) => [s.section, s.outcome, s.endedAt! - s.enteredAt]), [
    ['operators', 'moved', 5 * S],
    ['pensions', 'abandoned', 4 * S],
  ])
  const [op, pe] = computeStats(evs, { ...OPTS, intervalMs: 'all' })
  t.match(op, { offered: 1, answered: 0, abandoned: 0, serviceLevel: null })
  t.match(pe, { offered: 1, abandoned: 1, longestWaitMs: 4 * S })
})

t.test('intervals: the first starts at from, the next on multiples of the interval', async (t) => {
  t.same(intervalStarts(T0 + 5 * M, T0 + 35 * M, 15 * M).map((x) => (x - T0) / M), [5, 15, 30])
  t.same(intervalStarts(T0, T0 + 30 * M, 15 * M).map((x) => (x - T0) / M), [0, 15])
  t.same(intervalStarts(T0, T0, 15 * M), [])
  const rows = computeStats(EVENTS, { ...OPTS, from: T0 + 5 * M, to: T0 + 20 * M, sections: ['operators'] })
  t.same(rows.map((r) => [(r.from - T0) / M, (r.to - T0) / M, r.offered]), [
    [5, 15, 1],
    [15, 20, 0],
  ], 'c5 (14:59) in the partial first interval; c3 entered operators at 3:20, before from')
})

t.test('CSV: header row, CRLF, ISO times, empty cells for no value, RFC 4180 quoting', async (t) => {
  const csv = statsCsv(computeStats(EVENTS, { ...OPTS, sections: ['pensions'] }))
  const lines = csv.split('\r\n')
  t.equal(lines[0], 'section,from,to,offered,answered,abandoned,abandonRate,targetSec,answeredWithinTarget,serviceLevel,avgWaitMs,longestWaitMs,avgAnswerMs,avgHandleMs,handled')
  t.equal(lines[1], 'pensions,2026-11-23T09:00:00.000Z,2026-11-23T09:15:00.000Z,3,2,1,0.3333,30,1,0.3333,33333,45000,27500,90000,2')
  t.equal(lines[2], 'pensions,2026-11-23T09:15:00.000Z,2026-11-23T09:30:00.000Z,2,0,1,1,30,0,0,5000,5000,,,0')
  t.equal(lines[3], '', 'ends with CRLF')
  t.equal(lines.length, 4)
  t.equal(csvField('plain'), 'plain')
  t.equal(csvField('a,b'), '"a,b"')
  t.equal(csvField('say "hi"'), '"say ""hi"""')
  t.equal(csvField('two\nlines'), '"two\nlines"')
  t.equal(csvField(null), '')
  t.equal(csvField(0), '0')
})
