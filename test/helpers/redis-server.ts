/**
 * A private redis-server for a test file: spawned on a Unix socket in a temp directory
 * (no TCP port, nothing saved unless `persist`), waited for until it answers PING, stopped at
 * teardown. stop()/start() restart it on the same socket (and, with persist, the same data:
 * append-only file fsynced on every write), to test clients riding out an outage.
 *
 *   const redis = await startRedisServer(t)   // undefined (and t planned empty: skipped) without redis-server
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Test } from 'tap'

export interface RedisServer {
  /** The socket path: a URL for createRedisStore({ url }) and ioredis. */
  readonly url: string
  readonly dir: string
  /** Stops the server (SIGTERM, waits for the exit). */
  stop(): Promise<void>
  /** Starts it again on the same socket (and data directory). */
  start(): Promise<void>
}

export interface RedisServerOptions {
  /** Keep data across stop()/start() (append-only file, fsync always). */
  persist?: boolean
}

let available: boolean | undefined

/** Whether `redis-server` can be run here. */
export function redisServerAvailable(): boolean {
  available ??= spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
  return available
}

export const NO_REDIS = 'redis-server is not installed (apt-get install redis-server): Redis store tests skipped'

/** Starts a server for this test (stopped and removed at its teardown); skips the test without redis-server. */
export async function startRedisServer(t: Test, o: RedisServerOptions = {}): Promise<RedisServer | undefined> {
  if (!redisServerAvailable()) {
    t.plan(0, NO_REDIS)
    return undefined
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-redis-'))
  const sock = path.join(dir, 'redis.sock')
  const args = ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--loglevel', 'warning', '--logfile', path.join(dir, 'redis.log')]
  args.push(...(o.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']))
  let proc: ChildProcess | undefined

  const start = async () => {
    if (proc) return
    const p = spawn('redis-server', args, { stdio: 'ignore' })
    proc = p
    let exited = false
    p.once('exit', () => {
      exited = true
      if (proc === p) proc = undefined
    })
    for (let i = 0; ; i++) {
      if (await ping(sock)) return
      if (exited) throw new Error(`redis-server exited at start (see ${path.join(dir, 'redis.log')})`)
      if (i > 200) throw new Error('redis-server did not answer PING within 10 s')
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const stop = async () => {
    const p = proc
    if (!p) return
    proc = undefined
    if (p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((r) => p.once('exit', r))
      p.kill('SIGTERM')
      await gone
    }
  }
  await start()
  t.teardown(async () => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return { url: sock, dir, stop, start }
}

function ping(sock: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(sock)
    let buf = ''
    const done = (ok: boolean) => {
      c.destroy()
      resolve(ok)
    }
    c.setTimeout(1000, () => done(false))
    c.on('error', () => done(false))
    c.on('connect', () => c.write('PING\r\n'))
    c.on('data', (d) => {
      buf += d.toString()
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'))
    })
  })
}
