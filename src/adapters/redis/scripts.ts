/**
 * The store's Lua scripts: one verb per file in ./scripts, named <verb>-<number of keys>.lua,
 * each opening with a header that names its KEYS, ARGV and reply; a line `--- @include name`
 * pulls in scripts/include/name.lua (record helpers shared by several scripts). This module
 * finds the files, reads them, registers them on an ioredis client with defineCommand (ioredis sends
 * EVAL the first time on a connection, EVALSHA after, and falls back to EVAL on NOSCRIPT, so a
 * SCRIPT FLUSH or a restarted server costs one extra round trip), and gives each a typed call.
 *
 * The files are found next to this module: src/adapters/redis/scripts under tsx, and
 * dist/adapters/redis/scripts after `npm run build` (which copies them). A dist built by a
 * bare `tsc` falls back to the source tree, ../../../src/adapters/redis/scripts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChainableCommander, Cluster, Redis } from 'ioredis'

type Arg = string | number

/** Script name -> its keys (named tuple) and what it replies. */
export interface ScriptTypes {
  enqueue: { keys: [entries: string, entryQueues: string, entryMembers: string, queue: string, seq: string, op: string]; reply: string }
  remove: { keys: [entries: string, entryQueues: string, entryMembers: string, op: string]; reply: string | null }
  'mark-offered': { keys: [entries: string, op: string]; reply: number }
  'mark-waiting': { keys: [entries: string, op: string]; reply: number }
  'enqueue-callback': { keys: [entries: string, callbacks: string, op: string]; reply: 'ok' | 'duplicate' | 'not_waiting' }
  'queue-list': { keys: [queue: string, entries: string]; reply: string[] }
  'agent-upsert': { keys: [agents: string, order: string, orderCounter: string, op: string]; reply: number }
  'agent-transition': { keys: [agents: string, op: string]; reply: string | null }
  'agent-list': { keys: [order: string, agents: string]; reply: string[] }
  'event-append': { keys: [stream: string, ids: string, counter: string]; reply: number }
  'history-record': { keys: [history: string]; reply: number }
  'call-put': { keys: [calls: string, callServers: string, serverSet: string, op: string]; reply: number }
  'call-delete': { keys: [calls: string, callServers: string, op: string]; reply: number }
  'call-list': { keys: [serverSet: string, calls: string]; reply: string[] }
  'lease-acquire': { keys: [lease: string]; reply: number }
  'lease-renew': { keys: [lease: string]; reply: number }
  'lease-release': { keys: [lease: string]; reply: number }
  'escalation-create': { keys: [escalations: string, index: string, outbox: string, due: string, op: string]; reply: number }
  'escalation-transition': { keys: [escalations: string, outbox: string, due: string, op: string]; reply: number }
  'outbox-claim': { keys: [due: string, outbox: string, op: string]; reply: string[] }
  'outbox-drop': { keys: [due: string, outbox: string, aside: string, op: string]; reply: number }
  'outbox-failed': { keys: [due: string, outbox: string]; reply: number }
  'outbox-requeue': { keys: [aside: string, outbox: string, due: string, op: string]; reply: number }
  'campaign-put': { keys: [campaigns: string]; reply: number }
  'campaign-status': { keys: [campaigns: string, op: string]; reply: string | null }
  'campaign-add': { keys: [campaigns: string, contacts: string, order: string, due: string, counts: string, op: string]; reply: [added: number, merged: number] | null }
  'campaign-claim': { keys: [contacts: string, due: string, dialing: string, counts: string, engines: string, op: string]; reply: string[] }
  'campaign-complete': { keys: [contacts: string, due: string, dialing: string, counts: string, engines: string, stats: string, op: string]; reply: string | null }
  'campaign-release': { keys: [contacts: string, due: string, dialing: string, counts: string, engines: string]; reply: string[] }
  'campaign-renew': { keys: [contacts: string, dialing: string]; reply: number }
  'campaign-scan': { keys: [order: string, contacts: string]; reply: [length: number, ...records: string[]] }
  'campaign-answer': { keys: [window: string, op: string]; reply: number }
  'campaign-window': { keys: [window: string]; reply: [answers: number, abandons: number] }
  'campaign-bump': { keys: [stats: string, op: string]; reply: number }
  'campaign-exclude': { keys: [contacts: string, due: string, counts: string]; reply: number }
}

export type ScriptName = keyof ScriptTypes

export const SCRIPT_NAMES: readonly ScriptName[] = [
  'enqueue',
  'remove',
  'mark-offered',
  'mark-waiting',
  'enqueue-callback',
  'queue-list',
  'agent-upsert',
  'agent-transition',
  'agent-list',
  'event-append',
  'history-record',
  'call-put',
  'call-delete',
  'call-list',
  'lease-acquire',
  'lease-renew',
  'lease-release',
  'escalation-create',
  'escalation-transition',
  'outbox-claim',
  'outbox-drop',
  'outbox-failed',
  'outbox-requeue',
]

export interface LuaScript {
  name: ScriptName
  file: string
  numberOfKeys: number
  lua: string
}

const FILE_NAME = /^([a-z][a-z0-9-]*?)-(\d+)\.lua$/

const here = path.dirname(fileURLToPath(import.meta.url))

/** Where the .lua files may be, best first. */
export function scriptDirCandidates(moduleDir: string = here): string[] {
  return [path.join(moduleDir, 'scripts'), path.resolve(moduleDir, '../../../src/adapters/redis/scripts')]
}

/** Reads every script; throws naming the directories searched if one is missing. */
export function loadScripts(dirs: string[] = scriptDirCandidates()): Record<ScriptName, LuaScript> {
  const dir = dirs.find((d) => existsSync(d))
  if (!dir) throw new Error(`Redis store: no Lua scripts directory (looked in ${dirs.join(', ')})`)
  const found = new Map<string, LuaScript>()
  for (const file of readdirSync(dir)) {
    const m = FILE_NAME.exec(file)
    if (!m) continue
    const name = m[1] as ScriptName
    if (found.has(name)) throw new Error(`Redis store: two scripts for '${name}' in ${dir}`)
    found.set(name, { name, file: path.join(dir, file), numberOfKeys: Number(m[2]), lua: expandIncludes(readFileSync(path.join(dir, file), 'utf8'), dir) })
  }
  const missing = SCRIPT_NAMES.filter((n) => !found.has(n))
  if (missing.length > 0) throw new Error(`Redis store: missing Lua scripts in ${dir}: ${missing.join(', ')}`)
  return Object.fromEntries(SCRIPT_NAMES.map((n) => [n, found.get(n)!])) as Record<ScriptName, LuaScript>
}

/** Replaces each line `--- @include <name>` by the file include/<name>.lua (shared Lua helpers). */
export function expandIncludes(lua: string, dir: string): string {
  return lua.replace(/^--- @include ([a-z0-9-]+)$/gm, (_m, name: string) => {
    const file = path.join(dir, 'include', `${name}.lua`)
    if (!existsSync(file)) throw new Error(`Redis store: ${file} (included) not found`)
    return readFileSync(file, 'utf8').trimEnd()
  })
}

/** The ioredis command name a script is registered under. */
export function commandName(name: ScriptName): string {
  return 'centralino' + name.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase())
}

type Client = Redis | Cluster
type ScriptFn = (...args: Arg[]) => Promise<unknown>

export interface Scripts {
  /** Runs a script on the client. */
  run<N extends ScriptName>(name: N, keys: ScriptTypes[N]['keys'], args: Arg[]): Promise<ScriptTypes[N]['reply']>
  /** Queues a script on a pipeline of the same client. */
  queue<N extends ScriptName>(p: ChainableCommander, name: N, keys: ScriptTypes[N]['keys'], args: Arg[]): void
}

/** Registers every script on `client` (defineCommand) and returns the typed callers. */
export function defineScripts(client: Client, scripts: Record<ScriptName, LuaScript> = loadScripts()): Scripts {
  for (const s of Object.values(scripts)) client.defineCommand(commandName(s.name), { numberOfKeys: s.numberOfKeys, lua: s.lua })
  const fn = (target: object, name: ScriptName): ScriptFn => {
    const f = (target as Record<string, ScriptFn | undefined>)[commandName(name)]
    if (!f) throw new Error(`Redis store: script '${name}' is not defined on this client`)
    return f.bind(target)
  }
  const check = (name: ScriptName, keys: readonly string[]) => {
    if (keys.length !== scripts[name].numberOfKeys) throw new Error(`Redis store: script '${name}' takes ${scripts[name].numberOfKeys} keys, got ${keys.length}`)
  }
  return {
    run(name, keys, args) {
      check(name, keys)
      return fn(client, name)(...keys, ...args) as Promise<never>
    },
    queue(p, name, keys, args) {
      check(name, keys)
      void fn(p, name)(...keys, ...args)
    },
  }
}
