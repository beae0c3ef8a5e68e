import t from 'tap'
import { callersAhead, planAssignments } from '../../src/acd/routing.js'
import { agentRec, entry } from '../helpers/acd-fixtures.js'

t.test('the longest-idle ready agent of the section takes the first caller', async (t) => {
  const plan = planAssignments(
    [entry('c1', 'pens', { enteredAt: 10 }), entry('c2', 'pens', { enteredAt: 5 })],
    [agentRec('a', ['pens'], { idleSince: 300 }), agentRec('b', ['pens'], { idleSince: 100 }), agentRec('c', ['pens'], { state: 'paused', idleSince: 1 })],
  )
  t.same(plan, [
    { callId: 'c2', section: 'pens', agentId: 'b' },
    { callId: 'c1', section: 'pens', agentId: 'a' },
  ])
})

t.test('priority beats time; agents only serve their sections', async (t) => {
  const plan = planAssignments(
    [entry('old', 'pens', { enteredAt: 1 }), entry('vip', 'pens', { enteredAt: 50, priority: 5 }), entry('inc', 'income', { enteredAt: 0 })],
    [agentRec('a', ['pens'], { idleSince: 5 })],
  )
  t.same(plan, [{ callId: 'vip', section: 'pens', agentId: 'a' }])
})

t.test('an agent in two sections goes to the best caller among them', async (t) => {
  const plan = planAssignments(
    [entry('p', 'pens', { enteredAt: 20 }), entry('i', 'income', { enteredAt: 10 })],
    [agentRec('a', ['pens', 'income'])],
  )
  t.same(plan, [{ callId: 'i', section: 'income', agentId: 'a' }])
})

t.test('offered entries and busy agents are skipped; nothing to do without ready agents', async (t) => {
  t.same(planAssignments([entry('c', 's')], [agentRec('a', ['s'], { state: 'on_call' })]), [])
  t.same(planAssignments([entry('c', 's', { status: 'offered' })], [agentRec('a', ['s'])]), [])
  t.same(planAssignments([], [agentRec('a', ['s'])]), [])
})

t.test('callers ahead counts by service order', async (t) => {
  const es = [entry('a', 's', { enteredAt: 3 }), entry('b', 's', { enteredAt: 1 }), entry('c', 's', { enteredAt: 2, priority: 1 })]
  t.equal(callersAhead(es, 'c'), 0)
  t.equal(callersAhead(es, 'b'), 1)
  t.equal(callersAhead(es, 'a'), 2)
  t.equal(callersAhead(es, 'zz'), undefined)
})
