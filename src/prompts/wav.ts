/**
 * Minimal PCM WAV handling for prompts: read a header (duration), and turn espeak-ng's
 * 22,050 Hz output into the 8 kHz mono 16-bit files Asterisk plays without transcoding.
 * Pure functions on buffers.
 */

export interface WavInfo {
  sampleRate: number
  channels: number
  bitsPerSample: number
  dataOffset: number
  dataBytes: number
  durationMs: number
}

export function readWavInfo(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file')
  }
  let off = 12
  let fmt: { sampleRate: number; channels: number; bitsPerSample: number; format: number } | undefined
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4)
    let size = buf.readUInt32LE(off + 4)
    const body = off + 8
    if (id === 'fmt ') {
      fmt = { format: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bitsPerSample: buf.readUInt16LE(body + 14) }
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk')
      if (fmt.format !== 1) throw new Error(`unsupported WAV format ${fmt.format} (PCM only)`)
      // espeak-ng writing to a pipe leaves the sizes at 0x7fffffff: use what is there.
      if (size > buf.length - body) size = buf.length - body
      const bytesPerSec = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8)
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: fmt.bitsPerSample, dataOffset: body, dataBytes: size, durationMs: Math.round((size / bytesPerSec) * 1000) }
    }
    off = body + size + (size % 2)
  }
  throw new Error('no data chunk')
}

/** Builds a PCM 16-bit mono WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)
  const h = Buffer.alloc(44)
  h.write('RIFF', 0, 'ascii')
  h.writeUInt32LE(36 + data.length, 4)
  h.write('WAVE', 8, 'ascii')
  h.write('fmt ', 12, 'ascii')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(sampleRate, 24)
  h.writeUInt32LE(sampleRate * 2, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'ascii')
  h.writeUInt32LE(data.length, 40)
  return Buffer.concat([h, data])
}

/** Mono 16-bit samples of a PCM WAV (channels averaged). */
export function decodeWav(buf: Buffer): { samples: Int16Array; sampleRate: number } {
  const info = readWavInfo(buf)
  if (info.bitsPerSample !== 16) throw new Error(`unsupported bit depth ${info.bitsPerSample}`)
  const frames = Math.floor(info.dataBytes / (2 * info.channels))
  const out = new Int16Array(frames)
  for (let i = 0; i < frames; i++) {
    let sum = 0
    for (let c = 0; c < info.channels; c++) sum += buf.readInt16LE(info.dataOffset + (i * info.channels + c) * 2)
    out[i] = Math.round(sum / info.channels)
  }
  return { samples: out, sampleRate: info.sampleRate }
}

/**
 * Resamples with a windowed-sinc low-pass at the lower Nyquist frequency (no aliasing when
 * going down to 8 kHz). Quality is ample for speech prompts.
 */
export function resample(input: Int16Array, from: number, to: number, taps = 32): Int16Array {
  if (from === to) return input.slice()
  const ratio = to / from
  const cutoff = Math.min(1, ratio) * 0.95
  const n = Math.floor(input.length * ratio)
  const out = new Int16Array(n)
  for (let i = 0; i < n; i++) {
    const center = i / ratio
    const lo = Math.ceil(center - taps)
    const hi = Math.floor(center + taps)
    let acc = 0
    let norm = 0
    for (let j = lo; j <= hi; j++) {
      if (j < 0 || j >= input.length) continue
      const x = j - center
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x)
      const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / (taps + 1))
      const k = sinc * w
      acc += input[j]! * k
      norm += k
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(norm === 0 ? 0 : acc / norm)))
  }
  return out
}
