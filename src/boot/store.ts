/**
 * The engine's Store from its configuration: the in-memory store (one engine) or the Redis
 * store shared by every engine of the national number (store.kind: redis, store.url,
 * store.prefix). A Redis store must answer within readyTimeoutMs at boot, or the engine does
 * not start (STORE_UNAVAILABLE): once running, it rides out outages (see adapters/redis/store.ts).
 */
import { createMemoryStore } from '../adapters/memory/store.js'
import { createMemoryCampaignStore } from '../adapters/memory/campaigns.js'
import { createRedisCampaignStore } from '../adapters/redis/campaigns.js'
import { createRedisStore, isRedisStore } from '../adapters/redis/store.js'
import type { Clock } from '../domain/clock.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import type { EngineConfig } from '../config/engine.js'
import { AppError, errorMessage } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'

export interface OpenStoreOptions {
  /** How long to wait for Redis to answer at boot (default 10 s). */
  readyTimeoutMs?: number
}

export async function openStore(cfg: EngineConfig['store'], log: Logger, o: OpenStoreOptions = {}): Promise<Store> {
  if (cfg.kind === 'memory') return createMemoryStore()
  const store = createRedisStore({ url: cfg.url, prefix: cfg.prefix, log: log.child({ component: 'redis' }) })
  const timeoutMs = o.readyTimeoutMs ?? 10_000
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      store.ready(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } catch (err) {
    store.client.disconnect()
    throw new AppError('STORE_UNAVAILABLE', `Redis store unreachable: ${errorMessage(err)}`, undefined, { cause: err })
  } finally {
    clearTimeout(timer)
  }
  log.info({ prefix: cfg.prefix }, 'Redis store connected')
  return store
}

/** The campaigns live beside the rest of the state: in the shared Redis (same client and prefix) when the engine has one, else in memory. */
export function campaignStoreFor(store: Store, clock: Clock): CampaignStore {
  return isRedisStore(store) ? createRedisCampaignStore(store) : createMemoryCampaignStore(clock)
}
