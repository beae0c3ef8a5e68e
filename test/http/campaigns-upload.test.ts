/**
 * The upload's sink over the store, batch by batch (uploadContacts with small batches): merges
 * into contacts of earlier batches, consent refused on a later row or in a later list for a
 * stored number (the contact is excluded), and a long list streamed
 * through the route a chunk at a time.
 */
import { Readable } from 'node:stream'
import t from 'tap'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import { SimClock } from '../../src/domain/clock.js'
import type { CampaignStore } from '../../src/domain/campaign-store.js'
import { loadCampaign } from '../../src/dialer/campaign-config.js'
import { uploadContacts } from '../../src/http/campaign-upload.js'
import { auth, campaignDefinition as definition, startApi } from './fixture.js'

const config = loadCampaign('config/campaigns/self-employed-info.yaml')

async function storeWithCampaign(): Promise<CampaignStore> {
  const store = createMemoryCampaignStore(new SimClock())
  await store.put(config, 0)
  return store
}

const src = (text: string) => Readable.from([Buffer.from(text)])

const LIST = ['number,name,consent', '3331111111,A,', '3332222222,B,', '3331111111,A2,', '3333333333,C,', '3332222222,B2,no', '3334444444,D,', '3331111111,A3,'].join('\n')

t.test('merges and refusals across batches of 2: a refusal on a later row excludes the contact already stored', async (t) => {
  const store = await storeWithCampaign()
  const rep = await uploadContacts(store, config.id, src(LIST), {}, 2)
  t.match(rep, { rows: 7, imported: 4, merged: 2, rejected: 1, noConsent: 1 })
  t.same(rep.rejectedRows, [{ line: 6, reason: 'consent refused' }])
  t.same((await store.getContact(config.id, '+393331111111'))?.lines, [2, 4, 8], 'lines merged into a contact of an earlier batch')
  t.equal((await store.getContact(config.id, '+393331111111'))?.name, 'A')
  t.same((await store.getContact(config.id, '+393332222222'))?.lines, [3], 'a refused line is not merged')
  t.match(await store.getContact(config.id, '+393332222222'), { consent: false, status: 'excluded' }, 'never to be called')
  t.same(await store.claimDue(config.id, Date.UTC(2030, 0, 1), 10, 'e', 1000).then((cs) => cs.map((c) => c.id).sort()), ['+393331111111', '+393333333333', '+393334444444'])
})

t.test('consent refused in a later list excludes the contact an earlier list stored', async (t) => {
  const store = await storeWithCampaign()
  await uploadContacts(store, config.id, src('number,consent\n3331111111,si\n3332222222,\n'), {}, 10)
  const rep = await uploadContacts(store, config.id, src('number,consent\n3332222222,no\n'), {}, 10)
  t.match(rep, { rows: 1, imported: 0, noConsent: 1 })
  t.match(await store.getContact(config.id, '+393332222222'), { consent: false, status: 'excluded' })
  t.match(await store.getContact(config.id, '+393331111111'), { status: 'pending' }, 'the others untouched')
})

t.test('a refusal inside the same batch excludes the contact before it is stored', async (t) => {
  const store = await storeWithCampaign()
  const rep = await uploadContacts(store, config.id, src('number,consent\n3331111111,\n3331111111,no\n'), {}, 10)
  t.match(rep, { imported: 1, noConsent: 1 })
  t.match(await store.getContact(config.id, '+393331111111'), { consent: false, status: 'excluded' })
})

t.test('20,000 rows streamed through the route in small chunks: every row stored, the duplicates merged', async (t) => {
  const api = await startApi(t)
  const r0 = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: auth('tok-manager'), payload: definition('big') })
  t.equal(r0.statusCode, 201)
  const N = 20_000
  function* chunks() {
    yield Buffer.from('numero;nome\n')
    for (let i = 0; i < N; i += 500) {
      let s = ''
      for (let j = i; j < i + 500; j++) s += `33${String(j % 15_000).padStart(8, '0')};Persona ${j}\n`
      yield Buffer.from(s)
    }
  }
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns/big/contacts', headers: { ...auth('tok-manager'), 'content-type': 'text/csv' }, payload: Readable.from(chunks()) })
  t.equal(r.statusCode, 200, r.body.slice(0, 200))
  t.match(r.json(), { rows: N, imported: 15_000, merged: 5_000, rejected: 0 })
  t.equal((await api.campaigns.counts('big')).pending, 15_000)
  t.same((await api.campaigns.getContact('big', '+393300000007'))?.lines, [9, 15_009])
})
