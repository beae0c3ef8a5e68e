/**
 * A private redis-server for a test file: spawned on a Unix socket in a temp directory
 * (no TCP port, nothing saved unless `persist`), waited for until it answers PING, stopped at
 * teardown. With `cluster`, a one-node Redis Cluster on a free loopback TCP port instead
 * (cluster nodes announce host:port), owning all 16384 slots once the test calls
 * CLUSTER ADDSLOTSRANGE. stop()/start() restart it on the same socket (and, with persist, the same data:
 * append-only file fsynced on every write), to test clients riding out an outage.
 *
 *   const redis = await startRedisServer(t)   // undefined (and t planned empty: skipped) without redis-server
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Test } from 'tap'

export interface RedisServer {
  /** The socket path (a URL for createRedisStore({ url }) and ioredis), or redis://127.0.0.1:port. */
  readonly url: string
  /** The TCP port, with `cluster`. */
  readonly port?: number
  readonly dir: string
  /** Stops the server (SIGTERM, waits for the exit). */
  stop(): Promise<void>
  /** Starts it again on the same socket (and data directory). */
  start(): Promise<void>
}

export interface RedisServerOptions {
  /** Keep data across stop()/start() (append-only file, fsync always). */
  persist?: boolean
  /** A cluster-enabled server on a TCP port. */
  cluster?: boolean
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
  const port = o.cluster ? await freePort() : undefined
  const where = port ? ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', '--cluster-config-file', path.join(dir, 'nodes.conf')] : ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700']
  const args = [...where, '--dir', dir, '--save', '', '--loglevel', 'warning', '--logfile', path.join(dir, 'redis.log')]
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
      if (await ping(port ? { port, host: '127.0.0.1' } : { path: sock })) return
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
  return { url: port ? `redis://127.0.0.1:${port}` : sock, port, dir, stop, start }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function ping(to: { path: string } | { port: number; host: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(to)
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
