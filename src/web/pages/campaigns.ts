/**
 * The campaigns page: the campaigns with their status, one selected (its id in the URL's
 * hash), a "new campaign" form (YAML or JSON definition), the contact list upload with the
 * rejected rows, start / pause / resume / stop, the progress (redrawn every few seconds while
 * the campaign runs) and the results export. Campaign managers and supervisors change; viewers
 * see the list and the progress only (the API refuses them the rest anyway).
 */
import { api } from '../lib/api.js'
import { flash, h, replace } from '../lib/dom.js'
import { mountPage } from '../lib/shell.js'
import { createForm } from './campaigns/create.js'
import { campaignDetail, type Detail } from './campaigns/detail.js'
import { badgeClass, when, type Campaign } from './campaigns/types.js'

/** How often a running campaign's figures are read again. */
const REFRESH_MS = 3000

mountPage({
  id: 'campaigns',
  title: 'Campaigns',
  roles: ['campaign_manager', 'supervisor', 'viewer'],
  render(main, session) {
    const canChange = session.role === 'campaign_manager' || session.role === 'supervisor'
    let campaigns: Campaign[] = []
    let selected = decodeURIComponent(location.hash.slice(1)) || undefined
    let detail: Detail | undefined
    const status = h('p', { role: 'status', class: 'flash' })
    const listBody = h('tbody', {})
    const side = h('div', { class: 'campaigns-side' })
    const newButton = canChange ? h('button', { type: 'button', 'data-testid': 'new-campaign', onclick: () => showNew() }, 'New campaign') : null

    const drawList = () => {
      replace(
        listBody,
        campaigns.length === 0
          ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No campaigns yet.'))
          : campaigns.map((c) =>
              h(
                'tr',
                { class: c.id === selected ? 'selected' : undefined, 'data-campaign': c.id },
                h('td', {}, h('button', { type: 'button', class: 'link-dark', onclick: () => select(c.id) }, c.name), h('div', { class: 'muted small' }, `${c.id} · ${c.mode}`)),
                h('td', {}, h('span', { class: badgeClass(c.status), 'data-testid': `status-${c.id}` }, c.status)),
                h('td', { class: 'muted small' }, when(c.createdAt, c.config.windows.timezone)),
              ),
            ),
      )
    }

    const loadList = async () => {
      try {
        campaigns = await api.get<Campaign[]>('/api/campaigns')
        drawList()
      } catch (err) {
        flash(status, `Cannot read the campaigns: ${(err as Error).message}`, 'error')
      }
    }

    const placeholder = () => h('section', { class: 'card muted' }, campaigns.length > 0 ? 'Select a campaign.' : canChange ? 'No campaigns yet: create one.' : 'No campaigns yet.')

    function select(id: string) {
      selected = id
      history.replaceState(null, '', `#${encodeURIComponent(id)}`)
      drawList()
      detail = campaignDetail(id, canChange, (c) => {
        const i = campaigns.findIndex((x) => x.id === c.id)
        if (i >= 0 && campaigns[i]!.status !== c.status) {
          campaigns[i] = c
          drawList()
        }
      })
      replace(side, detail.el)
      void detail.refresh()
    }

    function showNew() {
      detail = undefined
      replace(
        side,
        createForm(
          (c) => void loadList().then(() => select(c.id)),
          () => (selected && campaigns.some((c) => c.id === selected) ? select(selected) : replace(side, placeholder())),
        ),
      )
    }

    main.appendChild(
      h(
        'div',
        { class: 'campaigns-page' },
        h(
          'section',
          { class: 'card campaigns-list' },
          h('div', { class: 'row spread' }, h('h1', {}, 'Campaigns'), newButton),
          status,
          h('table', { 'data-testid': 'campaign-list' }, h('thead', {}, h('tr', {}, h('th', {}, 'Campaign'), h('th', {}, 'Status'), h('th', {}, 'Created'))), listBody),
        ),
        side,
      ),
    )

    void loadList().then(() => {
      if (selected && campaigns.some((c) => c.id === selected)) select(selected)
      else replace(side, placeholder())
    })

    // A running campaign's figures are read again every few seconds (one read at a time); the
    // list every fifth time (campaigns started, paused or completed elsewhere).
    let timer: ReturnType<typeof setTimeout> | undefined
    let ended = false
    let ticks = 0
    const tick = async () => {
      if (document.visibilityState !== 'hidden') {
        if (detail && detail.status() === 'running') await detail.refresh()
        if (++ticks % 5 === 0) await loadList()
      }
      if (!ended) timer = setTimeout(() => void tick(), REFRESH_MS)
    }
    timer = setTimeout(() => void tick(), REFRESH_MS)
    return () => {
      ended = true
      clearTimeout(timer)
    }
  },
})
