/**
 * The voice-portal flows over HTTP: list them, read a version (its YAML source and the tree to
 * draw), validate a text without changing anything, upload a new version (validated as the
 * file watcher would, written atomically to config/flows/<id>.yaml and current at once) and
 * roll back to a kept version. Every error of a flow text comes with its line, column, path and
 * the node it belongs to, so a page can mark it on the tree.
 *
 * Roles: supervisors change and validate; supervisors and viewers read.
 *
 * An upload for an id with no flow yet creates it: the engine names flows by id (entries,
 * defaultFlow, message campaigns), so a new flow serves calls once something names it.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { ConfigError } from '../../config/errors.js'
import { parseYaml } from '../../config/yaml.js'
import type { AuditLog } from '../../domain/audit.js'
import { AppError } from '../../domain/errors.js'
import type { FlowOrigin, FlowRegistry, FlowVersion } from '../../ivr/registry.js'
import { flowTree, nodeOfPath } from '../../ivr/tree.js'
import { errorResponses } from '../errors.js'
import { acceptYamlText, StringEnum, YAML_TYPES } from '../schemas.js'
import { audited } from './audit.js'

export type FlowSource = Pick<FlowRegistry, 'ids' | 'current' | 'history' | 'compile' | 'install' | 'rollback'>

export interface FlowRoutesOptions {
  flows: FlowSource
  clock: { now(): number }
  /** Where uploads and rollbacks are recorded (who, old and new version). */
  audit?: AuditLog
}

const FlowId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', maxLength: 64, description: 'Flow id (its file is config/flows/<id>.yaml)' })
const Version = Type.String({ pattern: '^[0-9a-f]{12}$', description: 'Content hash of the flow text' })
const Params = Type.Object({ id: FlowId })

const FlowText = Type.Union(
  [
    Type.String({ description: 'The flow YAML (content-type text/yaml or application/x-yaml)' }),
    Type.Object({ id: Type.Optional(FlowId), source: Type.String({ description: 'The flow YAML' }) }, { additionalProperties: false }),
  ],
  { description: 'The flow text: YAML as it is, or JSON { id?, source }' },
)

const By = Type.Object({ kind: StringEnum(['file', 'upload', 'rollback'], { description: 'file: read from its file (start or change on disk); upload, rollback: through the API' }), user: Type.Optional(Type.String()) })

const Problem = Type.Object({
  line: Type.Integer({ description: '1-based; 0 when the problem has no position' }),
  column: Type.Integer(),
  path: Type.String({ description: 'Dotted path in the file, e.g. nodes.main.options.1' }),
  message: Type.String(),
  node: Type.Optional(Type.String({ description: 'The flow node the problem belongs to' })),
})

export const FlowTreeSchema = Type.Object(
  {
    start: Type.String(),
    operator: Type.Union([Type.Object({ digit: Type.String(), target: Type.String() }), Type.Null()]),
    nodes: Type.Array(
      Type.Object({
        id: Type.String(),
        type: Type.String(),
        prompts: Type.Array(Type.String(), { description: 'Catalogue prompt ids played, in order' }),
        edges: Type.Array(Type.Object({ label: Type.String(), via: Type.String(), digit: Type.Optional(Type.String()), to: Type.String() })),
        builtin: Type.Optional(Type.Boolean()),
        detail: Type.Optional(Type.String()),
      }),
    ),
  },
  { $id: 'FlowTree', description: 'The compiled flow as nodes and edges (digit or outcome -> node id) to draw' },
)

const VersionItem = Type.Object({ version: Type.String(), loadedAt: Type.String({ description: 'When it became current' }), by: By, current: Type.Boolean() })

export const FlowVersionSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.String(),
    current: Type.Boolean(),
    loadedAt: Type.String({ description: 'When it became current' }),
    by: By,
    description: Type.Optional(Type.String()),
    source: Type.String({ description: 'The YAML text' }),
    tree: Type.Ref(FlowTreeSchema),
    warnings: Type.Array(Problem),
    changed: Type.Optional(Type.Boolean({ description: 'Upload and rollback: false when it was current already' })),
  },
  { $id: 'FlowVersion' },
)

const Summary = Type.Object({
  id: Type.String(),
  version: Type.String({ description: 'The current version' }),
  versions: Type.Integer({ description: 'Versions kept' }),
  description: Type.Optional(Type.String()),
  loadedAt: Type.String(),
  by: By,
})

const ValidateAnswer = Type.Object({
  ok: Type.Boolean(),
  id: Type.Optional(Type.String()),
  version: Type.Optional(Type.String({ description: 'The version it would become' })),
  errors: Type.Array(Problem),
  warnings: Type.Array(Problem),
  tree: Type.Optional(Type.Ref(FlowTreeSchema)),
})

/** The node ids written in a flow text (none when it does not parse). */
function nodeIds(text: string): string[] {
  const v = parseYaml(text, '<flow>').source.value as { nodes?: unknown } | null
  return v && typeof v === 'object' && v.nodes && typeof v.nodes === 'object' && !Array.isArray(v.nodes) ? Object.keys(v.nodes) : []
}

/** Problems for the API: no server file path; the node each belongs to. */
function problems(list: readonly ConfigError[], ids: readonly string[]) {
  return list.map((e) => {
    const node = nodeOfPath(e.path, ids)
    return { line: e.line, column: e.column, path: e.path, message: e.message, ...(node !== undefined ? { node } : {}) }
  })
}

function invalid(what: string, errors: readonly ConfigError[], warnings: readonly ConfigError[], text: string): AppError {
  const ids = nodeIds(text)
  const errs = problems(errors, ids)
  const first = errs[0]
  const where = first ? `${first.line}:${first.column} ${first.path ? `${first.path}: ` : ''}${first.message}` : ''
  return new AppError('FLOW_INVALID', `${what}: ${where}${errs.length > 1 ? ` (and ${errs.length - 1} more)` : ''}`, { errors: errs, warnings: problems(warnings, ids) })
}

const isoOf = (ms: number) => new Date(ms).toISOString()
const byOf = (b: FlowOrigin) => (b.kind === 'file' ? { kind: b.kind } : { kind: b.kind, user: b.user })

function versionBody(v: FlowVersion, current: boolean) {
  const f = v.flow
  return {
    id: f.id,
    version: f.version,
    current,
    loadedAt: isoOf(v.loadedAt),
    by: byOf(v.by),
    ...(f.description !== undefined ? { description: f.description } : {}),
    source: f.source.text,
    tree: flowTree(f),
    warnings: problems(f.warnings, Object.keys(f.nodes)),
  }
}

/** The text and the id of a body: YAML as it is, or JSON { id?, source }. */
function textOf(body: unknown): { text: string; id?: string } {
  if (typeof body === 'string') return { text: body }
  if (body && typeof body === 'object' && typeof (body as { source?: unknown }).source === 'string') {
    const b = body as { id?: string; source: string }
    return { text: b.source, ...(b.id !== undefined ? { id: b.id } : {}) }
  }
  throw new AppError('BAD_REQUEST', 'send the flow as text/yaml, or JSON { source }', { errors: [{ path: '/body', message: 'must be the flow YAML' }] })
}

const userOf = (req: FastifyRequest) => req.principal?.user ?? 'anonymous'

export const flowRoutes: FastifyPluginAsyncTypebox<FlowRoutesOptions> = async (app, o) => {
  app.addSchema(FlowTreeSchema)
  app.addSchema(FlowVersionSchema)
  const tags = ['flows']
  const read = { roles: ['supervisor', 'viewer'] as const }
  const change = { roles: ['supervisor'] as const }
  const flows = o.flows
  const VersionRef = Type.Ref(FlowVersionSchema)

  acceptYamlText(app)

  const historyOf = (id: string) => {
    const h = flows.history(id)
    if (h.length === 0) throw new AppError('NOT_FOUND', `no flow ${id}`)
    return h
  }

  app.get(
    '/api/flows',
    { config: read, schema: { tags, summary: 'Every flow: its current version and how many versions are kept', response: { 200: Type.Array(Summary), ...errorResponses } } },
    async () =>
      flows.ids().map((id) => {
        const h = flows.history(id)
        const cur = h[0]!
        return {
          id,
          version: cur.flow.version,
          versions: h.length,
          ...(cur.flow.description !== undefined ? { description: cur.flow.description } : {}),
          loadedAt: isoOf(cur.loadedAt),
          by: byOf(cur.by),
        }
      }),
  )

  app.get(
    '/api/flows/:id',
    { config: read, schema: { tags, summary: 'The current version of a flow: its YAML source, the tree to draw, when and by whom it was loaded', params: Params, response: { 200: VersionRef, ...errorResponses } } },
    async (req) => versionBody(historyOf(req.params.id)[0]!, true),
  )

  app.get(
    '/api/flows/:id/versions',
    { config: read, schema: { tags, summary: 'The versions kept, the current one first (in the order they became current)', params: Params, response: { 200: Type.Array(VersionItem), ...errorResponses } } },
    async (req) => historyOf(req.params.id).map((v, i) => ({ version: v.flow.version, loadedAt: isoOf(v.loadedAt), by: byOf(v.by), current: i === 0 })),
  )

  app.get(
    '/api/flows/:id/versions/:version',
    {
      config: read,
      schema: { tags, summary: 'One kept version with its source and tree', params: Type.Object({ id: FlowId, version: Version }), response: { 200: VersionRef, ...errorResponses } },
    },
    async (req) => {
      const h = historyOf(req.params.id)
      const i = h.findIndex((v) => v.flow.version === req.params.version)
      if (i < 0) throw new AppError('NOT_FOUND', `flow ${req.params.id} has no version ${req.params.version} kept`)
      return versionBody(h[i]!, i === 0)
    },
  )

  app.post(
    '/api/flows/validate',
    {
      config: change,
      schema: {
        tags,
        summary: 'Check a flow text as an upload would be checked; changes nothing. Every error with line, column, path and node',
        description: 'With an id (JSON id, or the query), the text must be that flow (its flow: field). 200 whether valid or not: ok says.',
        consumes: ['application/json', ...YAML_TYPES],
        querystring: Type.Object({ id: Type.Optional(FlowId) }, { additionalProperties: false }),
        body: FlowText,
        response: { 200: ValidateAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const { text, id: bodyId } = textOf(req.body)
      const id = bodyId ?? req.query.id
      const r = flows.compile(text, id !== undefined ? { id, file: `${id}.yaml` } : {})
      if (!r.ok) {
        const ids = nodeIds(text)
        return { ok: false, ...(id !== undefined ? { id } : {}), errors: problems(r.errors, ids), warnings: problems(r.warnings, ids) }
      }
      return { ok: true, id: r.flow.id, version: r.flow.version, errors: [], warnings: problems(r.warnings, Object.keys(r.flow.nodes)), tree: flowTree(r.flow) }
    },
  )

  app.put(
    '/api/flows/:id',
    {
      config: change,
      schema: {
        tags,
        summary: 'Upload a new version: validated, written to config/flows/<id>.yaml and current at once for new calls (calls in progress stay on theirs)',
        description: 'Invalid: 400 FLOW_INVALID with every error in details.errors, and the running version stays. A new id creates the flow (201).',
        consumes: ['application/json', ...YAML_TYPES],
        params: Params,
        body: FlowText,
        response: { 200: VersionRef, 201: VersionRef, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = req.params.id
      const { text, id: bodyId } = textOf(req.body)
      if (bodyId !== undefined && bodyId !== id) throw new AppError('BAD_REQUEST', `invalid flow: /body/id must be the flow's id (${id})`, { errors: [{ path: '/body/id', message: `must be ${id}` }] })
      const r = await flows.install(id, text, { kind: 'upload', user: userOf(req) })
      if (!r.ok) throw invalid(`invalid flow ${id}; the running version stays`, r.errors, r.warnings, text)
      if (r.changed) {
        await audited(o.audit, req, o.clock.now(), r.created ? 'flow.create' : 'flow.upload', `flow:${id}`, r.previous ? { version: r.previous.version } : undefined, { version: r.flow.version, source: text })
      }
      const h = flows.history(id)
      return reply.status(r.created ? 201 : 200).send({ ...versionBody(h[0]!, true), changed: r.changed })
    },
  )

  app.post(
    '/api/flows/:id/rollback',
    {
      config: change,
      schema: {
        tags,
        summary: 'Make a kept version current again (for new calls) and write it back to the file; checked again first',
        params: Params,
        body: Type.Object({ version: Version }, { additionalProperties: false }),
        response: { 200: VersionRef, ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id
      const r = await flows.rollback(id, req.body.version, { kind: 'rollback', user: userOf(req) })
      if (!r.ok) {
        if (r.reason === 'unknown_flow') throw new AppError('NOT_FOUND', `no flow ${id}`)
        if (r.reason === 'unknown_version') throw new AppError('NOT_FOUND', `flow ${id} has no version ${req.body.version} kept`)
        throw invalid(`version ${req.body.version} of flow ${id} is no longer valid; the running version stays`, r.errors, r.warnings, flows.history(id).find((v) => v.flow.version === req.body.version)?.flow.source.text ?? '')
      }
      if (r.changed) await audited(o.audit, req, o.clock.now(), 'flow.rollback', `flow:${id}`, { version: r.previous.version }, { version: r.flow.version })
      return { ...versionBody(flows.history(id)[0]!, true), changed: r.changed }
    },
  )
}
