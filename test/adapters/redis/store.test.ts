import t from 'tap'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { storeContract } from '../../helpers/store-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  storeContract(t, async () => createRedisStore({ url: redis.url, prefix: `contract${++n}` }))
}
