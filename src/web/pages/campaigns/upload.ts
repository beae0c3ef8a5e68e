/**
 * Upload of a contact list (CSV) to a draft or paused campaign: the file is sent as it is
 * (text/csv; the API streams it), the report shows accepted, duplicate and rejected counts and
 * the rejected rows with their line and reason. A rejected number is shown masked as the logs
 * mask numbers (src/domain/redact.ts): the line number finds it in the file.
 */
import { ApiError, request } from '../../lib/api.js'
import { flash, h, replace } from '../../lib/dom.js'
import { redactText } from '../../../domain/redact.js'
import { UPLOAD_STATUSES, type Campaign, type ImportReport } from './types.js'

const figure = (label: string, value: number, testid: string, cls = '') => h('div', { class: `figure ${cls}`.trim() }, h('div', { class: 'big', 'data-testid': testid }, value), h('div', { class: 'muted' }, label))

export function reportView(r: ImportReport): HTMLElement {
  const shown = r.rejectedRows.length
  return h(
    'div',
    { class: 'upload-report', 'data-testid': 'upload-report' },
    h(
      'div',
      { class: 'figures' },
      figure('rows read', r.rows, 'rows'),
      figure('accepted', r.imported, 'accepted', 'ok'),
      figure('duplicates merged', r.merged, 'duplicates'),
      figure('rejected', r.rejected, 'rejected', r.rejected > 0 ? 'bad' : ''),
    ),
    r.optedOut + r.noConsent > 0 ? h('p', { class: 'muted' }, `Of the rejected: ${r.optedOut} in the opt-out register, ${r.noConsent} without consent.`) : null,
    shown > 0
      ? h(
          'table',
          { class: 'rejected', 'data-testid': 'rejected-rows' },
          h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Line'), h('th', {}, 'Reason'), h('th', {}, 'Value'))),
          h(
            'tbody',
            {},
            r.rejectedRows.map((x) => h('tr', {}, h('td', { class: 'num' }, x.line), h('td', {}, x.reason), h('td', {}, x.value !== undefined ? h('code', {}, redactText(x.value)) : ''))),
          ),
        )
      : null,
    r.rejected > shown ? h('p', { class: 'muted' }, `The first ${shown} of ${r.rejected} rejected rows are listed.`) : null,
  )
}

/**
 * The upload panel of a campaign; `onDone` runs after a list was imported. Built once per
 * campaign shown (the last report stays while the page refreshes); `update` follows the status
 * (a list goes to a draft or paused campaign only).
 */
export function uploadPanel(c: Campaign, onDone: () => void): { el: HTMLElement; update(c: Campaign): void } {
  const file = h('input', { type: 'file', name: 'contacts', accept: '.csv,text/csv,text/plain', 'data-testid': 'contacts-file' })
  const encoding = h('select', { name: 'encoding' }, h('option', { value: 'utf-8' }, 'UTF-8'), h('option', { value: 'latin1' }, 'Latin-1 (old Excel)'))
  const status = h('p', { role: 'status', class: 'flash' })
  const out = h('div', {})
  const send = h('button', { type: 'submit' }, 'Upload')
  const note = h('p', { class: 'muted', 'data-testid': 'upload-note' })
  let busy = false
  const update = (cur: Campaign) => {
    const open = UPLOAD_STATUSES.includes(cur.status)
    file.disabled = !open
    encoding.disabled = !open
    send.disabled = !open || busy
    note.textContent = open ? '' : cur.status === 'running' ? 'Pause the campaign to upload another list.' : `The campaign is ${cur.status}: no more lists.`
  }
  const el = h(
    'form',
    {
      class: 'card campaign-upload',
      'data-testid': 'upload-form',
      onsubmit: (e: Event) => {
        e.preventDefault()
        const f = file.files?.[0]
        if (!f) {
          flash(status, 'Choose a CSV file first.', 'error')
          return
        }
        busy = true
        send.disabled = true
        replace(out)
        flash(status, `Uploading ${f.name}…`)
        const q = encoding.value === 'utf-8' ? '' : `?encoding=${encoding.value}`
        request<ImportReport>('POST', `/api/campaigns/${encodeURIComponent(c.id)}/contacts${q}`, f, { contentType: 'text/csv' })
          .then(
            (r) => {
              flash(status, `${f.name}: ${r.imported} accepted, ${r.merged} duplicates merged, ${r.rejected} rejected.`, r.rejected > 0 ? 'info' : 'ok')
              replace(out, reportView(r))
              onDone()
            },
            (err: unknown) => {
              const line = err instanceof ApiError ? (err.details as { line?: number } | undefined)?.line : undefined
              flash(status, `Not uploaded: ${(err as Error).message}${line ? ` (line ${line})` : ''}`, 'error')
            },
          )
          .finally(() => {
            busy = false
            send.disabled = file.disabled
          })
      },
    },
    h('h2', {}, 'Contact list'),
    h('p', { class: 'muted' }, 'A CSV with a header row: a number column (numero, telefono, phone…), optionally nome/name and consenso/consent (si/no); other columns are kept. Lists add up; a number already in the campaign is merged.'),
    h('div', { class: 'row' }, h('label', {}, 'CSV file', file), h('label', {}, 'Encoding', encoding), send),
    note,
    status,
    out,
  )
  update(c)
  return { el, update }
}
