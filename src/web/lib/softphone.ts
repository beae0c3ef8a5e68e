/**
 * The operator desk's softphone: sip.js (SimpleUser) registering to Asterisk's WebSocket SIP
 * transport (asterisk-config/pjsip.conf transport-wss, http.conf on 8089), as the agent's
 * endpoint (sip:<agentId>@<domain>, the PJSIP/<agentId> the engine rings). The settings come
 * from GET /api/desk (http.webrtc of the engine config); the operator types the SIP password,
 * which stays in this page (never sent to the engine, never stored).
 *
 * It shows the registration (not configured / unregistered / registering / registered /
 * failed with the reason), rings on an incoming call (answer or decline; auto-answer option),
 * mutes and hangs up; the remote audio plays in an <audio> element. On the simulator there is
 * no SIP server: the panel says "not configured" and the calls ring the simulated phone.
 */
import { SimpleUser } from 'sip.js/lib/platform/web/simple-user/simple-user.js'
import { flash, h, replace } from './dom.js'

export interface SoftphoneSettings {
  configured: boolean
  wsUrl?: string
  domain?: string
  user?: string
}

export type SoftphoneState =
  | { kind: 'not_configured' }
  | { kind: 'unregistered' }
  | { kind: 'registering' }
  | { kind: 'registered' }
  | { kind: 'failed'; reason: string }

const LABEL: Record<SoftphoneState['kind'], string> = {
  not_configured: 'not configured',
  unregistered: 'unregistered',
  registering: 'registering…',
  registered: 'registered',
  failed: 'failed',
}

export function stateText(s: SoftphoneState): string {
  return s.kind === 'failed' ? `failed: ${s.reason}` : LABEL[s.kind]
}

/** The softphone panel; `stop()` unregisters and closes the WebSocket (page cleanup). */
export function softphonePanel(settings: SoftphoneSettings, o: { endpoint?: string } = {}): { el: HTMLElement; stop(): void } {
  const badge = h('span', { class: 'badge', 'data-testid': 'softphone-state' })
  const status = h('p', { role: 'status', class: 'flash' })
  const el = h('section', { class: 'card softphone', 'data-testid': 'softphone' }, h('h2', {}, 'Softphone ', badge))
  let state: SoftphoneState = { kind: settings.configured ? 'unregistered' : 'not_configured' }
  const show = (s: SoftphoneState) => {
    state = s
    badge.textContent = stateText(s)
    badge.className = `badge ${s.kind === 'registered' ? 'ok' : s.kind === 'failed' ? 'bad' : s.kind === 'registering' ? 'warn' : ''}`
    connect.disabled = s.kind === 'registering' || s.kind === 'registered'
    disconnect.disabled = s.kind !== 'registered'
  }

  const connect = h('button', { type: 'submit' }, 'Register')
  const disconnect = h('button', { type: 'button', class: 'secondary', onclick: () => void stopUser() }, 'Unregister')

  if (!settings.configured || !settings.wsUrl || !settings.domain || !settings.user) {
    show({ kind: 'not_configured' })
    el.appendChild(h('p', { class: 'muted', 'data-testid': 'softphone-note' }, `No WebSocket SIP server is configured (http.webrtc.wsUrl): calls ring ${o.endpoint ?? 'your phone'}.`))
    return { el, stop: () => undefined }
  }
  const wsUrl = settings.wsUrl
  const aor = `sip:${settings.user}@${settings.domain}`

  const password = h('input', { type: 'password', name: 'sip-password', autocomplete: 'current-password', required: true })
  const autoAnswer = h('input', { type: 'checkbox', name: 'auto-answer' })
  const audio = h('audio', { autoplay: true, 'data-testid': 'softphone-audio' })
  const callLine = h('p', { class: 'muted', 'data-testid': 'softphone-call' }, 'No call on the softphone.')
  const answer = h('button', { type: 'button', disabled: true, onclick: () => void act(() => user?.answer()) }, 'Answer')
  const decline = h('button', { type: 'button', class: 'secondary', disabled: true, onclick: () => void act(() => user?.decline()) }, 'Decline')
  const mute = h('button', { type: 'button', class: 'secondary', disabled: true, onclick: () => toggleMute() }, 'Mute')
  const hangup = h('button', { type: 'button', class: 'danger', disabled: true, onclick: () => void act(() => user?.hangup()) }, 'Hang up')
  const callState = (kind: 'idle' | 'ringing' | 'talking') => {
    callLine.textContent = kind === 'idle' ? 'No call on the softphone.' : kind === 'ringing' ? 'Incoming call…' : 'On a call.'
    answer.disabled = decline.disabled = kind !== 'ringing'
    mute.disabled = hangup.disabled = kind !== 'talking'
    if (kind !== 'talking') mute.textContent = 'Mute'
  }

  let user: SimpleUser | undefined
  const act = async (f: () => Promise<void> | undefined) => {
    try {
      await f()
    } catch (err) {
      flash(status, (err as Error).message, 'error')
    }
  }
  const toggleMute = () => {
    if (!user) return
    if (user.isMuted()) user.unmute()
    else user.mute()
    mute.textContent = user.isMuted() ? 'Unmute' : 'Mute'
  }
  const stopUser = async () => {
    const u = user
    const wasRegistered = state.kind === 'registered'
    user = undefined
    callState('idle')
    if (!u) return
    // Only a registration that succeeded is withdrawn: a de-REGISTER after a refused password
    // carries the wrong credentials again and Asterisk counts each as a failed login.
    if (wasRegistered) await u.unregister().catch(() => undefined)
    await u.disconnect().catch(() => undefined)
    show({ kind: 'unregistered' })
  }

  const start = async () => {
    await stopUser()
    show({ kind: 'registering' })
    flash(status, '')
    const u = new SimpleUser(wsUrl, {
      aor,
      media: { constraints: { audio: true, video: false }, remote: { audio } },
      userAgentOptions: {
        authorizationUsername: settings.user,
        authorizationPassword: password.value,
        logBuiltinEnabled: false,
        // No STUN server: sip.js would otherwise ask stun.l.google.com on every call (from the
        // operators' network, and up to 5 s of ICE gathering before answering when it cannot be
        // reached). Asterisk (ice_support) learns the browser's address from its ICE checks.
        sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
      },
      reconnectionAttempts: 0,
      delegate: {
        onRegistered: () => show({ kind: 'registered' }),
        onUnregistered: () => {
          if (user === u && state.kind === 'registered') show({ kind: 'unregistered' })
        },
        onServerDisconnect: (err) => {
          // SimpleUser does not pass the error on: name the server instead.
          if (user === u) show({ kind: 'failed', reason: err ? `connection to ${wsUrl} lost (${err.message})` : `connection to ${wsUrl} closed` })
        },
        onCallReceived: () => {
          callState('ringing')
          if (autoAnswer.checked) void act(() => u.answer())
        },
        onCallAnswered: () => callState('talking'),
        onCallHangup: () => callState('idle'),
      },
    })
    user = u
    try {
      await u.connect()
    } catch (err) {
      if (user === u) show({ kind: 'failed', reason: `cannot reach ${wsUrl} (${(err as Error).message || 'WebSocket error'})` })
      return
    }
    await u
      .register({
        requestDelegate: {
          onReject: (res) => {
            if (user === u) show({ kind: 'failed', reason: `registration refused: ${res.message.statusCode} ${res.message.reasonPhrase}` })
          },
        },
      })
      .catch((err: unknown) => {
        if (user === u) show({ kind: 'failed', reason: (err as Error).message })
      })
  }

  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (e: Event) => {
        e.preventDefault()
        void start()
      },
    },
    h('span', { class: 'muted' }, `${aor} via ${wsUrl}`),
    h('label', {}, 'SIP password', password),
    h('label', { class: 'inline' }, autoAnswer, 'auto-answer'),
    connect,
    disconnect,
  )
  replace(el, h('h2', {}, 'Softphone ', badge), form, h('div', { class: 'row' }, callLine, answer, decline, mute, hangup), audio, status)
  show(state)
  return { el, stop: () => void stopUser() }
}
