/** Simulated PJSIP phones dialed with create + dial, originate with AMD, and bridging a caller. */
import t from 'tap'
import { Events, ari, isType, startTestSim, type Ev } from './helpers.js'

const dialed = (ev: Events, id: string) => ev.list.filter((e) => e.type === 'Dial' && (e.peer as { id: string }).id === id).map((e) => e.dialstatus)

async function createAndDial(base: string, ev: Events, endpoint: string, id: string, timeout?: string): Promise<void> {
  const c = await ari(base, 'POST', '/channels/create', { endpoint, app: 'centralino', appArgs: 'agent', channelId: id })
  if (c.status !== 200) throw new Error(`create ${c.status} ${JSON.stringify(c.json)}`)
  await ev.waitFor(isType('StasisStart', id))
  const d = await ari(base, 'POST', `/channels/${id}/dial`, timeout ? { timeout } : {})
  if (d.status !== 204) throw new Error(`dial ${d.status}`)
}

t.test('an agent phone answers after a delay', async (t) => {
  const sim = await startTestSim({ phones: (ep) => (ep === 'PJSIP/op101' ? { answerAfterMs: 2000 } : undefined) })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await createAndDial(sim.url, ev, 'PJSIP/op101', 'leg-1', '20')
  const up = await ev.waitFor((e) => e.type === 'ChannelStateChange' && e.channel?.state === 'Up')
  t.match(up.channel?.name, /^PJSIP\/op101-[0-9a-f]{8}$/)
  await ev.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'ANSWER')
  t.same(dialed(ev, 'leg-1'), ['', 'RINGING', 'ANSWER'])
  const first = ev.list.find((e) => e.type === 'Dial')!
  t.equal(first.dialstring, 'op101')
  t.equal(ev.list.filter((e) => e.type === 'Dial')[1]!.dialstring, '', 'later Dial events have an empty dialstring')
  await ari(sim.url, 'DELETE', '/channels/leg-1')
  const gone = await ev.waitFor(isType('ChannelDestroyed', 'leg-1'))
  t.match(gone, { cause: 16, cause_txt: 'Normal Clearing' })
})

t.test('a phone that does not answer is hung up by the dial timeout (cause 19, no final Dial)', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  sim.setPhone('PJSIP/op102', { noAnswer: true })
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await createAndDial(sim.url, ev, 'PJSIP/op102', 'leg-2', '2')
  const hr = await ev.waitFor(isType('ChannelHangupRequest', 'leg-2'))
  t.match(hr, { cause: 32, soft: true })
  const gone = await ev.waitFor(isType('ChannelDestroyed', 'leg-2'))
  t.match(gone, { cause: 19, cause_txt: 'User alerting, no answer' })
  t.same(dialed(ev, 'leg-2'), ['', 'RINGING'])
  t.same(ev.types('leg-2').slice(-4), ['ChannelHangupRequest', 'StasisEnd', 'ChannelVarset', 'ChannelDestroyed'])
})

t.test('a busy phone: Dial BUSY then the far end hangs up with 17', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  sim.setPhone('PJSIP/op103', { busy: true })
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  await createAndDial(sim.url, ev, 'PJSIP/op103', 'leg-3', '20')
  const gone = await ev.waitFor(isType('ChannelDestroyed', 'leg-3'))
  t.match(gone, { cause: 17, cause_txt: 'User busy' })
  t.same(dialed(ev, 'leg-3'), ['', 'BUSY'])
  t.match(ev.list.find(isType('ChannelHangupRequest', 'leg-3')), { cause: 17 })
})

t.test('unknown and unreachable endpoints cannot be allocated', async (t) => {
  const sim = await startTestSim()
  t.teardown(() => sim.close())
  sim.setPhone('PJSIP/op104', { unreachable: true })
  for (const endpoint of ['PJSIP/nobody', 'PJSIP/op104']) {
    const r = await ari(sim.url, 'POST', '/channels/create', { endpoint, app: 'centralino' })
    t.equal(r.status, 500, endpoint)
    t.same(r.json, { error: 'Allocation failed' })
    const o = await ari(sim.url, 'POST', '/channels', { endpoint, app: 'centralino' })
    t.equal(o.status, 500)
  }
  t.equal(sim.channelCount(), 0)
})

t.test('campaign originate into centralino-amd: machine, human and silence', async (t) => {
  const sim = await startTestSim({
    phones: (ep) => {
      if (ep === 'PJSIP/3330000001@trunk') return { answerAfterMs: 500, machine: true }
      if (ep === 'PJSIP/3330000002@trunk') return { answerAfterMs: 500 }
      if (ep === 'PJSIP/3330000003@trunk') return { answerAfterMs: 500, silent: true }
      return undefined
    },
  })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const expected: Array<[string, string, string]> = [
    ['3330000001', 'MACHINE', 'LONGGREETING-1500-1500'],
    ['3330000002', 'HUMAN', 'HUMAN-800-800'],
    ['3330000003', 'NOTSURE', 'TOOLONG-4900'],
  ]
  for (const [num] of expected) {
    const r = await ari(sim.url, 'POST', '/channels', { endpoint: `PJSIP/${num}@trunk`, context: 'centralino-amd', extension: 's', priority: '1', channelId: `amd-${num}` })
    t.equal(r.status, 200)
    t.match((r.json as { name: string }).name, /^PJSIP\/trunk-/)
  }
  for (const [num, status, cause] of expected) {
    const s: Ev = await ev.waitFor(isType('StasisStart', `amd-${num}`), 15_000)
    t.same(s.args, ['amd', status, cause], num)
    const v = await ari(sim.url, 'GET', `/channels/amd-${num}/variable`, { variable: 'AMDSTATUS' })
    t.same(v.json, { value: status })
    await ari(sim.url, 'DELETE', `/channels/amd-${num}`)
  }
})

t.test('a caller bridged with an agent: both in one mixing bridge, BRIDGEPEER set, caller told', async (t) => {
  const sim = await startTestSim({ phones: () => ({ answerAfterMs: 300 }) })
  t.teardown(() => sim.close())
  const ev = await Events.open(sim.url, 'centralino')
  t.teardown(() => ev.close())
  const call = sim.placeCall({ from: '3331234567', to: '803164', script: [{ waitFor: 'bridged' }, { wait: 500 }, { hangup: true }] })
  const start = await ev.waitFor(isType('StasisStart'))
  const caller = start.channel!.id
  await ari(sim.url, 'POST', `/channels/${caller}/answer`)
  await createAndDial(sim.url, ev, 'PJSIP/op101', 'agent-1', '20')
  await ev.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'ANSWER')
  t.equal((await ari(sim.url, 'POST', '/bridges', { type: 'mixing', bridgeId: 'br-1' })).status, 200)
  t.equal((await ari(sim.url, 'POST', '/bridges/br-1/addChannel', { channel: `${caller},agent-1` })).status, 204)
  const b = await ari(sim.url, 'GET', '/bridges/br-1')
  t.same((b.json as { channels: string[] }).channels, [caller, 'agent-1'])
  const peer = await ev.waitFor((e) => e.type === 'ChannelVarset' && e.variable === 'BRIDGEPEER' && e.channel?.id === caller)
  t.match(peer.value, /^PJSIP\/op101-/)
  const res = await call.done
  t.equal(res.bridgedWith, 'PJSIP/op101')
  await ev.waitFor((e) => e.type === 'ChannelLeftBridge' && e.channel?.id === caller)
  t.equal(ev.list.filter((e) => e.type === 'ChannelEnteredBridge').length, 2)
  t.notOk(ev.list.some((e) => e.type === 'BridgeCreated'), 'no BridgeCreated: the app was not subscribed to the bridge yet')
})
