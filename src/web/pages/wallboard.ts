/** Placeholder until the page is built. */
import { h } from '../lib/dom.js'
import { mountPage } from '../lib/shell.js'

mountPage({ id: 'wallboard', title: 'wallboard', roles: ['supervisor', 'campaign_manager', 'agent', 'viewer'], render: (main) => void main.appendChild(h('p', {}, 'not built yet')) })
