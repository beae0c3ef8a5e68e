import { Writable } from 'node:stream'
import t from 'tap'
import { createLogger } from '../../src/domain/log.js'
import { maskPhone, redactText, redactValue } from '../../src/domain/redact.js'

t.test('phone numbers keep only their last three digits', async (t) => {
  t.equal(maskPhone('+393331234567'), '+*********567')
  t.equal(redactText('call from +39 333 1234567 to 803164'), 'call from +*********567 to ***164')
  t.equal(redactText('dial PJSIP/0612345678@trunk'), 'dial PJSIP/*******678@trunk')
  t.equal(redactText('short 12345 stays'), 'short 12345 stays', 'five digits are not a phone number')
})

t.test('Asterisk unique ids stay readable, a number glued to one does not', async (t) => {
  t.equal(redactText('channel 1795426752.17 hung up'), 'channel 1795426752.17 hung up')
  t.equal(redactText('1795426752.1'), '1795426752.1')
  t.equal(redactText('3331234567'), '*******567', 'ten digits without a dot are a number')
  t.equal(redactText('1.3331234567'), '1.*******567', 'a dot before does not make it an id')
})

t.test('fiscal codes are masked, omocodia letters included', async (t) => {
  t.equal(redactText('cf RSSMRA85T10A562S ok'), 'cf RSS************* ok')
  t.equal(redactText('RSSMRA85T10A56NS'), 'RSS*************')
})

t.test('records: nested strings redacted, secret keys hidden, errors kept readable', async (t) => {
  const err = new Error('no route to +393331234567')
  const out = redactValue({ from: '+393331234567', nested: [{ digits: '12345678', n: 3 }], err, pin: null }) as Record<string, unknown>
  t.same(out, {
    from: '+*********567',
    nested: [{ digits: '[redacted]', n: 3 }],
    err: { type: 'Error', message: 'no route to +*********567', code: undefined },
    pin: null,
  })
})

t.test('the logger writes redacted records', async (t) => {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString())
      cb()
    },
  })
  const log = createLogger({ level: 'info', destination: sink })
  log.info({ caller: '+393331234567', collected: '99887766' }, 'caller +393331234567 typed')
  await new Promise((r) => setImmediate(r))
  const rec = JSON.parse(lines.join('')) as Record<string, unknown>
  t.equal(rec.caller, '+*********567')
  t.equal(rec.collected, '[redacted]')
  t.equal(rec.msg, 'caller +*********567 typed')
  t.notMatch(lines.join(''), /3331234567|99887766/)
})

t.test('hex ids and versions are not phone numbers', async (t) => {
  t.equal(redactText('version 12345896f344'), 'version 12345896f344')
  t.equal(redactText('engine 86acab44-010a-413f-b123-952b03b45aaa'), 'engine 86acab44-010a-413f-b123-952b03b45aaa')
  t.equal(redactText('tel:+393331234567;x'), 'tel:+*********567;x')
})
