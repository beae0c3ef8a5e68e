import t from 'tap'
import { decodeWav, encodeWav, readWavInfo, resample } from '../../src/prompts/wav.js'

function tone(freq: number, rate: number, ms: number, amp = 10000): Int16Array {
  const n = Math.round((rate * ms) / 1000)
  const s = new Int16Array(n)
  for (let i = 0; i < n; i++) s[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate))
  return s
}

function rms(s: Int16Array, from = 0, to = s.length): number {
  let acc = 0
  for (let i = from; i < to; i++) acc += s[i]! * s[i]!
  return Math.sqrt(acc / (to - from))
}

t.test('encode then read: header and duration', async (t) => {
  const wav = encodeWav(tone(440, 8000, 1500), 8000)
  const info = readWavInfo(wav)
  t.match(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: 1500 })
  t.equal(decodeWav(wav).samples.length, 12000)
})

t.test('bad files are refused with a reason', async (t) => {
  t.throws(() => readWavInfo(Buffer.from('hello world!')), /RIFF/)
  const wav = encodeWav(tone(440, 8000, 10), 8000)
  wav.writeUInt16LE(3, 20) // IEEE float
  t.throws(() => readWavInfo(wav), /PCM only/)
})

t.test('downsampling to 8 kHz keeps speech-band tones and removes what would alias', async (t) => {
  const keep = resample(tone(1000, 22050, 500), 22050, 8000)
  t.equal(keep.length, 4000)
  t.ok(rms(keep, 200, 3800) > 6000, 'a 1 kHz tone survives')
  const alias = resample(tone(6000, 22050, 500), 22050, 8000)
  t.ok(rms(alias, 200, 3800) < 1500, 'a 6 kHz tone (above 4 kHz Nyquist) is filtered out')
})

t.test('a sizes-unknown stream header (espeak to a pipe) still reads', async (t) => {
  const wav = encodeWav(tone(440, 22050, 200), 22050)
  wav.writeUInt32LE(0x7fffffff, 40)
  t.equal(readWavInfo(wav).durationMs, 200)
})
