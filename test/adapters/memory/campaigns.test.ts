import t from 'tap'
import { createMemoryCampaignStore } from '../../../src/adapters/memory/campaigns.js'
import { SimClock } from '../../../src/domain/clock.js'
import { campaign, campaignStoreContract, contact } from '../../helpers/campaign-store-contract.js'

campaignStoreContract(t, async () => {
  const s = createMemoryCampaignStore()
  return { a: s, b: s }
})

t.test('put without a time takes the clock\'s', async (t) => {
  const clock = new SimClock(Date.UTC(2026, 0, 5, 9))
  const s = createMemoryCampaignStore(clock)
  await s.put(campaign('c1'))
  t.equal((await s.get('c1'))?.createdAt, clock.now())
})

t.test('returned records are copies', async (t) => {
  const s = createMemoryCampaignStore()
  await s.put(campaign('c1'), 1)
  await s.addContacts('c1', [contact(1)])
  const c = (await s.getContact('c1', contact(1).id))!
  c.lines.push(99)
  c.fields.x = 'y'
  const r = (await s.get('c1'))!
  r.history.push({ status: 'running', at: 2 })
  t.same((await s.getContact('c1', contact(1).id))?.lines, [2])
  t.same((await s.get('c1'))?.history.length, 1)
})
