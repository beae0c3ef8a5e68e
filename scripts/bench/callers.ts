/**
 * The bench's simulated callers (run inside the simulator child):
 * - welcome-hangup: hears the welcome prompt start, listens 2 s, hangs up (call setup and
 *   teardown with a barge-in stop of the prompt in progress);
 * - menu-hold: chooses Italian after 1 s of the language prompt, then stays in the main menu
 *   by asking to hear it again (9) after 8-12 s of every playing, so it neither times out
 *   nor leaves the menu for a queue.
 */
import type { CallerStep } from '../../src/sim/types.js'
import type { ScriptName } from './protocol.js'

/** The catalogue prompt a media URI plays (sound:centralino/<id>), or undefined. */
export function promptId(uri: string): string | undefined {
  return /^sound:centralino\/(.+)$/.exec(uri)?.[1]
}

const heard = (id: string, timeoutMs = 60_000): CallerStep => ({ waitFor: 'playback', media: new RegExp(`centralino/${id}$`), timeoutMs })

/** Repeats of the main menu a held caller asks for: more than any hold window lasts. */
const MENU_REPEATS = 60

export function script(name: ScriptName, random: () => number = Math.random): CallerStep[] {
  switch (name) {
    case 'welcome-hangup':
      return [heard('welcome', 30_000), { wait: 2_000 }, { hangup: true }]
    case 'menu-hold': {
      const steps: CallerStep[] = [heard('choose_language'), { wait: 1_000 }, { dtmf: '1' }, heard('main_menu')]
      for (let i = 0; i < MENU_REPEATS; i++) steps.push({ wait: 8_000 + Math.round(4_000 * random()) }, { dtmf: '9' }, heard('main_menu'))
      return steps
    }
  }
}
