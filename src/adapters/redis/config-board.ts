/**
 * The configuration board in Redis, shared by every engine: {P}:cfg:<kind> is a hash with the
 * version (HINCRBY: grows by one per post, whichever engine posts), the text and who posted it,
 * written in one MULTI so a reader never sees a version with another post's text.
 */
import type { ConfigBoard } from '../../domain/config-board.js'
import type { RedisStore } from './store.js'

export function createRedisConfigBoard(store: RedisStore): ConfigBoard {
  const c = store.client
  return {
    async post(kind, text, by) {
      const key = store.keys.config(kind)
      const r = await c.multi().hincrby(key, 'version', 1).hset(key, 'text', text, 'by', by).exec()
      const err = r?.find(([e]) => e)?.[0]
      if (err) throw err
      return Number(r![0]![1])
    },
    async latest(kind) {
      const h = await c.hgetall(store.keys.config(kind))
      if (!h.version || h.text === undefined) return undefined
      return { version: Number(h.version), text: h.text, by: h.by ?? '' }
    },
  }
}
