import t from 'tap'
import { wallboardState } from '../../src/http/wallboard.js'

t.test('the wallboard picture: per section with the estimate a new caller would hear, agents by state, calls by phase', async (t) => {
  const asked: string[] = []
  const state = await wallboardState({
    snapshot: async () => ({
      sections: [
        { id: 'pensions', waiting: 4, offered: 1, longestWaitMs: 125_400 },
        { id: 'operators', waiting: 0, offered: 0, longestWaitMs: 0 },
      ],
      agents: { ready: 2, on_call: 5 },
    }),
    sectionEstimates: async (waiting) => (asked.push(...Object.entries(waiting).map(([id, n]) => `${id}:${n}`)), { pensions: 241.6, operators: undefined }),
    callsByPhase: () => ({ ivr: 12, queue: 4 }),
  })
  t.same(state, {
    'sections.pensions.waiting': 4,
    'sections.pensions.offered': 1,
    'sections.pensions.longestWaitSec': 125,
    'sections.pensions.ewtSec': 242,
    'sections.operators.waiting': 0,
    'sections.operators.offered': 0,
    'sections.operators.longestWaitSec': 0,
    'sections.operators.ewtSec': null,
    'agents.ready': 2,
    'agents.on_call': 5,
    'calls.ivr': 12,
    'calls.queue': 4,
  })
  t.same(asked, ['pensions:4', 'operators:0'], 'every section estimated, in one call, behind the callers the snapshot counted (an empty one with nobody serving has none)')
})
