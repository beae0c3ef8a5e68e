/**
 * Matches /ari paths against the route table's templates (/channels/{channelId}/play),
 * segment by segment, literal segments winning over parameters. Also tells which methods a
 * path has, for 405 and its Allow header.
 */
import type { Method, RouteSpec } from '../routes/types.js'

interface Node {
  literal: Map<string, Node>
  param: { name: string; node: Node } | undefined
  routes: Map<Method, RouteSpec>
}

const node = (): Node => ({ literal: new Map(), param: undefined, routes: new Map() })

export type Match = { route: RouteSpec; params: Record<string, string> } | { allowed: Method[] } | undefined

const METHOD_ORDER: Method[] = ['GET', 'POST', 'PUT', 'DELETE']

export class Router {
  private readonly root = node()

  constructor(readonly routes: RouteSpec[]) {
    for (const r of routes) this.add(r)
  }

  private add(r: RouteSpec): void {
    let n = this.root
    for (const seg of r.path.split('/').filter(Boolean)) {
      const pm = /^\{(\w+)\}$/.exec(seg)
      if (pm) {
        n.param ??= { name: pm[1]!, node: node() }
        n = n.param.node
      } else {
        let next = n.literal.get(seg)
        if (!next) n.literal.set(seg, (next = node()))
        n = next
      }
    }
    n.routes.set(r.method, r)
  }

  /** `path` is relative to /ari, already split on '/' and percent-decoded per segment. */
  match(method: string, segments: string[]): Match {
    const params: Record<string, string> = {}
    const found = this.walk(this.root, segments, 0, params)
    if (!found) return undefined
    const route = found.routes.get(method as Method)
    if (route) return { route, params }
    return { allowed: METHOD_ORDER.filter((m) => found.routes.has(m)) }
  }

  private walk(n: Node, segs: string[], i: number, params: Record<string, string>): Node | undefined {
    if (i === segs.length) return n.routes.size > 0 ? n : undefined
    const seg = segs[i]!
    const lit = n.literal.get(seg)
    if (lit) {
      const r = this.walk(lit, segs, i + 1, params)
      if (r) return r
    }
    if (n.param && seg !== '') {
      const r = this.walk(n.param.node, segs, i + 1, params)
      if (r) {
        params[n.param.name] = seg
        return r
      }
    }
    return undefined
  }
}
