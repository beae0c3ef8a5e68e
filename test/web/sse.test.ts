/**
 * The pages' Server-Sent Events parser (src/web/lib/sse.ts): frames as the server writes them
 * (src/http/live.ts sseFrame), split anywhere across reads, CRLF line ends, multi-line data,
 * comments, and the retry field.
 */
import t from 'tap'
import { parseSse } from '../../src/web/lib/sse.js'
import { sseFrame } from '../../src/http/live.js'

t.test('frames written by the hub are read back whole, whatever the read boundaries', async (t) => {
  const stream = 'retry: 2000\n\n' + sseFrame('r1.4', 'snapshot', { 'sections.pensions.waiting': 3 }) + sseFrame('r1.5', 'delta', { 'agents.ready': null })
  for (let cut = 0; cut <= stream.length; cut += 7) {
    const a = parseSse(stream.slice(0, cut))
    const b = parseSse(a.rest + stream.slice(cut))
    const events = [...a.events, ...b.events]
    t.same(
      events.map((e) => [e.id, e.event, e.data, e.retry]),
      [
        [undefined, 'retry', '', 2000],
        ['r1.4', 'snapshot', '{"sections.pensions.waiting":3}', undefined],
        ['r1.5', 'delta', '{"agents.ready":null}', undefined],
      ],
      `cut at ${cut}`,
    )
    t.equal(b.rest, '')
  }
})

t.test('CRLF, comments, multi-line data and a field without a value', async (t) => {
  const r = parseSse(': keep-alive\r\n\r\nevent: note\r\ndata: one\r\ndata: two\r\ndata\r\n\r\nid: 9\ndata: x')
  t.same(r.events, [{ id: undefined, event: 'note', data: 'one\ntwo\n' }])
  t.equal(r.rest, 'id: 9\ndata: x', 'an unfinished frame waits for its blank line')
})
