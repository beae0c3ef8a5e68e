/**
 * The "new campaign" form: a definition in YAML or JSON (JSON is YAML: the text is sent as
 * application/yaml, so the API's errors point at the lines of this very text), created as a
 * draft; every error is listed with its path and line.
 */
import { ApiError, request } from '../../lib/api.js'
import { flash, h, replace } from '../../lib/dom.js'
import type { Campaign } from './types.js'

/** A sensible definition to start from: weekday windows in Rome, the defaults spelled out. */
export function exampleDefinition(now = new Date()): string {
  const ymd = now.toISOString().slice(0, 10).replace(/-/g, '')
  return `# A campaign definition, YAML or JSON. Fields left out take their defaults.
id: info-${ymd}
name: Informativa ${now.toISOString().slice(0, 10)}
mode: progressive            # progressive | predictive | message (then messageFlow, transferKey)
section: contributions       # the agents (or the operators of a transfer) come from this section
callerId: '+390659051'
trunk: PJSIP/{number}@trunk
windows:                     # when calls may be launched
  days:
    mon: ['10:00-12:00', '16:00-18:00']
    tue: ['10:00-12:00', '16:00-18:00']
    wed: ['10:00-12:00', '16:00-18:00']
    thu: ['10:00-12:00', '16:00-18:00']
    fri: ['10:00-12:00', '16:00-18:00']
  holidays: italy
  timezone: Europe/Rome
retries:
  busy: { delayMinutes: 10, maxAttempts: 5 }
  no_answer: { delayMinutes: 120, maxAttempts: 4 }
maxAttempts: 5
abandonCeiling: 0.03         # at most 3% of live answers
ringSeconds: 20              # at least 15
maxChannels: 30              # per server
`
}

interface FieldError {
  path: string
  message: string
  line?: number
  column?: number
}

/** The form; `onCreated` gets the new campaign. */
export function createForm(onCreated: (c: Campaign) => void, onCancel: () => void): HTMLElement {
  const text = h('textarea', { name: 'definition', rows: 26, spellcheck: 'false', 'data-testid': 'definition' })
  text.value = exampleDefinition()
  const status = h('p', { role: 'status', class: 'flash' })
  const errors = h('ul', { class: 'errors', 'data-testid': 'create-errors' })
  const submit = h('button', { type: 'submit' }, 'Create campaign')
  const form = h(
    'form',
    {
      class: 'card campaign-create',
      'data-testid': 'create-form',
      onsubmit: (e: Event) => {
        e.preventDefault()
        replace(errors)
        flash(status, 'Creating…')
        submit.disabled = true
        request<Campaign>('POST', '/api/campaigns', text.value, { contentType: 'application/yaml' })
          .then(
            (c) => {
              flash(status, `Campaign ${c.id} created (draft).`, 'ok')
              onCreated(c)
            },
            (err: unknown) => {
              const list = err instanceof ApiError ? ((err.details as { errors?: FieldError[] } | undefined)?.errors ?? []) : []
              flash(status, list.length > 0 ? `The definition has ${list.length} error${list.length > 1 ? 's' : ''}:` : `Not created: ${(err as Error).message}`, 'error')
              replace(
                errors,
                list.map((x) =>
                  h('li', {}, h('code', {}, x.path.replace(/^\/body/, '') || '/'), x.line ? h('span', { class: 'muted' }, ` line ${x.line}${x.column ? `:${x.column}` : ''}`) : null, ` ${x.message}`),
                ),
              )
            },
          )
          .finally(() => (submit.disabled = false))
      },
    },
    h('h2', {}, 'New campaign'),
    h('label', {}, 'Definition (YAML or JSON)', text),
    h('div', { class: 'row' }, submit, h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel')),
    status,
    errors,
  )
  return form
}
