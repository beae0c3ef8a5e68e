/**
 * Compares what the simulator sent with a trace. Events are compared per socket and per
 * entity (channel, bridge, playback), in order, because the interleaving of different
 * channels legitimately varies. Fields are compared recursively (keys, their order, and
 * values) after normalising what legitimately differs: Local/Announcer name counters,
 * timestamps and creation times (whose format is checked), the order of id lists.
 * DeviceStateChanged is compared as a set of (device, state) per socket, since Asterisk
 * coalesces device state updates. Every mismatch names the trace line, the field, the
 * expected and the received value.
 */
import type { GotResponse, ReplayResult } from './runner.js'
import type { TraceLine } from './trace.js'

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/
const UNORDERED = new Set(['channels', 'channel_ids', 'bridge_ids', 'endpoint_ids', 'device_names'])
const RESPONSE_HEADERS = ['server', 'content-type', 'cache-control', 'content-length', 'location', 'allow', 'www-authenticate']

const norm = (s: string): string => s.replace(/-[0-9a-f]{8}(;[12])/g, '-XXXXXXXX$1')

type Json = unknown

function groupKey(e: Record<string, Json>): string {
  const id = (o: Json): string => String((o as Record<string, Json> | undefined)?.id ?? '?')
  switch (e.type) {
    case 'Dial':
      return `channel ${id(e.peer)}`
    case 'BridgeCreated':
    case 'BridgeDestroyed':
      return `bridge ${id(e.bridge)}`
    case 'PlaybackStarted':
    case 'PlaybackContinuing':
    case 'PlaybackFinished':
      return `playback ${id(e.playback)}`
    case 'ApplicationReplaced':
      return 'application'
    default:
      return e.channel ? `channel ${id(e.channel)}` : `other ${String(e.type)}`
  }
}

/** Recursive comparison; pushes "field: expected X got Y" for each difference. */
export function diff(exp: Json, got: Json, where: string, out: string[]): void {
  if (typeof exp === 'string' && typeof got === 'string') {
    if (TS.test(exp)) {
      if (!TS.test(got)) out.push(`${where}: expected a timestamp like ${exp}, got ${JSON.stringify(got)}`)
      return
    }
    if (norm(exp) !== norm(got)) out.push(`${where}: expected ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`)
    return
  }
  if (Array.isArray(exp) && Array.isArray(got)) {
    const key = where.split('.').pop() ?? ''
    const e = UNORDERED.has(key) ? [...exp].map(String).sort() : exp
    const g = UNORDERED.has(key) ? [...got].map(String).sort() : got
    if (e.length !== g.length) out.push(`${where}: expected ${e.length} items ${JSON.stringify(e)}, got ${g.length} ${JSON.stringify(g)}`)
    else e.forEach((x, i) => diff(x, g[i], `${where}[${i}]`, out))
    return
  }
  if (exp && got && typeof exp === 'object' && typeof got === 'object' && !Array.isArray(exp) && !Array.isArray(got)) {
    const ek = Object.keys(exp)
    const gk = Object.keys(got)
    if (ek.join(',') !== gk.join(',')) out.push(`${where}: expected keys ${ek.join(',')}, got ${gk.join(',')}`)
    for (const k of ek) if (k in (got as object)) diff((exp as Record<string, Json>)[k], (got as Record<string, Json>)[k], `${where}.${k}`, out)
    return
  }
  if (JSON.stringify(exp) !== JSON.stringify(got)) out.push(`${where}: expected ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`)
}

function sortedList(v: Json): Json {
  if (!Array.isArray(v)) return v
  const key = (x: Json) => String((x as Record<string, Json>)?.id ?? (x as Record<string, Json>)?.name ?? JSON.stringify(x))
  return [...v].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

function compareResponse(line: TraceLine, got: GotResponse | undefined, out: string[]): void {
  const where = `line ${line.line} (response to request ${String(line.req)})`
  if (!got) return void out.push(`${where}: no response`)
  if (got.status !== line.status) out.push(`${where}: status expected ${String(line.status)}, got ${got.status} ${got.text}`)
  const eh = line.headers as Record<string, string>
  for (const h of RESPONSE_HEADERS) {
    if (h === 'content-length' && eh[h] !== got.headers[h] && line.body !== null && norm(JSON.stringify(line.body)).length !== norm(got.text).length) {
      // same normalised length expected; a difference is reported by the body comparison
      continue
    }
    if (eh[h] !== got.headers[h]) out.push(`${where}: header ${h} expected ${JSON.stringify(eh[h])}, got ${JSON.stringify(got.headers[h])}`)
  }
  if (line.bodyText !== undefined) {
    if (line.bodyText !== got.text) out.push(`${where}: body expected ${JSON.stringify(line.bodyText)}, got ${JSON.stringify(got.text)}`)
    return
  }
  if (line.body === null) {
    if (got.text !== '') out.push(`${where}: expected an empty body, got ${JSON.stringify(got.text)}`)
    return
  }
  let gotBody: Json
  try {
    gotBody = JSON.parse(got.text)
  } catch {
    return void out.push(`${where}: body is not JSON: ${JSON.stringify(got.text)}`)
  }
  diff(sortedList(line.body), sortedList(gotBody), `${where} body`, out)
}

export function compare(lines: TraceLine[], r: ReplayResult): string[] {
  const out = [...r.problems]
  const expected = new Map<string, Array<{ line: number; e: Record<string, Json> }>>()
  for (const l of lines) {
    if (l.kind === 'event') {
      const tag = String(l.app)
      if (!expected.has(tag)) expected.set(tag, [])
      expected.get(tag)!.push({ line: l.line, e: l.event as Record<string, Json> })
    } else if (l.kind === 'response') compareResponse(l, r.responses.get(Number(l.req)), out)
    else if (l.kind === 'ws-rejected') {
      const got = r.sockets.get(String(l.app))?.rejected
      if (!got) out.push(`line ${l.line}: websocket ${String(l.app)} should have been refused with ${String(l.status)}`)
      else compareResponse({ ...l, body: undefined, bodyText: l.bodyText } as TraceLine, got, out)
    }
  }
  for (const [tag, evs] of expected) {
    const got = r.sockets.get(tag)?.events ?? []
    const devExp = new Set<string>()
    const devGot = new Set<string>()
    const groupsExp = new Map<string, Array<{ line: number; e: Record<string, Json> }>>()
    const groupsGot = new Map<string, Array<Record<string, Json>>>()
    for (const x of evs) {
      if (x.e.type === 'DeviceStateChanged') devExp.add(JSON.stringify(x.e.device_state))
      else groupsExp.set(groupKey(x.e), [...(groupsExp.get(groupKey(x.e)) ?? []), x])
    }
    for (const e of got) {
      if (e.type === 'DeviceStateChanged') devGot.add(JSON.stringify(e.device_state))
      else groupsGot.set(groupKey(e), [...(groupsGot.get(groupKey(e)) ?? []), e])
    }
    for (const d of devExp) if (!devGot.has(d)) out.push(`socket ${tag}: DeviceStateChanged ${d} expected, never received`)
    for (const [key, list] of groupsExp) {
      const g = groupsGot.get(key) ?? []
      for (let i = 0; i < list.length; i++) {
        const { line, e } = list[i]!
        const ge = g[i]
        const where = `line ${line} (socket ${tag}, ${key}, event #${i + 1} ${String(e.type)})`
        if (!ge) {
          out.push(`${where}: expected ${String(e.type)}, got nothing (received ${g.map((x) => x.type).join(',') || 'none'})`)
          break
        }
        if (ge.type !== e.type) {
          out.push(`${where}: expected ${String(e.type)}, got ${String(ge.type)} (expected ${list.map((x) => x.e.type).join(',')}; got ${g.map((x) => x.type).join(',')})`)
          break
        }
        diff(e, ge, where, out)
      }
      if (g.length > list.length) out.push(`socket ${tag}, ${key}: ${g.length - list.length} unexpected extra events: ${g.slice(list.length).map((x) => x.type).join(',')}`)
    }
    for (const [key, g] of groupsGot) if (!groupsExp.has(key)) out.push(`socket ${tag}, ${key}: unexpected events ${g.map((x) => x.type).join(',')}`)
  }
  return out
}
