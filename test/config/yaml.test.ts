import t from 'tap'
import { parseYaml } from '../../src/config/yaml.js'
import { formatError, formatErrors, sortErrors, type ConfigError } from '../../src/config/errors.js'

t.test('locate finds values and keys by path, and the nearest ancestor for a missing path', async (t) => {
  const { source, errors } = parseYaml('a:\n  b: [x, { c: 1 }]\n  "d.e": yes\n', 'f.yaml')
  t.same(errors, [])
  t.same(source.value, { a: { b: ['x', { c: 1 }], 'd.e': 'yes' } })
  t.same(source.locate(['a', 'b', 0]), { line: 2, column: 7 })
  t.same(source.locate(['a', 'b', 1, 'c']), { line: 2, column: 15 })
  t.same(source.locate(['a', 'b', 1, 'c'], 'key'), { line: 2, column: 12 })
  t.same(source.locate(['a', 'd.e'], 'key'), { line: 3, column: 3 })
  t.same(source.locate(['a', 'zzz', 'y']), { line: 2, column: 3 }, 'missing: the parent mapping')
  t.same(source.locate([]), { line: 1, column: 1 })
  t.same(source.error(['a', 'b', 0], 'bad', { severity: 'warning' }), { file: 'f.yaml', line: 2, column: 7, path: 'a.b.0', message: 'bad', severity: 'warning' })
})

t.test('syntax errors and duplicate keys, every one, with positions', async (t) => {
  const { errors } = parseYaml('a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n', 'f.yaml')
  t.equal(errors.length, 2)
  t.match(errors[0], { line: 3, column: 1, message: /unique/ })
  t.match(errors[1], { line: 6, column: 3, message: /unique/ })
  const bad = parseYaml('a: [1, 2\nb: "x\n', 'g.yaml')
  t.ok(bad.errors.length >= 1)
  t.ok(bad.errors.every((e) => e.line >= 1 && e.column >= 1 && !e.message.includes('\n')))
})

t.test('aliases resolve; the empty document is null', async (t) => {
  const { source } = parseYaml('x: &p [a]\ny: *p\n', 'f.yaml')
  t.same(source.value, { x: ['a'], y: ['a'] })
  t.same(source.locate(['y', 0]), { line: 1, column: 8 }, 'through an alias: the anchored value')
  t.equal(parseYaml('', 'e.yaml').source.value, null)
})

t.test('formatErrors prints file:line:col: path: message, sorted', async (t) => {
  const errors: ConfigError[] = [
    { file: 'b.yaml', line: 1, column: 1, path: 'x', message: 'm3' },
    { file: 'a.yaml', line: 10, column: 2, path: 'nodes.main.options.1', message: 'm2' },
    { file: 'a.yaml', line: 2, column: 5, path: '', message: 'm1', severity: 'warning' },
    { file: 'environment', line: 0, column: 0, path: 'CENTRALINO_HTTP_PORT', message: 'm0' },
  ]
  t.equal(
    formatErrors(errors),
    ['a.yaml:2:5: warning: m1', 'a.yaml:10:2: nodes.main.options.1: m2', 'b.yaml:1:1: x: m3', 'environment: CENTRALINO_HTTP_PORT: m0'].join('\n'),
  )
  t.equal(formatError(errors[1]!), 'a.yaml:10:2: nodes.main.options.1: m2')
  t.equal(sortErrors(errors)[0]!.message, 'm1')
})
