import t from 'tap'
import { mayDial, parseConsent } from '../../src/dialer/consent.js'

const contact = (over: Partial<{ number: string; consent: boolean; status: 'pending' | 'excluded' }> = {}) => ({ number: '+393331234567', status: 'pending' as const, ...over })

t.test('the check right before each dial', async (t) => {
  const none = new Set<string>()
  t.same(mayDial(contact(), none), { ok: true }, 'consent not stated, not opted out')
  t.same(mayDial(contact({ consent: true }), none), { ok: true })
  t.same(mayDial(contact({ consent: false }), none), { ok: false, reason: 'consent refused' })
  t.same(mayDial(contact({ consent: true }), new Set(['+393331234567'])), { ok: false, reason: 'opted out' }, 'the register wins over a stated consent')
  t.same(mayDial(contact(), (n) => n.endsWith('567')), { ok: false, reason: 'opted out' }, 'a lookup function')
  t.same(mayDial(contact(), new Set(['+393330000000'])), { ok: true }, 'another number opted out')
  t.same(mayDial(contact({ status: 'excluded' }), none), { ok: false, reason: 'excluded' })
  t.same(mayDial(contact({ consent: false, status: 'excluded' }), new Set(['+393331234567'])), { ok: false, reason: 'consent refused' }, 'refused consent is reported first')
})

t.test('consent cells', async (t) => {
  for (const v of ['yes', 'YES', ' si ', 'Sì', 's', '1', 'true', 'True', 'y']) t.equal(parseConsent(v), true, v)
  for (const v of ['no', 'NO', 'n', '0', 'false', 'FALSE']) t.equal(parseConsent(v), false, v)
  for (const v of ['', '  ', undefined]) t.equal(parseConsent(v), undefined, String(v))
  for (const v of ['forse', '2', 'nope', 'si no']) t.equal(parseConsent(v), 'invalid', v)
})
