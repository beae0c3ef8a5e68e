/**
 * Hang up from the desk: the operator on the call ends it over HTTP; the caller's channel goes,
 * call.ended says who, the operator is freed; a second hang-up finds no call.
 */
import t from 'tap'
import { waitUntil } from '../helpers/async.js'
import { heard, startHarness } from './harness.js'

t.test('the operator hangs the caller up over HTTP', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const sim = h.engine.sim!
  for (const id of ['op101', 'op103']) await h.engine.app.acd.pause(id, 'meeting') // op102 answers the switchboard
  const a = sim.placeCall({ from: '+393331110099', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }, { waitFor: 'bridged', timeoutMs: 30_000 }, { wait: 120_000 }] })
  const op = await h.waitEvent(a.channelId, 'queue.connected')
  t.equal(op.agentId, 'op102')
  const hangup = (token: string) => fetch(`${h.engine.apiUrl}/api/calls/${encodeURIComponent(a.channelId)}/hangup`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  t.equal((await hangup('demo-op101')).status, 403, 'another operator may not')
  t.equal((await hangup('demo-op102')).status, 200)
  const ended = await h.waitEvent(a.channelId, 'call.ended')
  t.equal(ended.reason, 'hung up by op102')
  const result = await a.done
  t.ok(result, 'the caller was hung up')
  await waitUntil(async () => /^(wrap_up|ready)$/.test((await h.store.agents.get('op102'))?.state ?? ''), 10_000, 'op102 freed')
  t.equal((await hangup('demo-supervisor')).status, 404, 'no call any more')
})
