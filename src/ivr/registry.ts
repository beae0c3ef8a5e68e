/**
 * FlowRegistry: the flows of config/flows/*.yaml, compiled at start and recompiled when a file
 * changes (fs.watch + debounce). A valid change becomes the current version of its flow id for
 * new calls; older versions stay reachable with get(id, version) for calls that started on
 * them. An invalid change is rejected with every error (logged and sent to onRejected) and the
 * running version stays. A deleted file keeps its last version running (with a warning): a flow
 * is retired by changing the entries in the engine config, never by a missing file.
 *
 * Changes through the API: install(id, text, by) validates with the same options, writes the
 * file atomically (temp file + rename) and loads the version at once; rollback(id, version, by)
 * makes a kept version current again and writes its text back to the file, so a restart keeps
 * it. Each version keeps its source text and when and by whom it became current; the list of
 * versions is in the order they became current (the current one first).
 */
import { randomBytes } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { formatErrors, type ConfigError } from '../config/errors.js'
import { RealClock, type Clock, type TimerHandle } from '../domain/clock.js'
import { silentLogger, type Logger } from '../domain/log.js'
import { compileFlow } from './compile.js'
import type { Catalogue, CompileResult, CompiledFlow, ValidateOptions } from './types.js'

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

/** How a version became current: read from its file (start, change on disk), uploaded, or rolled back to. */
export type FlowOrigin = { kind: 'file' } | { kind: 'upload' | 'rollback'; user: string }

export interface FlowVersion {
  flow: CompiledFlow
  /** When it became current (ms). */
  loadedAt: number
  by: FlowOrigin
}

export type InstallResult =
  | { ok: true; flow: CompiledFlow; changed: boolean; created: boolean; previous?: CompiledFlow; warnings: ConfigError[] }
  | { ok: false; errors: ConfigError[]; warnings: ConfigError[] }

export type RollbackResult =
  | { ok: true; flow: CompiledFlow; changed: boolean; previous: CompiledFlow }
  | { ok: false; reason: 'unknown_flow' }
  | { ok: false; reason: 'unknown_version' }
  | { ok: false; reason: 'invalid'; errors: ConfigError[]; warnings: ConfigError[] }

/** Flow ids (the file name without .yaml). */
export const FLOW_ID = /^[A-Za-z][A-Za-z0-9_-]*$/
const FLOW_FILE = /^([A-Za-z][A-Za-z0-9_-]*)\.ya?ml$/

export class FlowRegistry {
  private readonly versions = new Map<string, FlowVersion[]>()
  /** The file each flow id was read from (a.yaml or a.yml). */
  private readonly files = new Map<string, string>()
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
    return this.versions.get(id)?.[0]?.flow
  }

  get(id: string, version: string): CompiledFlow | undefined {
    return this.versions.get(id)?.find((v) => v.flow.version === version)?.flow
  }

  /** The versions of a flow with when and by whom each became current, the current one first. */
  history(id: string): FlowVersion[] {
    return [...(this.versions.get(id) ?? [])]
  }

  ids(): string[] {
    return [...this.versions.keys()].sort()
  }

  /** Versions of a flow, newest first. */
  versionsOf(id: string): string[] {
    return (this.versions.get(id) ?? []).map((v) => v.flow.version)
  }

  /** Compiles a flow text with the options the registry loads files with (nothing changes). */
  compile(text: string, o: { id?: string; file?: string } = {}): CompileResult {
    const sections = typeof this.opts.sections === 'function' ? this.opts.sections() : this.opts.sections
    const catalogue = typeof this.opts.catalogue === 'function' ? this.opts.catalogue() : this.opts.catalogue
    return compileFlow(
      { file: o.file ?? (o.id !== undefined ? this.fileName(o.id) : '<request>'), text },
      { catalogue, ...(o.id !== undefined ? { expectedId: o.id } : {}), ...(sections ? { sections } : {}), ...(this.opts.engine ? { engine: this.opts.engine } : {}) },
    )
  }

  /**
   * A new version of flow `id` from its text: validated as a file would be; when valid, written
   * to its file atomically and current at once (no wait for the watcher). Invalid: every error,
   * nothing written, the running version stays. A new id creates the flow's file.
   */
  install(id: string, text: string, by: FlowOrigin): Promise<InstallResult> {
    if (!FLOW_ID.test(id)) return Promise.reject(new Error(`invalid flow id '${id}'`))
    const name = this.fileName(id)
    return this.serialize(name, async (): Promise<InstallResult> => {
      const r = this.compile(text, { id, file: path.join(this.opts.dir, name) })
      if (!r.ok) {
        this.log.warn({ flow: id, errors: r.errors.length }, 'flow upload rejected; the running version stays')
        return { ok: false, errors: r.errors, warnings: r.warnings }
      }
      const cur = this.current(id)
      if (cur && cur.version === r.flow.version) return { ok: true, flow: cur, changed: false, created: false, previous: cur, warnings: r.warnings }
      await this.writeAtomic(name, text)
      this.files.set(id, name)
      this.add(r.flow, by)
      this.log.info({ flow: id, version: r.flow.version, previous: cur?.version, by: by.kind }, cur ? 'flow uploaded' : 'flow created')
      this.notify(this.reloadListeners, { file: r.flow.source.file, flow: r.flow, ...(cur ? { previous: cur } : {}) })
      return { ok: true, flow: r.flow, changed: true, created: !cur, ...(cur ? { previous: cur } : {}), warnings: r.warnings }
    })
  }

  /**
   * Makes a kept version current again (new calls get it; calls in progress stay on theirs) and
   * writes its text back to the file. Checked again first (the catalogue or the sections may
   * have changed since): an invalid one is refused with its errors.
   */
  rollback(id: string, version: string, by: FlowOrigin): Promise<RollbackResult> {
    if (!this.versions.has(id)) return Promise.resolve({ ok: false, reason: 'unknown_flow' })
    const name = this.fileName(id)
    return this.serialize(name, async (): Promise<RollbackResult> => {
      const list = this.versions.get(id) ?? []
      const cur = list[0]!.flow
      const target = list.find((v) => v.flow.version === version)?.flow
      if (!target) return { ok: false, reason: 'unknown_version' }
      if (target === cur) return { ok: true, flow: cur, changed: false, previous: cur }
      const r = this.compile(target.source.text, { id, file: target.source.file })
      if (!r.ok) return { ok: false, reason: 'invalid', errors: r.errors, warnings: r.warnings }
      await this.writeAtomic(name, target.source.text)
      this.add(target, by)
      this.log.info({ flow: id, version, previous: cur.version }, 'flow rolled back')
      this.notify(this.reloadListeners, { file: target.source.file, flow: target, previous: cur })
      return { ok: true, flow: target, changed: true, previous: cur }
    })
  }

  private fileName(id: string): string {
    return this.files.get(id) ?? `${id}.yaml`
  }

  /** Puts `flow` first (current), dropping its older entry, within keepVersions. */
  private add(flow: CompiledFlow, by: FlowOrigin): void {
    const entry: FlowVersion = { flow, loadedAt: this.clock.now(), by }
    const list = [entry, ...(this.versions.get(flow.id) ?? []).filter((v) => v.flow.version !== flow.version)]
    this.versions.set(flow.id, list.slice(0, Math.max(1, this.opts.keepVersions ?? 50)))
  }

  /** Temp file in the same directory (a name the watcher ignores), then rename over the flow file. */
  private async writeAtomic(name: string, text: string): Promise<void> {
    const tmp = path.join(this.opts.dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
    try {
      await writeFile(tmp, text, 'utf8')
      await rename(tmp, path.join(this.opts.dir, name))
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
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
    return this.serialize(name, () => this.doReload(name))
  }

  /** Runs `fn` after whatever runs on the same file (reloads, installs, rollbacks: one at a time per file). */
  private serialize<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(name) ?? Promise.resolve()
    const next = prev.then(fn)
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
    const r = this.compile(text, { id, file })
    if (!r.ok) return this.reject({ file, errors: r.errors, warnings: r.warnings })
    if (cur && cur.version === r.flow.version) return 'unchanged'
    for (const w of r.warnings) this.log.warn({ flow: id, file }, formatErrors([w]))
    if (!this.files.has(id)) this.files.set(id, name)
    this.add(r.flow, { kind: 'file' })
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
