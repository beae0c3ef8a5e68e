/**
 * The simulator's event queue: a binary min-heap on (time, insertion order), so events at the
 * same virtual instant run in the order they were scheduled. No timers anywhere.
 */

export interface Timed {
  at: number
}

export class EventQueue<T extends Timed> {
  private items: T[] = []
  private seqs: number[] = []
  private seq = 0

  get size(): number {
    return this.items.length
  }

  peekTime(): number | undefined {
    return this.items[0]?.at
  }

  push(item: T): void {
    const items = this.items
    const seqs = this.seqs
    let i = items.length
    items.push(item)
    seqs.push(this.seq++)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  pop(): T | undefined {
    const items = this.items
    if (items.length === 0) return undefined
    const top = items[0]!
    const lastItem = items.pop()!
    const lastSeq = this.seqs.pop()!
    if (items.length > 0) {
      items[0] = lastItem
      this.seqs[0] = lastSeq
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < items.length && this.less(l, m)) m = l
        if (r < items.length && this.less(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return top
  }

  private less(a: number, b: number): boolean {
    const ta = this.items[a]!.at
    const tb = this.items[b]!.at
    return ta < tb || (ta === tb && this.seqs[a]! < this.seqs[b]!)
  }

  private swap(a: number, b: number): void {
    const items = this.items
    const seqs = this.seqs
    const t = items[a]!
    items[a] = items[b]!
    items[b] = t
    const s = seqs[a]!
    seqs[a] = seqs[b]!
    seqs[b] = s
  }
}

/** Min-heap of contact indices keyed by a time (the retry queue), on typed parallel arrays. */
export class TimeHeap {
  private keys: number[] = []
  private vals: number[] = []

  get size(): number {
    return this.keys.length
  }

  peekKey(): number | undefined {
    return this.keys[0]
  }

  push(key: number, val: number): void {
    const k = this.keys
    const v = this.vals
    let i = k.length
    k.push(key)
    v.push(val)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (k[p]! <= key) break
      k[i] = k[p]!
      v[i] = v[p]!
      i = p
    }
    k[i] = key
    v[i] = val
  }

  pop(): number | undefined {
    const k = this.keys
    const v = this.vals
    if (k.length === 0) return undefined
    const top = v[0]!
    const lk = k.pop()!
    const lv = v.pop()!
    const n = k.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && k[r]! < k[l]! ? r : l
        if (k[c]! >= lk) break
        k[i] = k[c]!
        v[i] = v[c]!
        i = c
      }
      k[i] = lk
      v[i] = lv
    }
    return top
  }
}
