/** The configuration board in memory: engines built on one memory store share it (tests). */
import type { ConfigBoard, PostedConfig } from '../../domain/config-board.js'

export function createMemoryConfigBoard(): ConfigBoard {
  const posts = new Map<string, PostedConfig>()
  return {
    async post(kind, text, by) {
      const version = (posts.get(kind)?.version ?? 0) + 1
      posts.set(kind, { version, text, by })
      return version
    },
    async latest(kind) {
      const p = posts.get(kind)
      return p && { ...p }
    },
  }
}
