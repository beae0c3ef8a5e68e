/**
 * Answering a channel (ast_answer): Ring/Ringing -> Up, the far end is told, then Asterisk
 * waits up to 500 ms for the first voice frame. Local channels carry no media, so the full
 * 500 ms passes (visible in the traces between Answer() and the next priority); a PJSIP
 * channel has RTP flowing, so it returns after a frame (20 ms).
 */
import type { Sim } from '../core.js'
import type { Channel } from './channel.js'
import { setState } from './lifecycle.js'
import { indicate } from './local-pair.js'

export const ANSWER_WAIT_MS = 500

/** Answers `ch`; `done` runs after the media wait. Returns a cancel that ends the wait early. */
export function answerChannel(sim: Sim, ch: Channel, done: () => void): () => void {
  if (ch.state === 'Up' || ch.destroyed) {
    done()
    return () => undefined
  }
  setState(sim, ch, 'Up')
  indicate(sim, ch, 'answer')
  const t = sim.after(ch.tech === 'Local' ? ANSWER_WAIT_MS : 20, done)
  return () => {
    t.cancel()
    done()
  }
}
