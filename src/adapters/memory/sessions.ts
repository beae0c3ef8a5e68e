/** Login sessions and failed-login counts in this engine's memory (the embedded default). */
import type { Principal } from '../../http/auth.js'
import type { SessionStore } from '../../domain/sessions.js'

export function createMemorySessionStore(): SessionStore {
  const sessions = new Map<string, { principal: Principal; until: number }>()
  const failures = new Map<string, number[]>()
  const recent = (key: string, now: number, windowMs: number) => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - windowMs)
    if (list.length > 0) failures.set(key, list)
    else failures.delete(key)
    return list
  }
  return {
    async put(key, principal, until) {
      sessions.set(key, { principal: { ...principal }, until })
    },
    async get(key, now) {
      const s = sessions.get(key)
      if (!s) return undefined
      if (s.until <= now) {
        sessions.delete(key)
        return undefined
      }
      return { ...s.principal }
    },
    async delete(key) {
      return sessions.delete(key)
    },
    async fail(key, now, windowMs) {
      failures.set(key, [...recent(key, now, windowMs), now])
    },
    async failures(key, now, windowMs) {
      return [...recent(key, now, windowMs)]
    },
    async clearFailures(key) {
      failures.delete(key)
    },
  }
}
