/** Lookups shared by the channel and bridge routes, with ARI's error replies. */
import type { Sim } from '../core.js'
import type { Channel } from '../model/channel.js'
import { controlOf, type StasisControl } from '../stasis.js'
import { err, type ApiResult } from './types.js'

/** find_control: 404 when the channel does not exist, 409 when it is not in Stasis. */
export function findControl(sim: Sim, id: string): StasisControl | ApiResult {
  const ch = sim.registry.get(id)
  const c = ch && controlOf(ch)
  if (c) return c
  if (!sim.registry.getByNameOrId(id)) return err(404, 'Channel not found')
  return err(409, 'Channel not in Stasis application')
}

/** channel_state_invalid: Down, Reserved and Ringing channels cannot be operated (412). */
export function stateInvalid(ch: Channel): ApiResult | undefined {
  if (ch.state === 'Down' || ch.state === 'Rsrved' || ch.state === 'Ringing') return err(412, 'Channel in invalid state')
  return undefined
}

export const isResult = (x: unknown): x is ApiResult => typeof x === 'object' && x !== null && 'status' in x && !('ch' in x)
