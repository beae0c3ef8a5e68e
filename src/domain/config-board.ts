/**
 * Where an engine posts a configuration it changed through the API, for the other engines
 * serving the same national queues (src/acd/config-sync.ts): the whole text of the file and a
 * version number that only grows. In Redis when engines share one; in memory otherwise (one
 * engine: nobody else to tell).
 */
export interface PostedConfig {
  version: number
  text: string
  /** Who changed it (user), for the followers' logs. */
  by: string
}

export interface ConfigBoard {
  /** Posts a new text of `kind` (e.g. 'sections'); returns its version. */
  post(kind: string, text: string, by: string): Promise<number>
  /** The newest text of `kind`, if any was posted. */
  latest(kind: string): Promise<PostedConfig | undefined>
}
