import t from 'tap'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readdirSync } from 'node:fs'
import { formatErrors } from '../../src/config/errors.js'
import { isAppError } from '../../src/domain/errors.js'
import { readSections } from '../../src/config/sections.js'
import { CAMPAIGN_DEFAULTS, loadCampaign, parseCampaign, parseDuration, readCampaign, validateCampaign } from '../../src/dialer/campaign-config.js'
import { DEFAULT_RETRIES } from '../../src/dialer/retry.js'
import { DEFAULT_WINDOWS } from '../../src/dialer/windows.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const MINIMAL = { id: 'info', name: 'Informativa', mode: 'predictive', section: 'contributions', callerId: '+390659051', trunk: 'PJSIP/{number}@trunk' }

t.test('the smallest campaign gets every default', async (t) => {
  const r = validateCampaign(MINIMAL)
  t.same(r.errors, [])
  t.same(r.config, {
    ...MINIMAL,
    windows: DEFAULT_WINDOWS,
    retries: DEFAULT_RETRIES,
    maxAttempts: 5,
    abandonCeiling: 0.03,
    abandonWindowMs: 24 * 3600_000,
    ringSeconds: 15,
    onMachine: 'hangup',
    maxCallsPerSecond: 10,
    maxChannels: 60,
    abandonedCooldownMs: 5 * 86_400_000,
  })
  t.equal(CAMPAIGN_DEFAULTS.abandonCeiling, 0.03)
  t.not(r.config!.windows, DEFAULT_WINDOWS, 'a copy: changing a campaign cannot change the defaults')
})

t.test('values given: partial retries merged with the defaults, durations with units, windows', async (t) => {
  const r = parseCampaign(
    `id: msg
name: Messaggio
mode: message
section: contributions
messageFlow: national
transferKey: '0'
callerId: '"INPS" <803164>'
trunk: Local/{number}@callees
retries:
  busy: { delayMinutes: 5 }
  machine: { maxAttempts: 1 }
abandonWindowMs: 12h
abandonedCooldownMs: 3d
ringSeconds: 25
abandonCeiling: 0.01
onMachine: message
windows:
  days: { sat: ['09:00-12:00'] }
  closedOn: ['2026-12-24']
`,
    'c.yaml',
  )
  t.same(r.errors, [])
  const c = r.config!
  t.same(c.retries.busy, { delayMinutes: 5, maxAttempts: 5 })
  t.same(c.retries.machine, { delayMinutes: 240, maxAttempts: 1 })
  t.same(c.retries.no_answer, DEFAULT_RETRIES.no_answer)
  t.equal(c.abandonWindowMs, 12 * 3600_000)
  t.equal(c.abandonedCooldownMs, 3 * 86_400_000)
  t.equal(c.ringSeconds, 25)
  t.equal(c.abandonCeiling, 0.01)
  t.equal(c.onMachine, 'message')
  t.equal(c.messageFlow, 'national')
  t.equal(c.transferKey, '0')
  t.equal(c.callerId, '"INPS" <803164>')
  t.same(c.windows, { days: { sat: ['09:00-12:00'] }, holidays: 'italy', timezone: 'Europe/Rome', closedOn: ['2026-12-24'] }, 'holidays and zone default inside given windows')
  t.equal(parseDuration('90m'), 90 * 60_000)
  t.equal(parseDuration('1.5h'), 5_400_000)
  t.equal(parseDuration(1234), 1234)
  t.ok(Number.isNaN(parseDuration('soon')))
})

t.test('every error at once, with its path and position', async (t) => {
  const text = `id: 1bad
name: ''
mode: robocall
section: contributions
callerId: call me
trunk: PJSIP/trunk
ringSeconds: 10
abandonCeiling: 0.05
maxChannels: 0
maxCallsPerSecond: 0
abandonWindowMs: 30s
abandonedCooldownMs: forever
onMachine: voicemail
transferKey: '10'
retries:
  busy: { delayMinutes: -1, maxAttempts: 0 }
  reached: { maxAttempts: 2 }
  invalid: { maxAttempts: 2 }
  nope: {}
windows:
  days: { mon: ['12:00-10:00', '9-10'], funday: [] }
  timezone: Mars/Olympus
  closedOn: ['2026-02-30', 'tomorrow']
colour: blue
`
  const r = parseCampaign(text, 'bad.yaml')
  t.equal(r.config, undefined)
  const got = r.errors.map((e) => `${e.line}:${e.path}: ${e.message}`)
  const want = [
    /^1:id: expected an id/,
    /^2:name: must not be empty/,
    /^3:mode: expected 'progressive', 'predictive' or 'message'/,
    /^5:callerId: expected a caller id/,
    /^6:trunk: expected a dial string template with \{number\}/,
    /^7:ringSeconds: expected a number of seconds, at least 15/,
    /^8:abandonCeiling: expected a fraction between 0 and 0.03/,
    /^9:maxChannels: must be at least 1/,
    /^10:maxCallsPerSecond: must be greater than 0/,
    /^11:abandonWindowMs: must be at least 1 minute/,
    /^12:abandonedCooldownMs: expected a duration/,
    /^13:onMachine: expected 'hangup' or 'message'/,
    /^14:transferKey: expected one key/,
    /^16:retries.busy.delayMinutes: must be at least 0/,
    /^16:retries.busy.maxAttempts: must be at least 1/,
    /^17:retries.reached: a reached contact is done/,
    /^18:retries.invalid: an invalid number is never retried/,
    /^19:retries.nope: unknown property 'nope'/,
    /^21:windows.days.mon.0: the range '12:00-10:00' ends before it starts/,
    /^21:windows.days.mon.1: expected a time range like 10:00-12:00/,
    /^21:windows.days.funday: unknown property 'funday'/,
    /^22:windows.timezone: unknown time zone 'Mars\/Olympus'/,
    /^23:windows.closedOn.0: '2026-02-30' is not a calendar date/,
    /^23:windows.closedOn.1: expected a date YYYY-MM-DD/,
    /^24:colour: unknown property 'colour'/,
  ]
  for (const w of want) t.ok(got.some((g) => w.test(g)), `${w}`)
  t.equal(got.length, want.length, got.join('\n'))
})

t.test('cross checks: message campaigns need a flow; no window at all; known sections and flows', async (t) => {
  const r = validateCampaign({ ...MINIMAL, mode: 'message' })
  t.match(formatErrors(r.errors), /<request>:1:1: a message campaign needs messageFlow/)
  const closed = validateCampaign({ ...MINIMAL, windows: { days: { mon: [] } } })
  t.match(formatErrors(closed.errors), /windows.days: no calling window at all/)
  const refs = { sections: ['operators', 'pensions'], flows: ['national'] }
  const unknown = validateCampaign({ ...MINIMAL, messageFlow: 'ghost' }, 'api', refs)
  t.same(unknown.errors.map((e) => `${e.path}: ${e.message}`), ["section: unknown section 'contributions'", "messageFlow: unknown flow 'ghost'"])
  t.same(validateCampaign({ ...MINIMAL, section: 'pensions', messageFlow: 'national' }, 'api', refs).errors, [])
  t.match(formatErrors(validateCampaign(null).errors), /expected a mapping/)
  t.match(formatErrors(parseCampaign('id: [', 'x.yaml').errors), /x.yaml:1/, 'a YAML syntax error')
  t.match(formatErrors(validateCampaign({ ...MINIMAL, id: undefined }).errors), /missing required property 'id'/)
})

t.test('config/campaigns/*.yaml are valid against the example sections and flows', async (t) => {
  const dir = path.join(root, 'config', 'campaigns')
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'))
  t.ok(files.length >= 1)
  const sections = readSections(path.join(root, 'config', 'sections.yaml')).config.sections.map((s) => s.id)
  const flows = readdirSync(path.join(root, 'config', 'flows')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''))
  for (const f of files) {
    const r = readCampaign(path.join(dir, f), { sections, flows })
    t.same(r.errors, [], `${f}\n${formatErrors(r.errors)}`)
    t.equal(r.config?.id, f.replace(/\.yaml$/, ''), 'the file is named after the campaign id')
  }
  const example = loadCampaign(path.join(dir, 'self-employed-info.yaml'))
  t.match(example, { mode: 'message', abandonCeiling: 0.02, ringSeconds: 20, abandonedCooldownMs: 5 * 86_400_000, onMachine: 'message' })
  t.same(example.windows.days, DEFAULT_WINDOWS.days)
  const missing = readCampaign(path.join(dir, 'nope.yaml'))
  t.match(missing.errors, [{ message: /cannot read campaign file \(ENOENT\)/ }])
  let thrown: unknown
  try {
    loadCampaign(path.join(dir, 'nope.yaml'))
  } catch (e) {
    thrown = e
  }
  t.ok(isAppError(thrown, 'CONFIG_INVALID'), 'loadCampaign throws CONFIG_INVALID')
})
