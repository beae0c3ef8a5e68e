import t from 'tap'
import { isE164, normalisePhone } from '../../src/dialer/phone.js'

const ok = (raw: string, opts?: Parameters<typeof normalisePhone>[1]) => {
  const r = normalisePhone(raw, opts)
  return r.ok ? r.e164 : `ERR ${r.reason}`
}

t.test('Italian mobiles in the ways people write them', async (t) => {
  for (const raw of ['333 123 4567', '+39 333-1234567', '0039 3331234567', '3331234567', '+393331234567', ' 333.123.45.67 ', '(333) 1234567', '393331234567', '+39\u00a0333\u00a01234567'])
    t.equal(ok(raw), '+393331234567', raw)
  t.equal(ok('331234567'), '+39331234567', 'a 9-digit (old TIM) mobile')
  t.equal(ok('3931234567'), '+393931234567', '393 is a mobile prefix, not the country code')
  const r = normalisePhone('3331234567')
  t.same(r, { ok: true, e164: '+393331234567', kind: 'mobile' })
})

t.test('landlines keep their leading 0', async (t) => {
  t.equal(ok('06 1234567'), '+39061234567')
  t.equal(ok('+39 06 1234567'), '+39061234567')
  t.equal(ok('0039 02-12345678'), '+390212345678')
  t.equal(ok('39061234567'), '+39061234567', 'country code without + before a landline')
  t.equal(ok('0471 123'), '+390471123', '7 digits: short landlines exist')
  t.equal(ok('012345'), '+39012345', '6 digits is the shortest landline')
  t.same(normalisePhone('06 1234567'), { ok: true, e164: '+39061234567', kind: 'landline' })
})

t.test('refused, with reasons', async (t) => {
  t.equal(ok(''), 'ERR missing number')
  t.equal(ok('   '), 'ERR missing number')
  t.equal(ok('333 1234567 ore pasti'), 'ERR contains letters')
  t.equal(ok('333123456x7'), 'ERR contains letters')
  t.equal(ok('333#1234567'), 'ERR unexpected characters')
  t.equal(ok('33+31234567'), 'ERR unexpected characters')
  t.match(ok('33312345'), /too short for a mobile number \(8 digits/)
  t.match(ok('33312345678'), /too long for a mobile number \(11 digits/)
  t.match(ok('06123'), /too short for a landline/)
  t.match(ok('061234567890'), /too long for a landline/)
  t.match(ok('899 123456'), /premium-rate number \(899/)
  t.match(ok('892 892'), /premium-rate/)
  t.match(ok('144 123456'), /premium-rate number \(144/)
  t.match(ok('166 123456'), /premium-rate number \(166/)
  t.match(ok('800 123456'), /toll-free or shared-cost/)
  t.match(ok('848 123456'), /toll-free or shared-cost/)
  t.match(ok('4 1234567'), /network service number/)
  t.match(ok('112'), /short or emergency number/)
  t.match(ok('+39 555 1234567'), /not an Italian mobile \(3…\) or landline \(0…\)/)
  t.match(ok('+'), /unexpected characters/)
  t.match(ok('00'), /too short/)
  t.match(ok('+0123456789'), /invalid country code/)
})

t.test('foreign numbers: refused by default, accepted as E.164 on request', async (t) => {
  t.match(ok('+44 20 7946 0958'), /foreign number \(\+442…\) not accepted/)
  t.match(ok('0044 20 7946 0958'), /foreign number/)
  t.match(ok('+378 0549 123456'), /foreign number/, 'San Marino is foreign')
  t.equal(ok('+44 20 7946 0958', { foreign: 'accept' }), '+442079460958')
  t.equal(ok('0049 30 1234567', { foreign: 'accept' }), '+49301234567')
  t.match(ok('+44 123', { foreign: 'accept' }), /too short for an international number/)
  t.match(ok('+44 1234567890123456', { foreign: 'accept' }), /too long for an international number/)
  t.equal(ok('+39 333 1234567', { foreign: 'accept' }), '+393331234567', 'Italian rules still apply to +39')
  t.match(ok('+39 899 123456', { foreign: 'accept' }), /premium/)
  t.same(normalisePhone('+442079460958', { foreign: 'accept' }), { ok: true, e164: '+442079460958', kind: 'foreign' })
})

t.test('isE164', async (t) => {
  t.ok(isE164('+393331234567'))
  t.notOk(isE164('3331234567'))
  t.notOk(isE164('+0393331234567'))
  t.notOk(isE164('+1234567'))
})
