/**
 * Per-node semantic checks that the schema cannot express (language codes known to the flow,
 * digit counts, terminators, time ranges, dates, time zones, sections, back-office actions) and
 * the prompt catalogue check shared by every prompt list.
 */
import { closest } from '../config/schema-check.js'
import type { ConfigError, PathSeg } from '../config/errors.js'
import type { YamlSource } from '../config/yaml.js'
import { isValidDate, isValidTimezone, parseRange, WEEKDAYS } from './hours.js'
import type { FlowSettings } from './normalize.js'
import type { Catalogue, FlowNode, ValidateOptions } from './types.js'

export function checkNodeDetails(n: FlowNode, src: YamlSource, settings: FlowSettings, opts: ValidateOptions): ConfigError[] {
  const errors: ConfigError[] = []
  const at = (...p: PathSeg[]): PathSeg[] => ['nodes', n.id, ...p]
  switch (n.type) {
    case 'language':
      for (const [digit, lang] of Object.entries(n.options)) {
        if (!settings.languages.includes(lang)) errors.push(src.error(at('options', digit), `language '${lang}' is not one of the flow's languages (${settings.languages.join(', ')})`))
      }
      break
    case 'collect':
      if (n.minDigits > n.maxDigits) errors.push(src.error(at('minDigits'), `minDigits (${n.minDigits}) is greater than maxDigits (${n.maxDigits})`))
      if (n.terminator !== '' && n.terminator !== '#' && n.terminator !== '*') errors.push(src.error(at('terminator'), "terminator must be '#' or '*' (digits are part of the number)"))
      break
    case 'hours':
      for (const day of WEEKDAYS) {
        ;(n.schedule.days[day] ?? []).forEach((r, i) => {
          if (!parseRange(r)) errors.push(src.error(at('schedule', day, i), `time range '${r}' must end after it starts`))
        })
      }
      ;(n.schedule.closedOn ?? []).forEach((d, i) => {
        if (!isValidDate(d)) errors.push(src.error(at('closedOn', i), `'${d}' is not a calendar date`))
      })
      if (!isValidTimezone(n.schedule.timezone ?? '')) errors.push(src.error(at('timezone'), `unknown time zone '${n.schedule.timezone}'`))
      break
    case 'queue':
      if (opts.sections && !opts.sections.sections.some((s) => s.id === n.section)) {
        const known = opts.sections.sections.map((s) => s.id)
        const near = closest(n.section, known)
        errors.push(src.error(at('section'), `unknown section '${n.section}'${near ? ` (did you mean '${near}'?)` : ` (known: ${known.join(', ')})`}`))
      }
      break
    case 'service':
      if (opts.engine && !Object.prototype.hasOwnProperty.call(opts.engine.backOffice.actions, n.action)) {
        const known = Object.keys(opts.engine.backOffice.actions)
        const near = closest(n.action, known)
        errors.push(src.error(at('action'), `unknown back-office action '${n.action}'${near ? ` (did you mean '${near}'?)` : ` (known: ${known.join(', ') || 'none'})`}`))
      }
      break
  }
  return errors
}

/** Catalogue ids of a prompt list (as written in the file) that are missing, in any of langs. */
export function checkPrompts(list: unknown, path: PathSeg[], src: YamlSource, catalogue: Catalogue, langs: readonly string[]): ConfigError[] {
  if (!Array.isArray(list)) return []
  const errors: ConfigError[] = []
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'string') return
    const p = path.length > 0 ? [...path, i] : []
    const texts = catalogue.prompts[item]
    if (!texts) {
      const near = closest(item, Object.keys(catalogue.prompts))
      errors.push(src.error(p, `prompt '${item}' is not in the catalogue${near ? ` (did you mean '${near}'?)` : ''}`))
      return
    }
    const missing = langs.filter((l) => !texts[l])
    if (missing.length > 0) errors.push(src.error(p, `prompt '${item}' has no ${missing.map((l) => `'${l}'`).join(', ')} text in the catalogue`))
  })
  return errors
}
