/**
 * One campaign: its header (name, status, the status changes the status allows, the results
 * export), the contact list upload and the progress. `refresh` reads the campaign and its
 * progress again; the upload panel is built once (its last report stays across refreshes).
 */
import { api, authHeader, ApiError } from '../../lib/api.js'
import { flash, h, replace } from '../../lib/dom.js'
import { progressView } from './progress.js'
import { ACTIONS, badgeClass, type Campaign, type Progress } from './types.js'
import { uploadPanel } from './upload.js'

export interface Detail {
  id: string
  el: HTMLElement
  /** The last status read. */
  status(): Campaign['status'] | undefined
  refresh(): Promise<void>
}

/** Downloads the results CSV: fetched with the bearer header, handed to the browser as a Blob URL. */
async function exportCsv(id: string): Promise<void> {
  const res = await fetch(`/api/campaigns/${encodeURIComponent(id)}/results.csv`, { headers: authHeader() })
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, `export failed (${res.status})`)
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${id}-results.csv`
  const url = URL.createObjectURL(await res.blob())
  const a = h('a', { href: url, download: name, hidden: true })
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function campaignDetail(id: string, canChange: boolean, onChanged: (c: Campaign) => void): Detail {
  const head = h('div', {})
  const status = h('p', { role: 'status', class: 'flash', 'data-testid': 'detail-status' })
  const progressBox = h('div', {})
  let current: Campaign | undefined
  let upload: ReturnType<typeof uploadPanel> | undefined
  const uploadBox = h('div', {})
  const el = h('div', { class: 'campaign-detail', 'data-testid': 'detail', 'data-campaign': id }, h('section', { class: 'card' }, head, status), uploadBox, progressBox)

  const act = (action: string, label: string) => {
    if (action === 'stop' && !window.confirm(`Stop campaign ${id}? A stopped campaign cannot be started again.`)) return
    flash(status, `${label}…`)
    api.post<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/${action}`).then(
      (c) => {
        flash(status, `Campaign ${c.id} is ${c.status}.`, 'ok')
        void detail.refresh()
      },
      (err: unknown) => flash(status, `${label} refused: ${(err as Error).message}`, 'error'),
    )
  }

  const drawHead = (c: Campaign) => {
    const actions = canChange
      ? ACTIONS.filter((a) => a.from.includes(c.status)).map((a) => h('button', { type: 'button', class: a.kind, 'data-action': a.action, onclick: () => act(a.action, a.label) }, a.label))
      : []
    replace(
      head,
      h('div', { class: 'row spread' }, h('h2', {}, c.name, ' ', h('span', { class: badgeClass(c.status), 'data-testid': 'status' }, c.status)), h('span', { class: 'muted' }, `${c.id} · ${c.mode} · section ${c.config.section}`)),
      h(
        'div',
        { class: 'row', 'data-testid': 'actions' },
        actions,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': 'export',
            onclick: () => {
              flash(status, 'Exporting…')
              exportCsv(id).then(
                () => flash(status, 'Results exported.', 'ok'),
                (err: unknown) => flash(status, `Export failed: ${(err as Error).message}`, 'error'),
              )
            },
          },
          'Export results (CSV)',
        ),
      ),
    )
  }

  const detail: Detail = {
    id,
    el,
    status: () => current?.status,
    async refresh() {
      let c: Campaign
      let p: Progress
      try {
        ;[c, p] = await Promise.all([api.get<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`), api.get<Progress>(`/api/campaigns/${encodeURIComponent(id)}/progress`)])
      } catch (err) {
        flash(status, `Cannot read the campaign: ${(err as Error).message}`, 'error')
        return
      }
      const changed = current?.status !== c.status
      current = c
      if (changed) drawHead(c)
      if (canChange) {
        if (!upload) {
          upload = uploadPanel(c, () => void detail.refresh())
          uploadBox.appendChild(upload.el)
        } else upload.update(c)
      }
      replace(progressBox, progressView(c, p))
      onChanged(c)
    },
  }
  return detail
}
