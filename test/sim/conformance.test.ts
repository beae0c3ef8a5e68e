/**
 * Conformance: replays every ARI trace recorded on Asterisk 22.10.1 against the simulator
 * (on a ScaledClock) and compares events per socket and channel, responses, statuses,
 * bodies and headers. AMI traces are listed as skipped.
 */
import t from 'tap'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { ScaledClock } from '../../src/domain/clock.js'
import { startSimulator } from '../../src/sim/index.js'
import { compare } from './replay/compare.js'
import { replay } from './replay/runner.js'
import { loadTrace, sharedDir } from './replay/trace.js'

const FACTOR = 4
const shared = sharedDir()

if (!shared) {
  t.pass('skipped: ../shared (the reference traces) is not present; set CENTRALINO_SHARED to run the conformance tests')
} else {
  const dir = path.join(shared, 'asterisk', 'traces')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    if (file === 'ami-originate.jsonl') {
      t.test(file, { skip: 'AMI is not simulated yet (AMI comes later); this trace is AMI over TCP' }, () => undefined)
      continue
    }
    t.test(file, async (t) => {
      const lines = loadTrace(path.join(dir, file))
      const sim = await startSimulator({ clock: new ScaledClock(FACTOR) })
      t.teardown(() => sim.close())
      const result = await replay(lines, { baseUrl: sim.url, factor: FACTOR })
      const mismatches = compare(lines, result)
      for (const m of mismatches) t.comment(m)
      t.equal(mismatches.length, 0, `${file}: ${mismatches.length} mismatches with the trace`)
    })
  }
}
