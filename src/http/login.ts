/**
 * Logins for the people's side: users with a password (scrypt hash in the configuration,
 * `http.users`) exchange it for a session token (POST /api/login), used as a bearer token like
 * the configured ones, valid for `ttlMs` (default 10 h: a shift) or until POST /api/logout.
 *
 * Brute force: failed attempts are counted per user and per client address in a sliding window;
 * past `maxFailures` (default 5 per 5 minutes) further attempts are refused with 429 and
 * Retry-After without checking the password, so guessing costs the attacker time and the
 * engine no scrypt work. A success clears the user's count. Unknown users cost the same scrypt
 * work as known ones (no user enumeration by timing).
 *
 * Sessions and failure counts live in a SessionStore (src/domain/sessions.ts): this engine's
 * memory by default, Redis when engines share one (a token works on every engine, a logout ends
 * it everywhere, failures are counted across engines). A session is honoured only while its
 * user is still configured with the same role: removing a user or changing the role ends it.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { Clock } from '../domain/clock.js'
import { AppError } from '../domain/errors.js'
import type { SessionStore } from '../domain/sessions.js'
import { createMemorySessionStore } from '../adapters/memory/sessions.js'
import type { Authenticator, Principal } from './auth.js'

const scrypt = (password: string, salt: Buffer, keylen: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, o, (err, key) => (err ? reject(err) : resolve(key))))

const N = 16384
const R = 8
const P = 1
const KEYLEN = 32

/** 'scrypt$N$r$p$<salt b64>$<hash b64>' for the configuration (`centralino password`). */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Checks a password against a hash made by hashPassword; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored)
  if (!m) return false
  const want = Buffer.from(m[5]!, 'base64')
  const got = await scrypt(password, Buffer.from(m[4]!, 'base64'), want.length, { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), maxmem: 256 * Number(m[1]) * Number(m[2]) + 1024 * 1024 })
  return got.length === want.length && timingSafeEqual(got, want)
}

export interface LoginUser extends Omit<Principal, 'user'> {
  /** hashPassword's output. */
  password: string
}

export interface LoginOptions {
  users: Readonly<Record<string, LoginUser>>
  clock: Clock
  ttlMs?: number
  maxFailures?: number
  windowMs?: number
  /** Where sessions and failures live (default: this engine's memory). */
  sessions?: SessionStore
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex')
// A hash of a password nobody has, checked for unknown users so that they cost the same time.
const DUMMY = hashPassword('no such user', Buffer.alloc(16))

export class LoginService {
  private readonly store: SessionStore

  constructor(private readonly o: LoginOptions) {
    this.store = o.sessions ?? createMemorySessionStore()
  }

  private get windowMs(): number {
    return this.o.windowMs ?? 5 * 60_000
  }

  /** A session token for the user, or an error: 401 bad credentials, 429 too many failures. */
  async login(user: string, password: string, client: string): Promise<{ token: string; expiresAt: number; principal: Principal }> {
    const now = this.o.clock.now()
    const keys = [`u:${user}`, `c:${client}`]
    const retryAfter = Math.max(...(await Promise.all(keys.map((k) => this.blockedFor(k, now)))))
    if (retryAfter > 0) throw new AppError('TOO_MANY_REQUESTS', 'too many failed logins: try again later', { retryAfterSec: Math.ceil(retryAfter / 1000) })
    const u = Object.hasOwn(this.o.users, user) ? this.o.users[user] : undefined
    const ok = u ? await verifyPassword(password, u.password) : (await verifyPassword(password, await DUMMY), false)
    if (!u || !ok) {
      await Promise.all(keys.map((k) => this.store.fail(k, now, this.windowMs)))
      throw new AppError('UNAUTHORIZED', 'unknown user or wrong password')
    }
    await this.store.clearFailures(`u:${user}`)
    const token = randomBytes(24).toString('base64url')
    const principal: Principal = { user, role: u.role, ...(u.agentId ? { agentId: u.agentId } : {}) }
    const expiresAt = now + (this.o.ttlMs ?? 10 * 3600_000)
    await this.store.put(digest(token), principal, expiresAt)
    return { token, expiresAt, principal }
  }

  logout(token: string): Promise<boolean> {
    return this.store.delete(digest(token))
  }

  /** Sessions first, then `fallback` (the configured tokens). */
  authenticator(fallback: Authenticator): Authenticator {
    return {
      authenticate: async (c) => {
        if (c.bearer) {
          const key = digest(c.bearer)
          const p = await this.store.get(key, this.o.clock.now())
          if (p) {
            const u = Object.hasOwn(this.o.users, p.user) ? this.o.users[p.user] : undefined
            if (u && u.role === p.role && u.agentId === p.agentId) return p
            await this.store.delete(key)
          }
        }
        return fallback.authenticate(c)
      },
    }
  }

  /** How long `key` is still refused (0: not). */
  private async blockedFor(key: string, now: number): Promise<number> {
    const list = await this.store.failures(key, now, this.windowMs)
    const max = this.o.maxFailures ?? 5
    if (list.length < max) return 0
    return list[list.length - max]! + this.windowMs - now
  }
}
