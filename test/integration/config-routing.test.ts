/**
 * A configuration change through the API is used by routing without a restart: a caller
 * waits in contributions with every agent who may take it paused; a supervisor gives op101
 * (an operator, no contributions skill) the skill; op101 is given the caller at once, and the
 * sections file holds the change for the next start.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { heard, startHarness } from './harness.js'

t.test("a caller waiting in a section is given to an agent who just got the section's skill", async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const acd = h.engine.app.acd
  // Every agent who may take a contributions caller (members, or holding the skill at any level).
  for (const id of ['op201', 'op202', 'op302', 'op401']) t.ok(await acd.pause(id, 'meeting'), `${id} paused`)

  const call = h.engine.sim!.placeCall({ from: '+393331112222', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '3' }] })
  const entered = await h.waitEvent(call.channelId, 'queue.entered')
  t.equal(entered.section, 'contributions')
  t.match(await h.store.queues.get(call.channelId), { status: 'waiting' }, 'nobody may take it')
  t.notOk((await h.eventsOf(call.channelId)).some((e) => e.type === 'agent.offered'), 'not offered to anyone')

  const r = await fetch(`${h.engine.apiUrl}/api/agents/op101/profile`, {
    method: 'PUT',
    headers: { authorization: 'Bearer demo-supervisor', 'content-type': 'application/json' },
    body: JSON.stringify({ skills: { pensions: 3, contributions: 4 } }),
  })
  t.equal(r.status, 200)
  const connected = await h.waitEvent(call.channelId, 'queue.connected')
  t.equal(connected.agentId, 'op101', 'the agent who just got the skill takes the caller')
  t.ok(connected.waitMs < 600_000, 'before the overflow to the operators could have given it to op101 anyway')
  const file = readFileSync(path.join(h.dir, 'config/sections.yaml'), 'utf8')
  t.match(file, /- id: op101\n(\s+\w+: .*\n)*?\s+skills: \{ pensions: 3, contributions: 4 \}/, 'the sections file holds the change')
  t.match(file, /^# Sections \(the operators' switchboard/, 'its comments are kept')
})
