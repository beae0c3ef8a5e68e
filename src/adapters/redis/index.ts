/** The Redis store adapter: createRedisStore (store.ts), its keys, scripts and the benchmark seeding. */
export { createRedisStore, REDIS_CLIENT_DEFAULTS, type RedisStore, type RedisStoreOptions } from './store.js'
export { redisKeys, DEFAULT_PREFIX, type RedisKeys } from './keys.js'
export { loadScripts, SCRIPT_NAMES, type ScriptName } from './scripts.js'
export { seedRedisStore, syntheticLoad, type SeedEntry, type SeedInput, type SyntheticLoadOptions } from './seed.js'
