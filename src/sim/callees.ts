/**
 * Callee models for outbound campaigns: a PhoneResolver that gives each number dialed on the
 * trunk a behaviour drawn from a seeded random model (answer probability, busy, congestion,
 * endless ringing, answering machine, ring time, talk time), so a campaign against the
 * simulator meets the mix of a real list. Numbers may be pinned to a behaviour (tests); every
 * other endpoint (agents' phones) goes to `fallback`.
 */
import { mulberry32 } from './des/rng.js'
import type { PhoneBehaviour, PhoneResolver } from './types.js'

export interface CalleeMix {
  /** Shares of the dials (the rest answers as a person): defaults busy 0.1, noAnswer 0.15, machine 0.15, congestion 0. */
  busy?: number
  noAnswer?: number
  machine?: number
  congestion?: number
  /** Ring time before an answer, uniform between these (ms; default 2,000-8,000). */
  ringMs?: [number, number]
  /** A person hangs up this long after answering, uniform between these (ms; default 5,000-15,000). */
  talkMs?: [number, number]
  /** A machine hangs up after its greeting and the message (ms; default 25,000). */
  machineHangupMs?: number
}

/** The number in a trunk dial string: 'PJSIP/+393331234567@trunk' → '+393331234567'. */
export function trunkNumber(endpoint: string, trunk = 'trunk'): string | undefined {
  const m = /^PJSIP\/([^@]+)@(.+)$/.exec(endpoint)
  return m && m[2] === trunk ? m[1] : undefined
}

export interface CalleeModel {
  resolver: PhoneResolver
  /** Behaviours given so far, by kind (person, busy, noAnswer, machine, congestion). */
  drawn: Record<string, number>
  /** Pins a number to a behaviour (undefined: back to the random mix). */
  pin(number: string, b: PhoneBehaviour | undefined): void
}

export function calleeModel(mix: CalleeMix = {}, seed = 1, fallback: PhoneResolver = () => ({ answerAfterMs: 300 }), trunk = 'trunk'): CalleeModel {
  const rnd = mulberry32(seed)
  const pins = new Map<string, PhoneBehaviour>()
  const drawn: Record<string, number> = { person: 0, busy: 0, noAnswer: 0, machine: 0, congestion: 0 }
  const between = (r: [number, number]) => Math.round(r[0] + rnd() * (r[1] - r[0]))
  const busy = mix.busy ?? 0.1
  const noAnswer = mix.noAnswer ?? 0.15
  const machine = mix.machine ?? 0.15
  const congestion = mix.congestion ?? 0
  const ring = mix.ringMs ?? [2000, 8000]
  const talk = mix.talkMs ?? [5000, 15000]
  const resolver: PhoneResolver = (endpoint) => {
    const number = trunkNumber(endpoint, trunk)
    if (number === undefined) return fallback(endpoint)
    const pinned = pins.get(number)
    if (pinned) return pinned
    const u = rnd()
    let kind: string
    let b: PhoneBehaviour
    if (u < busy) [kind, b] = ['busy', { busy: true }]
    else if (u < busy + noAnswer) [kind, b] = ['noAnswer', { noAnswer: true }]
    else if (u < busy + noAnswer + congestion) [kind, b] = ['congestion', { congestion: true }]
    else if (u < busy + noAnswer + congestion + machine) [kind, b] = ['machine', { machine: true, answerAfterMs: between(ring), hangupAfterMs: mix.machineHangupMs ?? 25_000 }]
    else [kind, b] = ['person', { answerAfterMs: between(ring), hangupAfterMs: between(talk) }]
    drawn[kind] = (drawn[kind] ?? 0) + 1
    return b
  }
  return {
    resolver,
    drawn,
    pin: (number, b) => (b ? pins.set(number, b) : pins.delete(number)),
  }
}
