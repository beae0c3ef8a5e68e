/**
 * Callback entries in the pure routing policy: routed in their place like any entry; after an
 * unanswered attempt not offered before notBefore (callers behind may be served meanwhile),
 * still counted ahead of them, and a dispatch is timed for notBefore.
 */
import t from 'tap'
import { callersAhead, nextRoutingChange, planAssignments } from '../../src/acd/routing.js'
import { agentRec, entry } from '../helpers/acd-fixtures.js'

const recall = { number: '+393331234567', requestedAt: 0, attempts: 1 }

t.test('a callback entry takes the agent in its place', async (t) => {
  const cb = entry('cb', 'pens', { enteredAt: 10, kind: 'callback', recall })
  const later = entry('later', 'pens', { enteredAt: 20 })
  t.same(planAssignments([later, cb], [agentRec('a', ['pens'])], { sections: [], now: 100 }), [{ callId: 'cb', section: 'pens', agentId: 'a' }])
})

t.test('a callback waiting to retry is skipped until notBefore, keeps its place and times the next dispatch', async (t) => {
  const cb = entry('cb', 'pens', { enteredAt: 10, kind: 'callback', recall, notBefore: 500 })
  const later = entry('later', 'pens', { enteredAt: 20 })
  const agents = [agentRec('a', ['pens'])]
  t.same(planAssignments([cb, later], agents, { sections: [], now: 100 }), [{ callId: 'later', section: 'pens', agentId: 'a' }], 'the caller behind is served meanwhile')
  t.same(planAssignments([cb, later], agents, { sections: [], now: 500 }), [{ callId: 'cb', section: 'pens', agentId: 'a' }], 'due again: first in its place')
  t.equal(callersAhead([cb, later], 'later', { sections: [], now: 100, agents }), 1, 'still ahead of the later caller')
  t.equal(nextRoutingChange([cb, later], [], 100), 500)
  t.equal(nextRoutingChange([cb, later], [], 500), undefined)
})
