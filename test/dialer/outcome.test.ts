import t from 'tap'
import path from 'node:path'
import { DialTracker, causeOutcome, classifyEvidence, dialStatusOutcome, type DialEventLike } from '../../src/dialer/outcome.js'
import { loadTrace, sharedDir, type TraceLine } from '../sim/replay/trace.js'

const ev = (type: string, fields: Partial<DialEventLike> = {}): DialEventLike => ({ type, ...fields })
const ch = (id: string, state = 'Down') => ({ id, state })

t.test('rules without traces', async (t) => {
  const track = (events: DialEventLike[], id = 'A') => {
    const tr = new DialTracker(id)
    for (const e of events) tr.observe(e)
    return tr
  }
  const dial = (status: string, id = 'A') => ev('Dial', { peer: ch(id), dialstatus: status })
  const destroyed = (cause: number, id = 'A') => ev('ChannelDestroyed', { channel: ch(id), cause })
  t.equal(track([dial(''), dial('CONGESTION'), destroyed(1)]).classify().outcome, 'invalid', 'cause 1 (unallocated) wins over CONGESTION')
  t.equal(track([dial(''), dial('CHANUNAVAIL'), destroyed(28)]).classify().outcome, 'invalid', '28 invalid number format')
  t.equal(track([dial(''), ev('ChannelHangupRequest', { channel: ch('A;2'), cause: 22 })]).classify().outcome, 'invalid', '22 number changed, on the ;2 half')
  t.equal(track([dial('CHANUNAVAIL'), destroyed(0)]).classify().outcome, 'failed')
  t.equal(track([dial('RINGING'), dial('CANCEL'), destroyed(16)]).classify().outcome, 'no_answer', 'CANCEL: we gave up ringing')
  t.equal(track([dial('RINGING'), destroyed(21)]).classify().outcome, 'failed', '21 rejected')
  t.equal(track([dial(''), destroyed(20)]).classify().outcome, 'no_answer', '20 subscriber absent (phone off)')
  t.equal(track([dial(''), destroyed(18)]).classify().outcome, 'no_answer')
  t.equal(track([dial(''), destroyed(17)]).classify().outcome, 'busy')
  for (const c of [27, 34, 38, 41, 42]) t.equal(track([dial(''), destroyed(c)]).classify().outcome, 'failed', `cause ${c}`)
  t.equal(track([ev('ChannelHangupRequest', { channel: ch('A'), cause: 32, soft: true }), destroyed(0)]).classify().outcome, 'failed', 'a soft hangup flag is not a cause; nothing at all → failed')
  t.match(track([destroyed(0)]).classify(), { outcome: 'failed', detail: 'no dial status and no cause' })
  t.equal(causeOutcome(3), 'invalid')
  t.equal(causeOutcome(99), 'failed')
  t.equal(dialStatusOutcome('ANSWER'), undefined)
  t.match(classifyEvidence({ answered: false, rang: true, stasis: false, ended: true, dialStatus: 'BUSY', cause: 19 }), { outcome: 'busy', detail: 'Dial BUSY' }, 'the evidence alone (e.g. stored with the call)')

  const answered = [dial('RINGING'), ev('ChannelStateChange', { channel: ch('A', 'Up') }), dial('ANSWER')]
  t.match(track(answered).classify(), { outcome: 'reached', answered: true, human: true })
  t.match(track(answered).classify({ agentFree: true }), { outcome: 'reached' })
  t.match(track(answered).classify({ agentFree: false }), { outcome: 'abandoned', human: true, detail: 'answered, no agent free' })
  const amd = (status: string) => [ev('StasisStart', { channel: ch('A', 'Up'), args: ['amd', status, 'CAUSE-1'] })]
  t.match(track(amd('MACHINE')).classify({ agentFree: false }), { outcome: 'machine', human: false }, 'a machine is never abandoned')
  t.match(track(amd('HUMAN')).classify({ agentFree: false }), { outcome: 'abandoned', detail: 'AMD HUMAN (CAUSE-1), no agent free' })
  t.match(track(amd('HUMAN')).classify(), { outcome: 'reached' })
  t.match(track(amd('NOTSURE')).classify(), { outcome: 'reached', human: true }, 'NOTSURE counts as a person by default')
  t.match(track(amd('NOTSURE')).classify({ notSure: 'machine' }), { outcome: 'machine' })
  t.match(track(amd('HANGUP')).classify(), { outcome: 'no_answer', answered: true, human: false })
  const byVar = track([ev('ChannelVarset', { channel: ch('A', 'Up'), variable: 'AMDSTATUS', value: 'MACHINE' }), ev('ChannelVarset', { channel: ch('A'), variable: 'AMDCAUSE', value: 'LONGGREETING' })])
  t.same(byVar.evidence.amd, { status: 'MACHINE', cause: 'LONGGREETING' })
  t.equal(byVar.classify().outcome, 'machine')
  const viaGet = new DialTracker('A')
  viaGet.setAmd('MACHINE', 'LONGGREETING-1500-1500')
  t.equal(viaGet.classify().outcome, 'machine', 'the verdict read with GET /variable')
  const other = new DialTracker('A', 'B')
  t.notOk(other.observe(destroyed(17, 'C')), 'events of other channels are ignored')
  t.notOk(other.observe(dial('BUSY', 'C')))
  t.ok(other.observe(destroyed(17, 'B')), 'the otherChannelId half is tracked')
  t.notOk(other.observe(ev('ApplicationReplaced')))
  t.equal(other.classify().outcome, 'busy')
  t.notOk(other.ended, 'the dialed channel itself is not gone yet')
})

const shared = sharedDir()
if (!shared) {
  t.pass('skipped: ../shared (the reference traces) is not present; set CENTRALINO_SHARED to replay them')
} else {
  const dir = path.join(shared, 'asterisk', 'traces')
  const expected: Record<string, string> = { answer: 'reached', busy: 'busy', congestion: 'failed', noanswer: 'no_answer', machine: 'machine' }

  /** The calls of a trace: callee scenario and channel id, from the step lines. */
  function calls(lines: TraceLine[]): Array<{ callee: string; id: string; step: string }> {
    const out: Array<{ callee: string; id: string; step: string }> = []
    for (const l of lines) {
      if (l.kind !== 'step') continue
      const m = /(?:create|originate) Local\/(\w+)@sim-customers.*channelId=([0-9a-f-]{36})/.exec(String(l.text))
      if (m) out.push({ callee: m[1]!, id: m[2]!, step: String(l.text) })
    }
    return out
  }
  const eventsOf = (lines: TraceLine[]) => lines.filter((l) => l.kind === 'event').map((l) => l.event as DialEventLike)

  for (const file of ['create-dial-outcomes.jsonl', 'originate-outcomes.jsonl', 'amd.jsonl']) {
    t.test(`replay ${file}: each call classified as its scenario says`, async (t) => {
      const lines = loadTrace(path.join(dir, file))
      const events = eventsOf(lines)
      const list = calls(lines)
      t.ok(list.length >= 2, `${list.length} calls`)
      for (const c of list) {
        const tr = new DialTracker(c.id)
        let mine = 0
        for (const e of events) if (tr.observe(e)) mine++ // every event of the file: the others must be ignored
        t.ok(mine > 0, `${c.callee}: ${mine} events`)
        const verdict = tr.classify({ agentFree: true })
        t.equal(verdict.outcome, expected[c.callee], `${c.step} → ${verdict.outcome} (${verdict.detail})`)
        t.ok(tr.ended, `${c.callee}: the end of the call was seen`)
        if (verdict.answered && verdict.human) t.equal(tr.classify({ agentFree: false }).outcome, 'abandoned', `${c.callee}: a person and no agent free → abandoned`)
      }
    })
  }

  t.test('replay amd.jsonl: NOTSURE on a silent answer, machine on request', async (t) => {
    const lines = loadTrace(path.join(dir, 'amd.jsonl'))
    const silent = calls(lines).find((c) => c.callee === 'answer')!
    const tr = new DialTracker(silent.id)
    for (const e of eventsOf(lines)) tr.observe(e)
    t.same(tr.evidence.amd, { status: 'NOTSURE', cause: 'TOOLONG-4900' })
    t.equal(tr.classify({ notSure: 'machine' }).outcome, 'machine')
  })

  t.test('replay errors.jsonl: a dial string leading nowhere, a ringing call we hung up', async (t) => {
    const lines = loadTrace(path.join(dir, 'errors.jsonl'))
    const idOf = (stepMatch: RegExp) => {
      const at = lines.findIndex((l) => l.kind === 'step' && stepMatch.test(String(l.text)))
      const req = lines.slice(at).find((l) => l.kind === 'request')!
      return (req.query as Record<string, string>).channelId!
    }
    for (const [re, outcome] of [
      [/nosuchexten/, 'failed'],
      [/timeout=abc \(non-integer\)/, 'no_answer'],
    ] as const) {
      const tr = new DialTracker(idOf(re))
      for (const e of eventsOf(lines)) tr.observe(e)
      t.equal(tr.classify().outcome, outcome, `${re} → ${tr.classify().detail}`)
      t.ok(tr.ended)
    }
  })
}
