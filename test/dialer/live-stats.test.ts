/**
 * The live path of predictive pacing: the statistics a runner gathers from the stores (agents
 * of the section, the campaign's shared outcomes, the rolling abandon window) fed to the pacing
 * policy. With enough attempts classified and a 30% live-answer rate, six ready agents get more
 * than six lines; with the abandon window at the ceiling, no more lines than agents.
 */
import t from 'tap'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import type { AcdService } from '../../src/acd/service.js'
import type { DialOutcome } from '../../src/domain/campaign.js'
import { gatherInput, RingTimes } from '../../src/dialer/live-stats.js'
import { decidePacing } from '../../src/dialer/pacing.js'
import { agentRec, section } from '../helpers/acd-fixtures.js'
import { campaign, contact } from '../helpers/campaign-store-contract.js'

const NOW = Date.UTC(2026, 10, 23, 9, 30, 0)

async function world(outcomes: DialOutcome[]) {
  const store = createMemoryStore()
  for (let i = 1; i <= 6; i++) await store.agents.upsert(agentRec(`a${i}`, ['contributions'], { state: 'ready' }))
  await store.agents.upsert(agentRec('a7', ['contributions'], { state: 'on_call', since: NOW - 60_000 }))
  await store.agents.upsert(agentRec('x9', ['pensions'], { state: 'ready' }))
  const campaigns = createMemoryCampaignStore()
  const c = campaign('p1', { mode: 'predictive', section: 'contributions' })
  await campaigns.put(c, NOW - 3600_000)
  await campaigns.addContacts('p1', outcomes.map((_, i) => contact(i)))
  for (const [i, cl] of (await campaigns.claimDue('p1', NOW, outcomes.length, 'e1', 60_000)).entries()) {
    await campaigns.complete('p1', cl.id, 'e1', { outcome: outcomes[i]!, status: 'done', at: NOW - 1000 })
  }
  const acd = { section: () => section('contributions', { wrapUpSec: 10 }), handleTimes: { section: () => 150 } } as unknown as AcdService
  const gather = () => gatherInput({ store, campaigns, acd }, c, { ringing: [], queued: 0, channels: 0 }, new RingTimes(), NOW, 10_000, false)
  return { campaigns, gather }
}

const mix = (reached: number, noAnswer: number, machine: number): DialOutcome[] => [
  ...new Array<DialOutcome>(reached).fill('reached'),
  ...new Array<DialOutcome>(noAnswer).fill('no_answer'),
  ...new Array<DialOutcome>(machine).fill('machine'),
]

t.test('live statistics from the stores: section agents, answer and machine rates', async (t) => {
  const { gather } = await world(mix(30, 50, 20))
  const { input } = await gather()
  t.equal(input.readyAgents, 6, 'ready agents of the campaign section only')
  t.equal(input.busyAgents?.length, 1)
  t.equal(input.samples, 100)
  t.equal(input.answerRate, 0.3)
  t.equal(input.machineRate, 0.2)
})

t.test('predictive with warm statistics dials ahead of the agents; at the abandon ceiling it does not', async (t) => {
  const { campaigns, gather } = await world(mix(30, 50, 20))
  const warm = decidePacing((await gather()).input)
  t.ok(warm.launch > 6, `${warm.launch} calls for 6 ready agents at a 30% answer rate (${warm.reason})`)
  // 100 live answers in the window, 4 abandoned: over the 3% ceiling.
  for (let i = 0; i < 100; i++) await campaigns.recordAnswer('p1', NOW - 60_000, i < 4)
  const capped = decidePacing((await gather()).input)
  t.ok(capped.launch <= 6, `at the ceiling: ${capped.launch} calls, no more than the ready agents (${capped.reason})`)
})

t.test('cold start (too few attempts classified): one line per ready agent', async (t) => {
  const { gather } = await world(mix(3, 5, 2))
  const d = decidePacing((await gather()).input)
  t.equal(d.launch, 6)
})
