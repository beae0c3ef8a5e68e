import t from 'tap'
import { DEFAULT_HANDLE_SEC, estimateWait, HandleTimes } from '../../src/acd/ewt.js'
import type { AgentState } from '../../src/domain/acd.js'

const agents = (n: number, handleSec: number, state: AgentState = 'on_call') => Array.from({ length: n }, () => ({ state, handleSec }))

t.test('all agents busy: (ahead + 1) releases at the combined service rate', async (t) => {
  t.equal(estimateWait({ ahead: 0, agents: agents(1, 300) }), 300)
  t.equal(estimateWait({ ahead: 0, agents: agents(5, 300) }), 60, 'five agents free up five times as often')
  t.equal(estimateWait({ ahead: 9, agents: agents(5, 300) }), 600)
  // Mixed speeds: rates add up (1/100 + 1/300 = 1/75).
  t.equal(estimateWait({ ahead: 3, agents: [{ state: 'on_call', handleSec: 100 }, { state: 'wrap_up', handleSec: 300 }] }), 300)
})

t.test('ready agents take callers at once; the position beyond them waits', async (t) => {
  const mix = [...agents(2, 200, 'ready'), ...agents(2, 200, 'on_call')]
  t.equal(estimateWait({ ahead: 0, agents: mix }), 0)
  t.equal(estimateWait({ ahead: 1, agents: mix }), 0)
  t.equal(estimateWait({ ahead: 2, agents: mix }), 50, 'third in line: one release of four agents')
})

t.test('no agent logged in and unpaused: no estimate', async (t) => {
  t.equal(estimateWait({ ahead: 0, agents: [] }), undefined)
  t.equal(estimateWait({ ahead: 3, agents: [...agents(2, 100, 'paused'), ...agents(1, 100, 'logged_out')] }), undefined)
  t.equal(estimateWait({ ahead: 3, agents: [...agents(2, 100, 'paused'), ...agents(1, 100, 'reserved')] }), 400, 'only the present agent counts')
  t.equal(estimateWait({ ahead: 0, agents: agents(1, 0) }), undefined, 'a zero handle time is ignored, not divided by')
})

t.test('cold start: the section prior until calls are measured, then blended, then the measurements', async (t) => {
  const h = new HandleTimes({ sectionWindow: 4, agentWindow: 2 })
  t.equal(h.section('pens'), DEFAULT_HANDLE_SEC)
  t.equal(h.section('pens', 240), 240)
  t.equal(h.agent('pens', 'a1', 240), 240, 'an unmeasured agent: its section')
  h.record('pens', 'a1', 60)
  t.equal(h.section('pens', 240), (240 * 2 + 60) / 3, 'one call does not overrule the prior')
  h.record('pens', 'a1', 60)
  h.record('pens', 'a2', 60)
  h.record('pens', 'a2', 60)
  t.equal(h.section('pens', 240), (240 * 2 + 240) / 6)
  // Rolling window: the oldest measurements leave.
  for (let i = 0; i < 4; i++) h.record('pens', 'a3', 120)
  t.equal(h.section('pens', 240), (240 * 2 + 480) / 6, 'only the last four calls')
  t.equal(h.agent('pens', 'a3', 240), (h.section('pens', 240) * 2 + 240) / 4, "an agent's own last two, blended with its section")
  t.equal(h.section('income', 200), 200, 'sections apart')
  h.record('pens', 'a1', Number.NaN)
  h.record('pens', 'a1', -5)
  t.equal(h.section('pens', 240), (240 * 2 + 480) / 6, 'nonsense ignored')
})
