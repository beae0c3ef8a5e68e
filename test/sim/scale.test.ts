/**
 * 1,000 concurrent channels: the work done per event (recipient checks) does not grow with
 * the number of channels. Asserts counts of work, never time.
 */
import t from 'tap'
import { Events, ari, startTestSim } from './helpers.js'

t.test('per-event work does not depend on the number of live channels', async (t) => {
  const sim = await startTestSim({}, 5)
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const bus = sim.internals().sim.bus
  const place = (n: number) => Array.from({ length: n }, (_, i) => sim.placeCall({ from: `33300${i}`, to: '803164' }))
  const starts = () => ev.list.filter((e) => e.type === 'StasisStart').length

  const measure = async (channelId: string): Promise<number> => {
    const before = bus.stats.recipientChecks
    for (let i = 0; i < 20; i++) await ari(sim.url, 'POST', `/channels/${channelId}/variable`, { variable: 'X', value: String(i) })
    return (bus.stats.recipientChecks - before) / 20
  }

  const few = place(10)
  await ev.waitFor(() => starts() === 10, 20_000)
  const small = await measure(few[0]!.channelId)

  place(990)
  await ev.waitFor(() => starts() === 1000, 60_000)
  t.equal(sim.channelCount(), 1000)
  const large = await measure(few[0]!.channelId)
  t.equal(large, small, `recipient checks per event: ${small} with 10 channels, ${large} with 1000`)
  t.equal(small, 1, 'one subscribed app, one check')
  const list = await ari(sim.url, 'GET', '/channels')
  t.equal((list.json as unknown[]).length, 1000)
})
