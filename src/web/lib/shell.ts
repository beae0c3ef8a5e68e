/**
 * Every page's frame: the navigation bar (the pages the role may use), who is logged in and a
 * logout button, and the login form when there is no session. A page mounts with the roles
 * that may use it; other roles see why they cannot (the API refuses them anyway).
 */
import { currentSession, login, logout, onSessionEnd, ApiError, type Session } from './api.js'
import { flash, h, replace } from './dom.js'

export type Role = Session['role']

export interface NavPage {
  id: string
  title: string
  path: string
  roles: readonly Role[]
}

/** The pages and who may open them (mirrors WEB_PAGES of src/http/web.ts). */
export const NAV: readonly NavPage[] = [
  { id: 'wallboard', title: 'Wallboard', path: '/wallboard', roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
  { id: 'flows', title: 'Flows', path: '/flows', roles: ['supervisor', 'viewer'] },
  { id: 'campaigns', title: 'Campaigns', path: '/campaigns', roles: ['campaign_manager', 'supervisor', 'viewer'] },
  { id: 'desk', title: 'Operator desk', path: '/desk', roles: ['agent'] },
]

export interface PageSpec {
  id: string
  title: string
  roles: readonly Role[]
  /** Draws the page for a logged-in user; may return a cleanup run at logout. */
  render(root: HTMLElement, session: Session): void | (() => void)
}

const ROLE_NAMES: Record<Role, string> = { supervisor: 'supervisor', campaign_manager: 'campaign manager', agent: 'operator', viewer: 'viewer' }

function header(session: Session | undefined, current: string): HTMLElement {
  const links = NAV.filter((p) => !session || p.roles.includes(session.role)).map((p) =>
    h('a', { href: p.path, class: p.id === current ? 'current' : undefined, 'aria-current': p.id === current ? 'page' : undefined }, p.title),
  )
  return h(
    'header',
    { class: 'top' },
    h('a', { href: '/', class: 'brand' }, 'centralino'),
    h('nav', {}, session ? links : []),
    session
      ? h(
          'div',
          { class: 'who' },
          h('span', { 'data-testid': 'who' }, `${session.user} · ${ROLE_NAMES[session.role]}`),
          h('button', { type: 'button', class: 'link', 'data-testid': 'logout', onclick: () => void logout() }, 'Log out'),
        )
      : null,
  )
}

export function loginForm(onDone: (s: Session) => void): HTMLElement {
  const status = h('p', { role: 'status', class: 'flash' })
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true })
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })
  const form = h(
    'form',
    {
      class: 'card login',
      'data-testid': 'login',
      onsubmit: (e: Event) => {
        e.preventDefault()
        flash(status, 'Logging in…')
        login(user.value.trim(), password.value).then(onDone, (err: unknown) => {
          const msg =
            err instanceof ApiError && err.status === 429 ? 'Too many failed attempts: wait a few minutes and try again.' : err instanceof ApiError && err.status === 401 ? 'Wrong user or password.' : `Login failed: ${(err as Error).message}`
          flash(status, msg, 'error')
          password.value = ''
        })
      },
    },
    h('h2', {}, 'Log in'),
    h('label', {}, 'User', user),
    h('label', {}, 'Password', password),
    h('button', { type: 'submit' }, 'Log in'),
    status,
  )
  return form
}

/** Mounts a page into #app: login first if needed, then the page (or why this role cannot use it). */
export function mountPage(spec: PageSpec): void {
  const app = document.getElementById('app') ?? document.body
  let cleanup: void | (() => void)
  const draw = () => {
    if (typeof cleanup === 'function') cleanup()
    cleanup = undefined
    const session = currentSession()
    const main = h('main', { id: 'main', 'data-page': spec.id })
    replace(app, header(session, spec.id), main)
    document.title = `${spec.title} · centralino`
    if (!session) {
      main.appendChild(loginForm(() => draw()))
      return
    }
    if (!spec.roles.includes(session.role)) {
      main.appendChild(h('p', { class: 'flash error', 'data-testid': 'forbidden' }, `A ${ROLE_NAMES[session.role]} cannot use the ${spec.title.toLowerCase()} page.`))
      return
    }
    cleanup = spec.render(main, session)
  }
  onSessionEnd(draw)
  draw()
}
