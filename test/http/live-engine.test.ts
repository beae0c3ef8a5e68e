/**
 * The people's side of a whole engine (bootEngine on the simulator, over real HTTP): the
 * wallboard's live stream shows a caller waiting for an operator and the agents by state, and
 * /metrics answers a Prometheus scrape with the same picture.
 */
import t from 'tap'
import { heard, startHarness } from '../integration/harness.js'
import { waitUntil } from '../helpers/async.js'

t.test('a caller waiting shows on /api/live and in /metrics', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const base = h.engine.apiUrl!
  for (const id of ['op101', 'op102', 'op103']) await h.engine.app.acd.pause(id, 'briefing')

  const ctl = new AbortController()
  t.teardown(() => ctl.abort())
  const res = await fetch(`${base}/api/live`, { headers: { authorization: 'Bearer demo-viewer' }, signal: ctl.signal })
  t.equal(res.status, 200)
  const reader = res.body!.getReader()
  const picture: Record<string, unknown> = {}
  let buf = ''
  let frames = 0
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buf += new TextDecoder().decode(value)
        let i
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i)
          buf = buf.slice(i + 2)
          const data = /^data: (.*)$/m.exec(frame)?.[1]
          if (data) {
            Object.assign(picture, JSON.parse(data))
            frames++
          }
        }
      }
    } catch {
      /* aborted at teardown */
    }
  })()
  await waitUntil(() => frames > 0, 10_000, 'the snapshot')
  t.equal(picture['sections.operators.waiting'], 0)
  t.equal(picture['agents.paused'], 3)

  const caller = h.engine.sim!.placeCall({ from: '+393331118001', to: '803164', script: [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }] })
  await waitUntil(() => picture['sections.operators.waiting'] === 1, 20_000, 'the waiting caller on the live stream')
  t.equal(picture['calls.queue'], 1, 'one call of this engine in a queue')
  t.equal(picture['sections.operators.ewtSec'], null, 'no estimate while every operator is paused (nobody serves the section)')

  const scrape = await (await fetch(`${base}/metrics`)).text()
  t.match(scrape, /^centralino_queue_waiting\{section="operators"\} 1$/m)
  t.match(scrape, /^centralino_calls\{phase="queue"\} 1$/m)
  t.match(scrape, /^centralino_agents\{state="paused"\} 3$/m)
  t.match(scrape, /^centralino_ari_connected 1$/m)
  t.match(scrape, /^nodejs_eventloop_lag_seconds \d/m)
  caller.hangup()
  await caller.done
  await waitUntil(() => picture['sections.operators.waiting'] === 0, 20_000, 'the caller gone from the live stream')
  ctl.abort()
  await pump
})
