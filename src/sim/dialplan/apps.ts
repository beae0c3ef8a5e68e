/**
 * The dialplan applications the simulator knows: NoOp, Answer, Ringing, Progress, Wait,
 * Busy, Congestion, Playback, Stasis, AMD, Set, Goto, Hangup (and Echo/MusicOnHold, which
 * just wait). An unknown application ends the dialplan, as Asterisk does.
 */
import type { Sim } from '../core.js'
import { runAmd } from '../amd.js'
import { answerChannel } from '../model/answer.js'
import { indicate, setSpeaking } from '../model/local-pair.js'
import { setState, setVar, softHangupSilent } from '../model/lifecycle.js'
import { enterStasis } from '../stasis.js'
import type { PbxRun } from './run.js'
import { splitArgs } from './subst.js'

export type AppResult = 'next' | 'hangup' | { context: string; exten: string; priority: number }
type Done = (r: AppResult) => void

function sleep(sim: Sim, pbx: PbxRun, ms: number, then: (interrupted: boolean) => void): void {
  let over = false
  const t = sim.after(ms, () => {
    if (over) return
    over = true
    pbx.setCancel(undefined)
    then(false)
  })
  pbx.setCancel(() => {
    if (over) return
    over = true
    t.cancel()
    then(true)
  })
}

/** Waits until hangup (no timeout) or for `seconds`. */
function waitFor(sim: Sim, pbx: PbxRun, seconds: number | undefined, then: (interrupted: boolean) => void): void {
  if (seconds === undefined || !(seconds > 0)) {
    pbx.setCancel(() => then(true))
    return
  }
  sleep(sim, pbx, seconds * 1000, then)
}

function indicateFailure(sim: Sim, pbx: PbxRun, data: string, kind: 'busy' | 'congestion', done: Done): void {
  const ch = pbx.ch
  indicate(sim, ch, kind)
  if (ch.state !== 'Up') {
    ch.hangupCause = kind === 'busy' ? 17 : 34
    setState(sim, ch, 'Busy')
  }
  const s = data.trim() === '' ? undefined : Number(data)
  waitFor(sim, pbx, s, () => done('hangup'))
}

function playback(sim: Sim, pbx: PbxRun, data: string, done: Done): void {
  const ch = pbx.ch
  const [files = '', options = ''] = splitArgs(data)
  const list = files.split('&').filter((f) => f.trim() !== '')
  let failed = false
  let i = 0
  const next = (): void => {
    if (ch.hangupRequested) {
      setSpeaking(ch, false)
      return done('hangup')
    }
    const name = list[i++]
    if (name === undefined) {
      setSpeaking(ch, false)
      setVar(sim, ch, 'PLAYBACKSTATUS', failed ? 'FAILED' : 'SUCCESS')
      return done('next')
    }
    const ms = sim.soundDuration(name.trim(), ch.language)
    if (ms === undefined) {
      failed = true
      return next()
    }
    setSpeaking(ch, true)
    ch.hooks?.heard(`sound:${name.trim()}`)
    sleep(sim, pbx, ms, (interrupted) => {
      if (interrupted) {
        setSpeaking(ch, false)
        return done('hangup')
      }
      next()
    })
  }
  if (ch.state !== 'Up' && !/noanswer/.test(options)) {
    let over = false
    const cancel = answerChannel(sim, ch, () => {
      if (over) return
      over = true
      pbx.setCancel(undefined)
      next()
    })
    if (!over) pbx.setCancel(cancel)
  } else next()
}

export function runApp(sim: Sim, pbx: PbxRun, app: string, data: string, done: Done): void {
  const ch = pbx.ch
  switch (app.toLowerCase()) {
    case 'noop':
    case 'verbose':
    case 'log':
      return done('next')
    case 'answer': {
      let over = false
      const cancel = answerChannel(sim, ch, () => {
        if (over) return
        over = true
        pbx.setCancel(undefined)
        done('next')
      })
      if (!over) pbx.setCancel(cancel)
      return
    }
    case 'ringing':
      indicate(sim, ch, 'ringing')
      return done('next')
    case 'progress':
      indicate(sim, ch, 'progress')
      return done('next')
    case 'wait': {
      const s = Number(data)
      if (!(s > 0)) return done('next')
      return sleep(sim, pbx, s * 1000, (interrupted) => done(interrupted ? 'hangup' : 'next'))
    }
    case 'echo':
    case 'musiconhold':
      return waitFor(sim, pbx, app.toLowerCase() === 'musiconhold' ? Number(splitArgs(data)[1] ?? '') || undefined : undefined, (i) =>
        done(i ? 'hangup' : 'next'),
      )
    case 'busy':
      return indicateFailure(sim, pbx, data, 'busy', done)
    case 'congestion':
      return indicateFailure(sim, pbx, data, 'congestion', done)
    case 'playback':
      return playback(sim, pbx, data, done)
    case 'stasis': {
      const [appName = '', ...args] = splitArgs(data)
      return enterStasis(sim, ch, appName, args, (status, next) => {
        if (next) return done(next)
        done(status === 'FAILED' ? 'hangup' : 'next')
      })
    }
    case 'amd': {
      const cancel = runAmd(sim, ch, (v) => {
        pbx.setCancel(undefined)
        setVar(sim, ch, 'AMDSTATUS', v.status)
        setVar(sim, ch, 'AMDCAUSE', v.cause)
        done(v.status === 'HANGUP' ? 'hangup' : 'next')
      })
      pbx.setCancel(cancel)
      return
    }
    case 'set': {
      const eq = data.indexOf('=')
      if (eq <= 0) return done('next')
      const name = data.slice(0, eq).trim()
      const value = data.slice(eq + 1)
      if (name === 'CALLERID(num)' || name === 'CALLERID(name)') {
        ch.caller = { ...ch.caller, [name === 'CALLERID(num)' ? 'number' : 'name']: value }
        ch.touch()
        sim.bus.channel(ch, 'ChannelCallerId', `,"caller_presentation":0,"caller_presentation_txt":"Presentation Allowed, Not Screened"`)
      } else setVar(sim, ch, name.replace(/^_+/, ''), value)
      return done('next')
    }
    case 'goto': {
      const target = pbx.resolveGoto(splitArgs(data).map((a) => a.trim()))
      return done(target ?? 'hangup')
    }
    case 'hangup': {
      const n = Number(data)
      const cause = Number.isInteger(n) && n > 0 ? n : ch.hangupCause > 0 ? ch.hangupCause : 16
      ch.hangupCause = cause
      softHangupSilent(sim, ch)
      return done('hangup')
    }
    default:
      sim.logger.warn({ app }, `No application '${app}' for extension (${ch.context}, ${ch.exten}, ${ch.priority})`)
      return done('hangup')
  }
}
