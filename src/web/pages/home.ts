/** The start page: log in, then the pages this role may use. */
import { h } from '../lib/dom.js'
import { mountPage, NAV } from '../lib/shell.js'

mountPage({
  id: 'home',
  title: 'centralino',
  roles: ['supervisor', 'campaign_manager', 'agent', 'viewer'],
  render(main, session) {
    const pages = NAV.filter((p) => p.roles.includes(session.role))
    main.appendChild(
      h(
        'section',
        { class: 'card' },
        h('h1', {}, `Welcome, ${session.user}`),
        h('p', { class: 'muted' }, 'Pages you can use:'),
        h('ul', { 'data-testid': 'pages' }, pages.map((p) => h('li', {}, h('a', { href: p.path }, p.title)))),
      ),
    )
  },
})
