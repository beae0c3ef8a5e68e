/**
 * The flows page: pick a flow, see its menu tree (from the compiled tree of GET /api/flows/:id:
 * each node with its type, id, prompts and details, each edge labelled by digit or outcome; a
 * node already drawn above on the path is a link "↩ back to <node>", one drawn elsewhere a
 * link "→ see <node>"), the versions kept with "Roll back" buttons, and an editor with the
 * current source, Validate and Upload. Validation errors are listed with line:column (a click
 * selects the line in the editor) and the nodes they belong to are marked on the tree (class
 * `error`). After an upload or a rollback the tree, the versions and the editor are reloaded.
 *
 * Supervisors change; viewers see the tree, the versions and the source, without controls (the
 * API refuses them anyway).
 */
import { api, ApiError } from '../lib/api.js'
import { flash, h, replace } from '../lib/dom.js'
import { mountPage } from '../lib/shell.js'

interface TreeEdge {
  label: string
  via: string
  digit?: string
  to: string
}
interface TreeNode {
  id: string
  type: string
  prompts: string[]
  edges: TreeEdge[]
  builtin?: boolean
  detail?: string
}
interface FlowTree {
  start: string
  operator: { digit: string; target: string } | null
  nodes: TreeNode[]
}
interface By {
  kind: 'file' | 'upload' | 'rollback'
  user?: string
}
interface FlowVersion {
  id: string
  version: string
  current: boolean
  loadedAt: string
  by: By
  description?: string
  source: string
  tree: FlowTree
  warnings: Problem[]
  changed?: boolean
}
interface VersionItem {
  version: string
  loadedAt: string
  by: By
  current: boolean
}
interface FlowSummary {
  id: string
  version: string
  versions: number
  description?: string
}
interface Problem {
  line: number
  column: number
  path: string
  message: string
  node?: string
}
interface Validation {
  ok: boolean
  version?: string
  errors: Problem[]
  warnings: Problem[]
}

const when = (iso: string) => new Date(iso).toLocaleString()
const byText = (b: By) => (b.kind === 'file' ? 'file' : `${b.user ?? '?'} (${b.kind})`)
const nodeAnchor = (id: string) => `flow-node-${id}`

/** The tree as nested lists from the start node; nodes not reachable from it are drawn after. */
export function drawTree(tree: FlowTree, marked: ReadonlySet<string>): HTMLElement {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]))
  const drawn = new Set<string>()
  const nodeLabel = (n: TreeNode) =>
    h(
      'span',
      { class: `node${marked.has(n.id) ? ' error' : ''}`, id: nodeAnchor(n.id), 'data-node': n.id, 'data-type': n.type },
      h('span', { class: 'badge' }, n.type),
      ' ',
      h('strong', {}, n.id),
      n.detail ? h('span', { class: 'muted' }, ` · ${n.detail}`) : null,
      n.prompts.length > 0 ? h('span', { class: 'muted prompts' }, ` ♪ ${n.prompts.join(', ')}`) : null,
    )
  const link = (text: string, id: string, cls: string) => h('a', { href: `#${nodeAnchor(id)}`, class: cls }, text)
  const draw = (id: string, path: readonly string[]): HTMLElement => {
    const n = byId.get(id)
    if (!n) return h('li', {}, h('span', { class: 'node error' }, `${id} (missing)`))
    drawn.add(id)
    const inner = [...path, id]
    const edges = n.edges.map((e) => {
      const label = h('span', { class: 'edge' }, `${e.label} →`)
      if (inner.includes(e.to)) return h('li', {}, label, link(`↩ back to ${e.to}`, e.to, 'back'))
      if (drawn.has(e.to)) return h('li', {}, label, link(`→ see ${e.to}`, e.to, 'see'))
      const child = draw(e.to, inner)
      child.prepend(label)
      return child
    })
    return h('li', {}, nodeLabel(n), edges.length > 0 ? h('ul', {}, edges) : null)
  }
  const root = h('ul', {}, draw(tree.start, []))
  const rest = tree.nodes.filter((n) => !drawn.has(n.id) && !n.builtin)
  const extra: HTMLElement[] = []
  for (const n of rest) if (!drawn.has(n.id)) extra.push(draw(n.id, []))
  return h(
    'div',
    { class: 'tree', 'data-testid': 'tree' },
    root,
    extra.length > 0 ? [h('h3', {}, 'Not reachable from the start'), h('ul', {}, extra)] : null,
  )
}

mountPage({
  id: 'flows',
  title: 'Flows',
  roles: ['supervisor', 'viewer'],
  render(main, session) {
    const canEdit = session.role === 'supervisor'
    const status = h('p', { role: 'status', class: 'flash', 'data-testid': 'status' })
    const picker = h('select', { 'data-testid': 'flow-picker', 'aria-label': 'Flow' })
    const title = h('h1', {}, 'Flows')
    const summary = h('p', { class: 'muted', 'data-testid': 'summary' })
    const treeBox = h('div', {})
    const versionsBox = h('div', { class: 'versions', 'data-testid': 'versions' })
    const errorsList = h('ul', { class: 'errors', 'data-testid': 'errors' })
    const editor = h('textarea', { rows: 28, spellcheck: 'false', 'data-testid': 'editor', 'aria-label': 'Flow source', class: 'flow-editor' })
    const sourceView = h('pre', { class: 'source', 'data-testid': 'source' })

    let flowId = ''
    let current: FlowVersion | undefined
    let marked = new Set<string>()

    const drawCurrent = () => {
      if (!current) return
      replace(treeBox, drawTree(current.tree, marked))
    }
    const showProblems = (errors: Problem[], warnings: Problem[]) => {
      marked = new Set(errors.map((e) => e.node).filter((n): n is string => n !== undefined))
      drawCurrent()
      const item = (p: Problem, kind: 'error' | 'warning') =>
        h(
          'li',
          { class: kind, 'data-node': p.node },
          h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), selectLine(p.line)) }, `${p.line}:${p.column}`),
          ` ${kind === 'warning' ? 'warning: ' : ''}${p.path ? `${p.path}: ` : ''}${p.message}${p.node ? ` [${p.node}]` : ''}`,
        )
      replace(errorsList, errors.map((e) => item(e, 'error')), warnings.map((w) => item(w, 'warning')))
    }
    const selectLine = (line: number) => {
      const lines = editor.value.split('\n')
      if (line < 1 || line > lines.length) return
      const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0)
      editor.focus()
      editor.setSelectionRange(start, start + lines[line - 1]!.length)
    }

    const rollback = async (version: string) => {
      flash(status, `Rolling back to ${version}…`)
      try {
        const r = await api.post<FlowVersion>(`/api/flows/${encodeURIComponent(flowId)}/rollback`, { version })
        await load(flowId)
        flash(status, r.changed ? `Rolled back: version ${r.version} is current for new calls.` : `Version ${r.version} was already current.`, 'ok')
      } catch (err) {
        if (err instanceof ApiError && err.code === 'FLOW_INVALID') showProblems((err.details as Validation).errors ?? [], [])
        flash(status, `Rollback refused: ${(err as Error).message}`, 'error')
      }
    }

    const drawVersions = (list: VersionItem[]) => {
      replace(
        versionsBox,
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Current since'), h('th', {}, 'By'), h('th', {}, ''))),
          h(
            'tbody',
            {},
            list.map((v) =>
              h(
                'tr',
                { 'data-version': v.version, class: v.current ? 'current' : undefined },
                h('td', {}, h('code', {}, v.version), v.current ? [' ', h('span', { class: 'badge ok', 'data-testid': 'current-badge' }, 'current')] : null),
                h('td', {}, when(v.loadedAt)),
                h('td', {}, byText(v.by)),
                h('td', {}, canEdit && !v.current ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'rollback', onclick: () => void rollback(v.version) }, 'Roll back') : null),
              ),
            ),
          ),
        ),
      )
    }

    const load = async (id: string) => {
      flowId = id
      const [flow, versions] = await Promise.all([
        api.get<FlowVersion>(`/api/flows/${encodeURIComponent(id)}`),
        api.get<VersionItem[]>(`/api/flows/${encodeURIComponent(id)}/versions`),
      ])
      current = flow
      marked = new Set()
      replace(summary, `${flow.description ?? ''} — version `, h('code', { 'data-testid': 'current-version' }, flow.version), ` since ${when(flow.loadedAt)} (${byText(flow.by)})`)
      drawCurrent()
      drawVersions(versions)
      editor.value = flow.source
      sourceView.textContent = flow.source
      replace(errorsList)
      if (flow.warnings.length > 0) showProblems([], flow.warnings)
    }

    const validate = async () => {
      flash(status, 'Validating…')
      try {
        const r = await api.post<Validation>('/api/flows/validate', { id: flowId, source: editor.value })
        showProblems(r.errors, r.warnings)
        if (r.ok) flash(status, `Valid: it would become version ${r.version}${r.warnings.length ? ` (${r.warnings.length} warnings)` : ''}.`, 'ok')
        else flash(status, `${r.errors.length} error${r.errors.length === 1 ? '' : 's'}: nothing changed.`, 'error')
      } catch (err) {
        flash(status, `Validation failed: ${(err as Error).message}`, 'error')
      }
    }

    const upload = async () => {
      flash(status, 'Uploading…')
      try {
        const r = await api.put<FlowVersion>(`/api/flows/${encodeURIComponent(flowId)}`, { source: editor.value })
        await load(flowId)
        flash(status, r.changed ? `Uploaded: version ${r.version} is current for new calls.` : `No change: version ${r.version} is already current.`, 'ok')
      } catch (err) {
        if (err instanceof ApiError && err.code === 'FLOW_INVALID') {
          const d = err.details as Validation
          showProblems(d.errors ?? [], d.warnings ?? [])
          flash(status, `Upload refused (${(d.errors ?? []).length} errors): the running version stays.`, 'error')
        } else flash(status, `Upload failed: ${(err as Error).message}`, 'error')
      }
    }

    const editCard = canEdit
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, 'Edit'),
          editor,
          h(
            'div',
            { class: 'row' },
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'validate', onclick: () => void validate() }, 'Validate'),
            h('button', { type: 'button', 'data-testid': 'upload', onclick: () => void upload() }, 'Upload'),
          ),
          errorsList,
        )
      : h('section', { class: 'card' }, h('h2', {}, 'Source'), sourceView, errorsList)

    main.appendChild(
      h(
        'div',
        { class: 'flows' },
        h('section', { class: 'card' }, h('div', { class: 'row' }, title, h('label', { class: 'row' }, 'Flow', picker)), summary, status),
        h(
          'div',
          { class: 'grid flows-grid' },
          h('section', { class: 'card' }, h('h2', {}, 'Menu tree'), treeBox),
          h('div', {}, h('section', { class: 'card' }, h('h2', {}, 'Versions'), versionsBox), editCard),
        ),
      ),
    )

    picker.addEventListener('change', () => {
      load(picker.value).catch((err: unknown) => flash(status, `Cannot load ${picker.value}: ${(err as Error).message}`, 'error'))
    })

    api
      .get<FlowSummary[]>('/api/flows')
      .then(async (list) => {
        if (list.length === 0) {
          flash(status, 'No flow is loaded.', 'info')
          return
        }
        const wanted = new URLSearchParams(location.search).get('flow')
        const first = list.find((f) => f.id === wanted) ?? list.find((f) => f.id === 'national') ?? list[0]!
        replace(
          picker,
          list.map((f) => h('option', { value: f.id, selected: f.id === first.id }, f.id)),
        )
        await load(first.id)
      })
      .catch((err: unknown) => flash(status, `Cannot load the flows: ${(err as Error).message}`, 'error'))
  },
})
