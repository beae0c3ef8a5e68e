/** A private redis-server on a Unix socket in a temp dir, for benchmarks (undefined if not installed). */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface BenchRedis {
  url: string
  stop(): Promise<void>
}

export function startBenchRedis(): BenchRedis | undefined {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-redis-'))
  const url = path.join(dir, 'redis.sock')
  const server = spawn('redis-server', ['--port', '0', '--unixsocket', url, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  return {
    url,
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM')
        await new Promise((r) => server.once('exit', r))
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
