/** Discrete-event simulator of outbound campaigns (virtual time): see simulator.ts. */
export * from './types.js'
export { runDes, DialerSim } from './simulator.js'
export { Callee, AGENT_CALLEE, calibrateLiveMean, type CalleeParams, type AttemptPlan, type AttemptResult } from './callee.js'
export { predictive, progressive, fixedRatio, vicidialAdaptive, messagePaced, type VicidialOptions } from './controllers.js'
export { campaignRetry } from './retry.js'
export { openIntervals, overlap, type OpenInterval } from './windows.js'
export { LiveStats, DEFAULT_PRIORS, type LiveStatsSnapshot, type LiveStatsPriors } from './live-stats.js'
export { mulberry32, streamFor, hashSeed, type Rng } from './rng.js'
