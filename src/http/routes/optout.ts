/**
 * The opt-out register (national: numbers no campaign may call) over HTTP. Numbers are
 * normalised as the importer does (src/dialer/phone.ts; foreign numbers with their country
 * code are accepted here, so that a request to be left alone is never lost), and those that
 * cannot be read are reported with their position and reason, the others applied.
 * Roles: supervisors and campaign managers only (the register is personal data).
 */
import type { AuditLog } from '../../domain/audit.js'
import { audited } from './audit.js'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CampaignStore } from '../../domain/campaign-store.js'
import { AppError } from '../../domain/errors.js'
import { normalisePhone } from '../../dialer/phone.js'
import { errorResponses } from '../errors.js'

export interface OptOutRoutesOptions {
  store: Pick<CampaignStore, 'addOptOut' | 'removeOptOut' | 'isOptedOut' | 'optOutCount'>
  /** Where register changes are recorded (who, when, which numbers). */
  audit?: AuditLog
  clock?: { now(): number }
}

/** Numbers per request at most (a whole register is loaded in several requests). */
export const MAX_OPTOUT_BATCH = 10_000

const Numbers = Type.Object(
  { numbers: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: MAX_OPTOUT_BATCH, description: 'Phone numbers as people write them (333 123 4567, +39 06 1234567, ...)' }) },
  { additionalProperties: false },
)
const Invalid = Type.Array(Type.Object({ index: Type.Integer({ description: 'Position in numbers' }), value: Type.String(), reason: Type.String() }), {
  description: 'Numbers that could not be read (nothing done for them)',
})

interface Normalised {
  numbers: string[]
  invalid: Array<{ index: number; value: string; reason: string }>
}

function normaliseAll(raw: readonly string[]): Normalised {
  const numbers = new Set<string>()
  const invalid: Normalised['invalid'] = []
  raw.forEach((value, index) => {
    const r = normalisePhone(value, { foreign: 'accept' })
    if (r.ok) numbers.add(r.e164)
    else invalid.push({ index, value, reason: r.reason })
  })
  return { numbers: [...numbers], invalid }
}

export const optOutRoutes: FastifyPluginAsyncTypebox<OptOutRoutesOptions> = async (app, { store, audit, clock }) => {
  const now = () => clock?.now() ?? Date.now()
  const tags = ['opt-out']
  const config = { roles: ['supervisor', 'campaign_manager'] as const }

  app.post(
    '/api/optout',
    {
      config,
      schema: {
        tags,
        summary: 'Add numbers to the opt-out register (never called by any campaign; checked at import and before each dial)',
        body: Numbers,
        response: { 200: Type.Object({ added: Type.Integer({ description: 'Numbers not registered before' }), already: Type.Integer(), invalid: Invalid }), ...errorResponses },
      },
    },
    async (req) => {
      const n = normaliseAll(req.body.numbers)
      const added = n.numbers.length > 0 ? await store.addOptOut(n.numbers) : 0
      if (n.numbers.length > 0) await audited(audit, req, now(), 'optout.add', 'optout', undefined, { numbers: n.numbers, added })
      return { added, already: n.numbers.length - added, invalid: n.invalid }
    },
  )

  app.delete(
    '/api/optout',
    {
      config,
      schema: {
        tags,
        summary: 'Remove numbers from the opt-out register',
        body: Numbers,
        response: { 200: Type.Object({ removed: Type.Integer(), notRegistered: Type.Integer(), invalid: Invalid }), ...errorResponses },
      },
    },
    async (req) => {
      const n = normaliseAll(req.body.numbers)
      const removed = n.numbers.length > 0 ? await store.removeOptOut(n.numbers) : 0
      if (n.numbers.length > 0) await audited(audit, req, now(), 'optout.remove', 'optout', { numbers: n.numbers }, { removed })
      return { removed, notRegistered: n.numbers.length - removed, invalid: n.invalid }
    },
  )

  app.get(
    '/api/optout',
    { config, schema: { tags, summary: 'How many numbers the register holds', response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses } } },
    async () => ({ count: await store.optOutCount() }),
  )

  app.get(
    '/api/optout/:number',
    {
      config,
      schema: {
        tags,
        summary: 'Whether a number is in the register (the number normalised: +39..., or URL-encoded as people write it)',
        params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: { 200: Type.Object({ number: Type.String({ description: 'E.164' }), optedOut: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      const r = normalisePhone(req.params.number, { foreign: 'accept' })
      if (!r.ok) throw new AppError('BAD_REQUEST', `invalid number: ${r.reason}`, { errors: [{ path: '/params/number', message: r.reason }] })
      return { number: r.e164, optedOut: (await store.isOptedOut([r.e164])).has(r.e164) }
    },
  )
}
