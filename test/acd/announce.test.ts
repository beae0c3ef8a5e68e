import t from 'tap'
import { nextAnnouncementAt, positionItems } from '../../src/acd/announce.js'

t.test('position wording: next, one, many (number in the caller language)', async (t) => {
  t.same(positionItems(0), [{ kind: 'prompt', id: 'queue_next' }])
  t.same(positionItems(1), [{ kind: 'prompt', id: 'queue_ahead_one' }])
  t.same(positionItems(7), [
    { kind: 'prompt', id: 'queue_ahead_prefix' },
    { kind: 'number', value: '7' },
    { kind: 'prompt', id: 'queue_ahead_suffix' },
  ])
})

t.test('periodic announcements count from the last one, or from entry', async (t) => {
  const policy = { onEntry: true, everySec: 30, position: true }
  t.equal(nextAnnouncementAt(policy, 1000), 31000)
  t.equal(nextAnnouncementAt(policy, 1000, 50000), 80000)
  t.equal(nextAnnouncementAt({ ...policy, everySec: 0 }, 1000), undefined)
  t.equal(nextAnnouncementAt({ ...policy, position: false }, 1000), undefined)
})
