/**
 * Answering-machine detection (app_amd with the stock amd.conf), driven by what the channel
 * hears from its far end (another Local half playing a prompt, or a simulated phone):
 *  - voice lasting `greeting` (1500 ms)             -> MACHINE  LONGGREETING-1500-1500
 *  - voice that stops, then after_greeting_silence   -> HUMAN    HUMAN-800-800
 *  - nothing at all within total_analysis_time       -> NOTSURE  TOOLONG-4900 (as traced)
 *  - the channel hangs up                            -> HANGUP
 * A 500 ms analysis latency is added to the machine verdict (calibrated on the trace: a
 * greeting starting 500 ms after answer was classified 2.5 s after answer).
 */
import type { Sim } from './core.js'
import type { Channel } from './model/channel.js'
import { farTalker } from './model/local-pair.js'

export const AMD = { greeting: 1500, afterGreetingSilence: 800, totalAnalysis: 5000, latency: 500 } as const

export type AmdVerdict = { status: 'MACHINE' | 'HUMAN' | 'NOTSURE' | 'HANGUP'; cause: string }

/** Starts detection; `done` is called once. Returns a cancel (the channel hung up). */
export function runAmd(sim: Sim, ch: Channel, done: (v: AmdVerdict) => void): () => void {
  const src = farTalker(ch)
  const timers: Array<{ cancel(): void }> = []
  let finished = false
  let voiced = 0
  let voiceStart: number | undefined
  const clear = (): void => {
    for (const t of timers.splice(0)) t.cancel()
  }
  const finish = (v: AmdVerdict): void => {
    if (finished) return
    finished = true
    clear()
    if (src?.voiceListeners) src.voiceListeners.delete(onVoice)
    done(v)
  }
  const onVoice = (on: boolean): void => {
    if (finished) return
    const now = sim.clock.now()
    clear()
    timers.push(total())
    if (on) {
      voiceStart = now
      const left = Math.max(0, AMD.greeting - voiced)
      timers.push(sim.after(left + AMD.latency, () => finish({ status: 'MACHINE', cause: `LONGGREETING-${AMD.greeting}-${AMD.greeting}` })))
    } else {
      if (voiceStart !== undefined) voiced += now - voiceStart
      voiceStart = undefined
      timers.push(sim.after(AMD.afterGreetingSilence, () => finish({ status: 'HUMAN', cause: `HUMAN-${AMD.afterGreetingSilence}-${AMD.afterGreetingSilence}` })))
    }
  }
  const startedAt = sim.clock.now()
  const total = (): { cancel(): void } =>
    sim.after(Math.max(0, startedAt + AMD.totalAnalysis - sim.clock.now()), () => finish({ status: 'NOTSURE', cause: 'TOOLONG-4900' }))
  if (src) {
    src.voiceListeners ??= new Set()
    src.voiceListeners.add(onVoice)
  }
  if (src?.speaking) onVoice(true)
  else timers.push(total())
  return () => finish({ status: 'HANGUP', cause: '' })
}
