/**
 * Small SVG charts for the pages (no chart library): lines over time and bars by category,
 * with axes labelled by their first and last values and a legend.
 */
const NS = 'http://www.w3.org/2000/svg'

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  return el
}

export interface Series {
  name: string
  /** [x, y] points, x increasing (e.g. epoch ms). */
  points: Array<[number, number]>
  /** CSS colour (default from the palette). */
  color?: string
}

export const PALETTE = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a']

export interface LineChartOptions {
  width?: number
  height?: number
  /** Labels the x values (default: HH:MM of an epoch ms). */
  xLabel?: (x: number) => string
  yLabel?: (y: number) => string
  title?: string
  /** Fixed x range (e.g. the last hour), else the data's. */
  xRange?: [number, number]
  yMin?: number
}

const hhmm = (x: number) => new Date(x).toTimeString().slice(0, 5)

export function lineChart(series: Series[], o: LineChartOptions = {}): SVGSVGElement {
  const W = o.width ?? 640
  const H = o.height ?? 220
  const pad = { l: 44, r: 12, t: o.title ? 24 : 10, b: 40 }
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' })
  if (o.title) root.setAttribute('aria-label', o.title)
  const all = series.flatMap((s) => s.points)
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const [x0, x1] = o.xRange ?? [Math.min(...xs, Date.now()), Math.max(...xs, Date.now())]
  const y0 = o.yMin ?? 0
  const y1 = Math.max(y0 + 1, ...ys)
  const X = (x: number) => pad.l + ((x - x0) / Math.max(1, x1 - x0)) * (W - pad.l - pad.r)
  const Y = (y: number) => H - pad.b - ((y - y0) / (y1 - y0)) * (H - pad.t - pad.b)
  if (o.title) root.appendChild(Object.assign(svg('text', { x: pad.l, y: 16, class: 'title' }), { textContent: o.title }))
  root.appendChild(svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, class: 'axis' }))
  root.appendChild(svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, class: 'axis' }))
  const yl = o.yLabel ?? ((y: number) => String(Math.round(y * 10) / 10))
  const xl = o.xLabel ?? hhmm
  for (const [y, label] of [[y0, yl(y0)], [y1, yl(y1)]] as const) root.appendChild(Object.assign(svg('text', { x: pad.l - 4, y: Y(y) + 4, class: 'tick', 'text-anchor': 'end' }), { textContent: label }))
  for (const [x, anchor] of [[x0, 'start'], [x1, 'end']] as const) root.appendChild(Object.assign(svg('text', { x: X(x), y: H - pad.b + 14, class: 'tick', 'text-anchor': anchor }), { textContent: xl(x) }))
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!
    if (s.points.length > 0) {
      const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ')
      root.appendChild(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': s.name }))
    }
    const lx = pad.l + i * 120
    root.appendChild(svg('rect', { x: lx, y: H - 14, width: 10, height: 10, fill: color }))
    root.appendChild(Object.assign(svg('text', { x: lx + 14, y: H - 5, class: 'legend' }), { textContent: s.name }))
  })
  return root
}

export interface Bar {
  label: string
  values: number[]
}

/** Grouped bars: one group per label, one bar per series name. */
export function barChart(names: string[], bars: Bar[], o: { width?: number; height?: number; title?: string } = {}): SVGSVGElement {
  const W = o.width ?? 640
  const H = o.height ?? 220
  const pad = { l: 44, r: 12, t: o.title ? 24 : 10, b: 40 }
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' })
  if (o.title) {
    root.setAttribute('aria-label', o.title)
    root.appendChild(Object.assign(svg('text', { x: pad.l, y: 16, class: 'title' }), { textContent: o.title }))
  }
  const max = Math.max(1, ...bars.flatMap((b) => b.values))
  const groupW = (W - pad.l - pad.r) / Math.max(1, bars.length)
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, names.length))
  const Y = (y: number) => H - pad.b - (y / max) * (H - pad.t - pad.b)
  root.appendChild(svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, class: 'axis' }))
  root.appendChild(Object.assign(svg('text', { x: pad.l - 4, y: Y(max) + 4, class: 'tick', 'text-anchor': 'end' }), { textContent: String(max) }))
  bars.forEach((b, i) => {
    const gx = pad.l + i * groupW + groupW * 0.1
    b.values.forEach((v, j) => {
      root.appendChild(svg('rect', { x: gx + j * barW, y: Y(v), width: barW - 1, height: Math.max(0, H - pad.b - Y(v)), fill: PALETTE[j % PALETTE.length]!, 'data-series': names[j] ?? '' }))
    })
    root.appendChild(Object.assign(svg('text', { x: gx + (barW * names.length) / 2, y: H - pad.b + 14, class: 'tick', 'text-anchor': 'middle' }), { textContent: b.label }))
  })
  names.forEach((n, j) => {
    const lx = pad.l + j * 120
    root.appendChild(svg('rect', { x: lx, y: H - 14, width: 10, height: 10, fill: PALETTE[j % PALETTE.length]! }))
    root.appendChild(Object.assign(svg('text', { x: lx + 14, y: H - 5, class: 'legend' }), { textContent: n }))
  })
  return root
}
