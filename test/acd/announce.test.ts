import t from 'tap'
import { announceOnEntry, announcedAhead, announcementItems, nextAnnouncementAt, positionItems, waitItems, waitPhrase } from '../../src/acd/announce.js'
import type { AnnouncePolicy } from '../../src/domain/acd.js'

t.test('position wording', async (t) => {
  t.same(positionItems(0), [{ kind: 'prompt', id: 'queue_next' }])
  t.same(positionItems(1), [{ kind: 'prompt', id: 'queue_ahead_one' }])
  t.same(positionItems(7), [
    { kind: 'prompt', id: 'queue_ahead_prefix' },
    { kind: 'number', value: '7' },
    { kind: 'prompt', id: 'queue_ahead_suffix' },
  ])
})

t.test('wait rounding: under a minute, about one minute, whole minutes, fives, then the cap', async (t) => {
  const said = (sec: number, cap?: number) => {
    const p = waitPhrase(sec, cap)
    return p.kind === 'about' || p.kind === 'over' ? `${p.kind} ${p.minutes}` : p.kind
  }
  t.equal(said(0), 'under_minute')
  t.equal(said(59.9), 'under_minute')
  t.equal(said(60), 'one_minute')
  t.equal(said(89), 'one_minute')
  t.equal(said(90), 'about 2')
  t.equal(said(149), 'about 2')
  t.equal(said(150), 'about 3')
  t.equal(said(9 * 60 + 29), 'about 9')
  t.equal(said(9 * 60 + 31), 'about 10')
  t.equal(said(12 * 60 + 29), 'about 10')
  t.equal(said(12 * 60 + 31), 'about 15')
  t.equal(said(20 * 60), 'about 20')
  t.equal(said(20 * 60 + 1), 'over 20')
  t.equal(said(3600), 'over 20')
  t.equal(said(11 * 60, 12), 'about 10')
  t.equal(said(12.6 * 60, 13), 'about 13', 'rounding never says more than the cap')
  t.equal(said(13 * 60 + 1, 13), 'over 13')
})

t.test('wait wording: catalogue prompts around a number played in the caller language', async (t) => {
  t.same(waitItems({ kind: 'under_minute' }), [{ kind: 'prompt', id: 'queue_wait_under_minute' }])
  t.same(waitItems({ kind: 'one_minute' }), [{ kind: 'prompt', id: 'queue_wait_one_minute' }])
  t.same(waitItems({ kind: 'about', minutes: 5 }), [
    { kind: 'prompt', id: 'queue_wait_about' },
    { kind: 'number', value: '5' },
    { kind: 'prompt', id: 'queue_wait_minutes' },
  ])
  t.same(waitItems({ kind: 'over', minutes: 20 }), [
    { kind: 'prompt', id: 'queue_wait_over' },
    { kind: 'number', value: '20' },
    { kind: 'prompt', id: 'queue_wait_minutes' },
  ])
})

const policy: AnnouncePolicy = { onEntry: true, everySec: 30, minGapSec: 10, position: true, wait: true, waitCapMin: 20 }

t.test('an announcement says position and/or wait as the section asks; an unknown wait is not said', async (t) => {
  t.same(
    announcementItems(policy, 0, 30).map((i) => (i.kind === 'prompt' ? i.id : i.value)),
    ['queue_next', 'queue_wait_under_minute'],
  )
  t.same(
    announcementItems({ ...policy, position: false }, 3, 400).map((i) => (i.kind === 'prompt' ? i.id : i.value)),
    ['queue_wait_about', '7', 'queue_wait_minutes'],
  )
  t.same(
    announcementItems({ ...policy, wait: false }, 3, 400).map((i) => (i.kind === 'prompt' ? i.id : i.value)),
    ['queue_ahead_prefix', '3', 'queue_ahead_suffix'],
  )
  t.same(announcementItems(policy, 2, undefined).map((i) => (i.kind === 'prompt' ? i.id : i.value)), ['queue_ahead_prefix', '2', 'queue_ahead_suffix'], 'no agent: no time promised')
  t.same(announcementItems({ ...policy, position: false }, 2, undefined), [], 'nothing to say')
})

t.test('schedule: on entry, every N seconds from the start of the last, at least the minimum gap after its end', async (t) => {
  t.equal(announceOnEntry(policy), true)
  t.equal(announceOnEntry({ ...policy, onEntry: false }), false)
  t.equal(announceOnEntry({ ...policy, position: false, wait: false }), false, 'nothing to announce')
  t.equal(nextAnnouncementAt(policy, { enteredAt: 1000 }), 31_000, 'first period from entry')
  t.equal(nextAnnouncementAt(policy, { enteredAt: 1000, lastStartAt: 50_000, lastEndAt: 58_000 }), 80_000, 'period from the start of the last')
  t.equal(nextAnnouncementAt(policy, { enteredAt: 1000, lastStartAt: 50_000, lastEndAt: 75_000 }), 85_000, 'a long announcement: 10 s of music first')
  t.equal(nextAnnouncementAt({ ...policy, minGapSec: undefined }, { enteredAt: 0, lastStartAt: 0, lastEndAt: 40_000 }), 40_000)
  t.equal(nextAnnouncementAt({ ...policy, everySec: 0 }, { enteredAt: 1000 }), undefined)
  t.equal(nextAnnouncementAt({ ...policy, position: false, wait: false }, { enteredAt: 1000 }), undefined)
  t.equal(nextAnnouncementAt({ ...policy, position: false }, { enteredAt: 1000 }), 31_000, 'wait alone is worth announcing')
})

t.test('callers ahead never grow between announcements unless the caller is re-prioritised', async (t) => {
  t.equal(announcedAhead(undefined, 5, 0), 5, 'first announcement: the real count')
  t.equal(announcedAhead({ ahead: 3, priority: 0 }, 2, 0), 2, 'going down is said')
  t.equal(announcedAhead({ ahead: 3, priority: 0 }, 5, 0), 3, 'going up is not')
  t.equal(announcedAhead({ ahead: 3, priority: 0 }, 7, -1), 7, 're-prioritised lower: the real count again')
  t.equal(announcedAhead({ ahead: 3, priority: 0 }, 1, 2), 1, 're-prioritised higher')
  // A sequence: each announced value is at most the previous one.
  let last: { ahead: number; priority: number } | undefined
  const heard: number[] = []
  for (const real of [6, 4, 5, 5, 2, 3, 0]) {
    const a = announcedAhead(last, real, 0)
    heard.push(a)
    last = { ahead: a, priority: 0 }
  }
  t.same(heard, [6, 4, 4, 4, 2, 2, 0])
})
