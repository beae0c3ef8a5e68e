/**
 * The operator desk (role agent): the agent's state and its actions (log in on an endpoint,
 * ready, pause with a configured reason, end wrap-up, log out), the call it is on (caller
 * masked, section, time on call, the voice-portal menus the caller went through and what the
 * caller typed), the transfers (to a section, blind or attended with complete / cancel; to an
 * external number), hang up, the ticket and appointment forms prefilled from the call, and the
 * sip.js softphone.
 *
 * Kept current by polling the agent and its call every 1.5 s (GET /api/agents/:id, GET
 * /api/calls: an agent sees only its own call) and right after each action. The time on call
 * counts from when the desk first saw the call: the engine's clock may run faster than the
 * browser's (the demo), so its timestamps are shown, not subtracted from the browser's time.
 */
import type { LiveCall } from '../../calls/control.js'
import { api, ApiError, type Session } from '../lib/api.js'
import { duration, flash, h, replace } from '../lib/dom.js'
import { mountPage } from '../lib/shell.js'
import { softphonePanel, type SoftphoneSettings } from '../lib/softphone.js'
import { escalationForms } from './desk/forms.js'

interface Agent {
  id: string
  name: string
  endpoint: string
  sections: string[]
  state: 'logged_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused'
  since: string
  pauseReason?: string
  callId?: string
}

/** A live call as GET /api/calls gives it; `given`: what the caller typed, for the agent on the call only. */
type Call = LiveCall & { given?: Record<string, string> }

interface DeskSettings {
  agentId?: string
  pauseReasons: string[]
  sections: Array<{ id: string; name: string }>
  escalationSections: string[]
  softphone: SoftphoneSettings
}

const POLL_MS = 1500

const STATE_LABEL: Record<Agent['state'], string> = {
  logged_out: 'logged out',
  ready: 'ready',
  reserved: 'ringing',
  on_call: 'busy',
  wrap_up: 'wrap-up',
  paused: 'paused',
}
const STATE_CLASS: Record<Agent['state'], string> = { logged_out: '', ready: 'state-ready', reserved: 'state-ringing', on_call: 'state-busy', wrap_up: 'state-paused', paused: 'state-paused' }

/** A node id made readable: pensions.request_number -> "pensions › request number". */
export const readableNode = (id: string) => id.replace(/\./g, ' › ').replace(/_/g, ' ')

const errText = (err: unknown) => (err instanceof ApiError ? err.message : (err as Error).message)
const hhmmss = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })

function render(main: HTMLElement, session: Session): () => void {
  const agentId = session.agentId
  if (!agentId) {
    main.appendChild(h('p', { class: 'flash error' }, 'This user is not linked to an agent (agentId): the desk cannot be used.'))
    return () => undefined
  }
  let stopped = false
  const cleanups: Array<() => void> = []
  const title = h('h1', {}, 'Operator desk')
  const loading = h('p', { class: 'muted' }, 'Loading…')
  replace(main, title, loading)

  api.get<DeskSettings>('/api/desk').then(
    (settings) => {
      if (stopped) return
      loading.remove()
      cleanups.push(build(main, title, agentId, settings))
    },
    (err: unknown) => flash(loading, `The desk settings could not be read: ${errText(err)}`, 'error'),
  )
  return () => {
    stopped = true
    for (const c of cleanups) c()
  }
}

function build(main: HTMLElement, title: HTMLElement, agentId: string, settings: DeskSettings): () => void {
  let agent: Agent | undefined
  let call: Call | undefined
  let callSeenAt = 0
  let consulting = false
  let prefilledFor: string | undefined
  let busy = false

  // --- state card
  const stateBadge = h('span', { class: 'big', 'data-testid': 'agent-state' }, '…')
  const stateSince = h('span', { class: 'muted' })
  const status = h('p', { role: 'status', class: 'flash', 'data-testid': 'desk-status' })
  const endpoint = h('input', { name: 'endpoint', value: `PJSIP/${agentId}`, size: 18 })
  const reason = h('select', { name: 'reason', 'aria-label': 'Pause reason' }, settings.pauseReasons.map((r) => h('option', { value: r }, r)))
  const act = (label: string, path: string, body?: unknown) => async () => {
    flash(status, `${label}…`)
    try {
      agent = await api.post<Agent>(`/api/agents/${encodeURIComponent(agentId)}/${path}`, body)
      flash(status, `${label}: done`, 'ok')
    } catch (err) {
      flash(status, `${label}: ${errText(err)}`, 'error')
    }
    await tick()
  }
  const loginBtn = h('button', { type: 'submit' }, 'Log in')
  const loginForm = h(
    'form',
    {
      class: 'row',
      'data-testid': 'agent-login',
      onsubmit: (e: Event) => {
        e.preventDefault()
        void act('Log in', 'login', { endpoint: endpoint.value.trim() })()
      },
    },
    h('label', {}, 'Endpoint', endpoint),
    loginBtn,
  )
  const readyBtn = h('button', { type: 'button', onclick: () => void act('Ready', 'ready')() }, 'Ready')
  const pauseBtn = h('button', { type: 'button', class: 'secondary', onclick: () => void act('Pause', 'pause', { reason: reason.value })() }, 'Pause')
  const wrapBtn = h('button', { type: 'button', class: 'secondary', onclick: () => void act('End wrap-up', 'wrap-up/end')() }, 'End wrap-up')
  const logoutBtn = h('button', { type: 'button', class: 'secondary', onclick: () => void act('Log out', 'logout')() }, 'Log out of the queues')
  const stateCard = h(
    'section',
    { class: 'card desk-state' },
    h('h2', {}, 'My state'),
    h('div', { class: 'row' }, stateBadge, stateSince),
    loginForm,
    h('div', { class: 'row' }, readyBtn, h('label', {}, 'Reason', reason), pauseBtn, wrapBtn, logoutBtn),
    status,
  )

  // --- call card
  const callBody = h('div', { 'data-testid': 'call' })
  const callStatus = h('p', { role: 'status', class: 'flash', 'data-testid': 'call-status' })
  const callTime = h('span', { class: 'big', 'data-testid': 'call-time' })
  const target = h('select', { name: 'target', 'aria-label': 'Transfer to section' }, settings.sections.map((s) => h('option', { value: s.id }, s.name === s.id ? s.id : `${s.name} (${s.id})`)))
  const mode = h('select', { name: 'mode', 'aria-label': 'Transfer mode' }, h('option', { value: 'blind' }, 'blind'), h('option', { value: 'attended' }, 'attended (consult first)'))
  const number = h('input', { name: 'number', inputmode: 'tel', placeholder: '06 1234 5678', 'aria-label': 'External number' })
  const callAct = (label: string, path: string, body?: unknown, after?: () => void) => async () => {
    if (!call) return
    flash(callStatus, `${label}…`)
    try {
      await api.post(`/api/calls/${encodeURIComponent(call.callId)}/${path}`, body)
      after?.()
      flash(callStatus, `${label}: done`, 'ok')
    } catch (err) {
      flash(callStatus, `${label}: ${errText(err)}`, 'error')
    }
    await tick()
  }
  const transferBtn = h(
    'button',
    {
      type: 'button',
      'data-testid': 'transfer',
      onclick: () => {
        const attended = mode.value === 'attended'
        void callAct(attended ? `Consulting ${target.value}` : `Transfer to ${target.value}`, 'transfer', { section: target.value, mode: mode.value }, () => (consulting = attended))()
      },
    },
    'Transfer',
  )
  const completeBtn = h('button', { type: 'button', onclick: () => void callAct('Transfer completed', 'consult/complete', undefined, () => (consulting = false))() }, 'Complete transfer')
  const cancelBtn = h('button', { type: 'button', class: 'secondary', onclick: () => void callAct('Consultation cancelled', 'consult/cancel', undefined, () => (consulting = false))() }, 'Cancel, back to the caller')
  const consultRow = h('div', { class: 'row', 'data-testid': 'consult', hidden: true }, h('span', {}, 'Consulting: the caller is on hold.'), completeBtn, cancelBtn)
  const externalBtn = h('button', { type: 'button', class: 'secondary', onclick: () => void callAct('Transfer to the number', 'transfer-external', { number: number.value })() }, 'Transfer to number')
  const hangupBtn = h('button', { type: 'button', class: 'danger', onclick: () => void callAct('Hang up', 'hangup')() }, 'Hang up')
  const callControls = h(
    'div',
    { hidden: true },
    h('div', { class: 'row' }, h('label', {}, 'Section', target), h('label', {}, 'Mode', mode), transferBtn),
    consultRow,
    h('div', { class: 'row' }, h('label', {}, 'External number', number), externalBtn, hangupBtn),
  )
  const callCard = h('section', { class: 'card desk-call' }, h('h2', {}, 'Current call'), callBody, callControls, callStatus)

  const forms = escalationForms(settings.escalationSections)
  const phone = softphonePanel(settings.softphone, { endpoint: `PJSIP/${agentId}` })

  main.appendChild(h('div', { class: 'desk' }, h('div', { class: 'grid' }, stateCard, callCard), phone.el, forms.el))

  const drawAgent = () => {
    if (!agent) return
    title.textContent = `Operator desk · ${agent.name}`
    const s = agent.state
    stateBadge.textContent = s === 'paused' && agent.pauseReason ? `paused (${agent.pauseReason})` : STATE_LABEL[s]
    stateBadge.className = `big ${STATE_CLASS[s]}`
    stateBadge.setAttribute('data-state', s)
    stateSince.textContent = `since ${hhmmss(agent.since)}`
    loginForm.hidden = s !== 'logged_out'
    readyBtn.disabled = !(s === 'paused' || s === 'wrap_up')
    pauseBtn.disabled = !(s === 'ready' || s === 'wrap_up' || s === 'paused')
    wrapBtn.disabled = s !== 'wrap_up'
    logoutBtn.disabled = s === 'logged_out' || s === 'reserved' || s === 'on_call'
    if (s === 'logged_out') endpoint.value ||= agent.endpoint
  }

  const drawCall = () => {
    callControls.hidden = !call
    if (!call) {
      consulting = false
      replace(callBody, h('p', { class: 'muted', 'data-testid': 'no-call' }, agent?.state === 'reserved' ? 'Your phone is ringing…' : 'No call.'))
      return
    }
    consultRow.hidden = !consulting
    transferBtn.disabled = consulting
    const given = Object.entries(call.given ?? {})
    replace(
      callBody,
      h(
        'table',
        { class: 'kv' },
        h('tr', {}, h('th', {}, 'Caller'), h('td', { 'data-testid': 'call-caller' }, call.caller ?? 'withheld')),
        h('tr', {}, h('th', {}, 'Section'), h('td', { 'data-testid': 'call-section' }, call.section ?? '–')),
        h('tr', {}, h('th', {}, 'Time on call'), h('td', {}, callTime)),
      ),
      h('h3', {}, 'Menus the caller went through'),
      call.trail?.length
        ? h('ol', { class: 'trail', 'data-testid': 'call-trail' }, call.trail.map((n) => h('li', { 'data-node': n, title: n }, readableNode(n))))
        : h('p', { class: 'muted' }, 'No menus (the caller came straight through).'),
      h('h3', {}, 'What the caller typed'),
      given.length
        ? h('dl', { class: 'given', 'data-testid': 'call-given' }, given.flatMap(([k, v]) => [h('dt', {}, readableNode(k)), h('dd', {}, v)]))
        : h('p', { class: 'muted' }, 'Nothing.'),
    )
    drawTime()
  }
  const drawTime = () => {
    if (call) callTime.textContent = duration((Date.now() - callSeenAt) / 1000)
  }

  const tick = async () => {
    if (busy) return
    busy = true
    try {
      const [a, calls] = await Promise.all([api.get<Agent>(`/api/agents/${encodeURIComponent(agentId)}`), api.get<Call[]>('/api/calls')])
      agent = a
      const next = calls.find((c) => c.agentId === agentId) ?? calls[0]
      if (next?.callId !== call?.callId) {
        callSeenAt = Date.now()
        consulting = false
      }
      call = next
      if (call && prefilledFor !== call.callId) {
        prefilledFor = call.callId
        forms.prefill({ callId: call.callId, ...(call.section ? { section: call.section } : {}), ...(call.given ? { given: call.given } : {}), ...(call.trail ? { trail: call.trail } : {}) })
      }
      drawAgent()
      drawCall()
    } catch (err) {
      flash(status, `Could not refresh: ${errText(err)}`, 'error')
    } finally {
      busy = false
    }
  }
  void tick()
  const poll = setInterval(() => void tick(), POLL_MS)
  const clock = setInterval(drawTime, 1000)
  return () => {
    clearInterval(poll)
    clearInterval(clock)
    phone.stop()
  }
}

mountPage({ id: 'desk', title: 'Operator desk', roles: ['agent'], render })
