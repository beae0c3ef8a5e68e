/**
 * A Unix-socket proxy in front of a server that can lose one reply: dropNextReply() makes the
 * next data the server sends close the client's connection instead of reaching it. The
 * request was executed, the client never hears so: what happens when a connection drops
 * between a command's execution and its reply.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface SocketProxy {
  readonly path: string
  /** Replies dropped so far. */
  readonly dropped: number
  dropNextReply(): void
  close(): Promise<void>
}

export async function startSocketProxy(target: string): Promise<SocketProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-proxy-'))
  const sock = path.join(dir, 'proxy.sock')
  const open = new Set<Socket>()
  let armed = false
  let dropped = 0
  const server = createServer((client) => {
    const upstream = createConnection(target)
    open.add(client).add(upstream)
    const end = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('data', (d) => upstream.write(d))
    upstream.on('data', (d) => {
      if (armed) {
        armed = false
        dropped++
        end()
        return
      }
      client.write(d)
    })
    client.on('close', end).on('error', end)
    upstream.on('close', end).on('error', end)
  })
  await new Promise<void>((resolve) => server.listen(sock, resolve))
  return {
    path: sock,
    get dropped() {
      return dropped
    },
    dropNextReply() {
      armed = true
    },
    async close() {
      for (const s of open) s.destroy()
      await new Promise((r) => server.close(r))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
