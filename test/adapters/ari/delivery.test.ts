import t from 'tap'
import { EventDelivery } from '../../../src/adapters/ari/delivery.js'
import type { AriEvent } from '../../../src/domain/ari-models.js'
import { deferred, settle } from '../../helpers/async.js'
import { captureLog } from './capture-log.js'
import { stasisStart } from './fixtures.js'

const ev = (id: string) => stasisStart(id) as unknown as AriEvent
const idOf = (e: AriEvent) => (e.type === 'StasisStart' ? e.channel.id : e.type)

t.test('handlers get every event in order; a throwing or rejecting one does not stop the others', async (t) => {
  const log = captureLog()
  const d = new EventDelivery(log.logger)
  const seen: string[] = []
  d.onEvent(() => {
    throw new Error('handler bug')
  })
  d.onEvent(async () => {
    throw new Error('async handler bug')
  })
  const off = d.onEvent((e) => seen.push(`b:${idOf(e)}`))
  d.onEvent((e) => seen.push(`c:${idOf(e)}`))
  d.push(ev('1'))
  d.push(ev('2'))
  off()
  d.push(ev('3'))
  await settle()
  t.same(seen, ['b:1', 'c:1', 'b:2', 'c:2', 'c:3'])
  t.equal(log.find(/event handler failed/).length, 6, 'each failure logged (3 sync, 3 async)')
})

t.test('resync: handlers run in order, awaited, while events are held; then the held events, then live', async (t) => {
  const log = captureLog()
  const d = new EventDelivery(log.logger)
  const order: string[] = []
  const gate = deferred<void>()
  d.onEvent((e) => order.push(`ev:${idOf(e)}`))
  d.onResync(async () => {
    order.push('r1:start')
    await gate.promise
    order.push('r1:end')
  })
  d.onResync(async () => {
    order.push('r2:throws')
    throw new Error('list failed')
  })
  d.onResync(async () => {
    order.push('r3')
  })
  d.push(ev('A'))
  const done = d.resync()
  t.ok(d.isResyncing())
  d.push(ev('B'))
  d.push(ev('C'))
  await settle()
  t.same(order, ['ev:A', 'r1:start'], 'B and C are held while r1 runs')
  gate.resolve()
  await done
  t.notOk(d.isResyncing())
  d.push(ev('D'))
  t.same(order, ['ev:A', 'r1:start', 'r1:end', 'r2:throws', 'r3', 'ev:B', 'ev:C', 'ev:D'])
  t.equal(log.find(/resync handler failed/).length, 1)
})

t.test('a resync asked for while one runs runs the handlers again before delivering', async (t) => {
  const d = new EventDelivery(captureLog().logger)
  const order: string[] = []
  const gates = [deferred<void>(), deferred<void>()]
  let run = 0
  d.onEvent((e) => order.push(`ev:${idOf(e)}`))
  d.onResync(async () => {
    const n = run++
    order.push(`resync:${n}`)
    await gates[n]?.promise
  })
  const first = d.resync()
  await settle()
  t.same(order, ['resync:0'])
  d.push(ev('A'))
  const second = d.resync()
  t.equal(second, first, 'the same run')
  gates[0]!.resolve()
  await settle()
  t.same(order, ['resync:0', 'resync:1'], 'A still held during the second pass')
  gates[1]!.resolve()
  await first
  t.same(order, ['resync:0', 'resync:1', 'ev:A'])
})

t.test('dispose drops held events and delivers nothing more', async (t) => {
  const d = new EventDelivery(captureLog().logger)
  const seen: string[] = []
  const gate = deferred<void>()
  d.onEvent((e) => seen.push(idOf(e)))
  const off = d.onResync(() => gate.promise)
  const done = d.resync()
  d.push(ev('A'))
  d.dispose()
  gate.resolve()
  await done
  d.push(ev('B'))
  off()
  t.same(seen, [])
  await d.resync()
})

t.test('resync after resync, with no handlers or instant ones, never leaves events held', async (t) => {
  const d = new EventDelivery(captureLog().logger)
  const seen: string[] = []
  d.onEvent((e) => seen.push(idOf(e)))
  await d.resync()
  d.push(ev('A'))
  await d.resync()
  d.push(ev('B'))
  d.onResync(async () => undefined)
  await d.resync()
  d.push(ev('C'))
  t.same(seen, ['A', 'B', 'C'])
  t.notOk(d.isResyncing())
})
