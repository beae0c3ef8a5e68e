/**
 * FlowRegistry: the flows of config/flows/*.yaml, compiled at start and recompiled when a file
 * changes (fs.watch + debounce). A valid change becomes the current version of its flow id for
 * new calls; older versions stay reachable with get(id, version) for calls that started on
 * them. An invalid change is rejected with every error (logged and sent to onRejected) and the
 * running version stays. A deleted file keeps its last version running (with a warning): a flow
 * is retired by changing the entries in the engine config, never by a missing file.
 */
import { watch, type FSWatcher } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { formatErrors, type ConfigError } from '../config/errors.js'
import { RealClock, type Clock, type TimerHandle } from '../domain/clock.js'
import { silentLogger, type Logger } from '../domain/log.js'
import { compileFlow } from './compile.js'
import type { Catalogue, CompiledFlow, ValidateOptions } from './types.js'

export interface FlowRegistryOptions {
  dir: string
  /** The catalogue (or a getter, to pick up a reloaded one). */
  catalogue: Catalogue | (() => Catalogue)
  sections?: ValidateOptions['sections'] | (() => ValidateOptions['sections'])
  engine?: ValidateOptions['engine']
  logger?: Logger
  /** Quiet time after the last change of a file before it is recompiled (default 150 ms). */
  debounceMs?: number
  /** Versions kept per flow id, newest first (default 50). */
  keepVersions?: number
  clock?: Clock
}

export interface FlowRejection {
  file: string
  errors: ConfigError[]
  warnings: ConfigError[]
}

export interface FlowReload {
  file: string
  flow: CompiledFlow
  previous?: CompiledFlow
}

export type ReloadResult = 'loaded' | 'unchanged' | 'rejected' | 'deleted' | 'ignored'

const FLOW_FILE = /^([A-Za-z][A-Za-z0-9_-]*)\.ya?ml$/

export class FlowRegistry {
  private readonly versions = new Map<string, CompiledFlow[]>()
  private readonly reloadListeners = new Set<(r: FlowReload) => void>()
  private readonly rejectListeners = new Set<(r: FlowRejection) => void>()
  private readonly timers = new Map<string, TimerHandle>()
  private readonly chains = new Map<string, Promise<unknown>>()
  private watcher: FSWatcher | undefined
  private readonly log: Logger
  private readonly clock: Clock

  constructor(private readonly opts: FlowRegistryOptions) {
    this.log = opts.logger ?? silentLogger()
    this.clock = opts.clock ?? new RealClock()
  }

  /** Compiles every flow file of the directory; invalid files are reported, valid ones loaded. */
  async load(): Promise<{ loaded: CompiledFlow[]; rejected: FlowRejection[] }> {
    const names = (await readdir(this.opts.dir)).filter((n) => FLOW_FILE.test(n)).sort()
    const loaded: CompiledFlow[] = []
    const rejected: FlowRejection[] = []
    const onReject = (r: FlowRejection) => rejected.push(r)
    const onLoad = (r: FlowReload) => loaded.push(r.flow)
    this.rejectListeners.add(onReject)
    this.reloadListeners.add(onLoad)
    try {
      for (const name of names) await this.reloadFile(name)
    } finally {
      this.rejectListeners.delete(onReject)
      this.reloadListeners.delete(onLoad)
    }
    this.log.info({ flows: loaded.map((f) => `${f.id}@${f.version}`), rejected: rejected.length }, 'flows loaded')
    return { loaded, rejected }
  }

  /** Starts watching the directory for changes. */
  watch(): void {
    if (this.watcher) return
    this.watcher = watch(this.opts.dir, (_event, filename) => {
      if (filename && FLOW_FILE.test(path.basename(filename))) this.schedule(path.basename(filename))
    })
    this.watcher.on('error', (err) => this.log.error({ err }, 'flow directory watch failed'))
  }

  async start(): Promise<{ loaded: CompiledFlow[]; rejected: FlowRejection[] }> {
    const r = await this.load()
    this.watch()
    return r
  }

  /** Stops watching; loaded flows stay available. Resolves when reloads under way have finished. */
  async close(): Promise<void> {
    this.watcher?.close()
    this.watcher = undefined
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
    await Promise.allSettled([...this.chains.values()])
  }

  current(id: string): CompiledFlow | undefined {
    return this.versions.get(id)?.[0]
  }

  get(id: string, version: string): CompiledFlow | undefined {
    return this.versions.get(id)?.find((f) => f.version === version)
  }

  ids(): string[] {
    return [...this.versions.keys()].sort()
  }

  /** Versions of a flow, newest first. */
  versionsOf(id: string): string[] {
    return (this.versions.get(id) ?? []).map((f) => f.version)
  }

  onReload(listener: (r: FlowReload) => void): () => void {
    this.reloadListeners.add(listener)
    return () => this.reloadListeners.delete(listener)
  }

  onRejected(listener: (r: FlowRejection) => void): () => void {
    this.rejectListeners.add(listener)
    return () => this.rejectListeners.delete(listener)
  }

  private schedule(name: string): void {
    this.timers.get(name)?.cancel()
    this.timers.set(
      name,
      this.clock.setTimeout(() => {
        this.timers.delete(name)
        void this.reloadFile(name)
      }, this.opts.debounceMs ?? 150),
    )
  }

  /** Recompiles one file of the directory (by name), one reload per file at a time. */
  reloadFile(name: string): Promise<ReloadResult> {
    const prev = this.chains.get(name) ?? Promise.resolve()
    const next = prev.then(() => this.doReload(name))
    const settled = next.catch(() => undefined)
    this.chains.set(name, settled)
    void settled.then(() => {
      if (this.chains.get(name) === settled) this.chains.delete(name)
    })
    return next
  }

  private async doReload(name: string): Promise<ReloadResult> {
    const m = FLOW_FILE.exec(name)
    if (!m) return 'ignored'
    const id = m[1]!
    const file = path.join(this.opts.dir, name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        const cur = this.current(id)
        if (cur) this.log.warn({ flow: id, version: cur.version, file }, 'flow file deleted; its last version keeps running until restart')
        return 'deleted'
      }
      return this.reject({ file, errors: [{ file, line: 0, column: 0, path: '', message: `cannot read flow file (${(err as NodeJS.ErrnoException).code ?? 'error'})` }], warnings: [] })
    }
    const cur = this.current(id)
    const sections = typeof this.opts.sections === 'function' ? this.opts.sections() : this.opts.sections
    const catalogue = typeof this.opts.catalogue === 'function' ? this.opts.catalogue() : this.opts.catalogue
    const r = compileFlow(
      { file, text },
      { catalogue, expectedId: id, ...(sections ? { sections } : {}), ...(this.opts.engine ? { engine: this.opts.engine } : {}) },
    )
    if (!r.ok) return this.reject({ file, errors: r.errors, warnings: r.warnings })
    if (cur && cur.version === r.flow.version) return 'unchanged'
    for (const w of r.warnings) this.log.warn({ flow: id, file }, formatErrors([w]))
    const list = [r.flow, ...(this.versions.get(id) ?? []).filter((f) => f.version !== r.flow.version)]
    this.versions.set(id, list.slice(0, Math.max(1, this.opts.keepVersions ?? 50)))
    this.log.info({ flow: id, version: r.flow.version, previous: cur?.version }, cur ? 'flow reloaded' : 'flow loaded')
    const ev: FlowReload = { file, flow: r.flow, ...(cur ? { previous: cur } : {}) }
    this.notify(this.reloadListeners, ev)
    return 'loaded'
  }

  private reject(r: FlowRejection): 'rejected' {
    this.log.warn({ file: r.file, errors: r.errors.length }, `flow rejected; the running version stays:\n${formatErrors(r.errors)}`)
    this.notify(this.rejectListeners, r)
    return 'rejected'
  }

  private notify<T>(listeners: ReadonlySet<(v: T) => void>, v: T): void {
    for (const l of [...listeners]) {
      try {
        l(v)
      } catch (err) {
        this.log.error({ err }, 'flow registry listener failed')
      }
    }
  }
}
