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
 * Sessions live in this engine's memory: after a restart, or on another engine, users log in
 * again (the configured tokens keep working everywhere).
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { Clock } from '../domain/clock.js'
import { AppError } from '../domain/errors.js'
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
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex')
// A hash of a password nobody has, checked for unknown users so that they cost the same time.
const DUMMY = hashPassword('no such user', Buffer.alloc(16))

export class LoginService {
  private readonly sessions = new Map<string, { principal: Principal; until: number }>()
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly o: LoginOptions) {}

  /** A session token for the user, or an error: 401 bad credentials, 429 too many failures. */
  async login(user: string, password: string, client: string): Promise<{ token: string; expiresAt: number; principal: Principal }> {
    const now = this.o.clock.now()
    const keys = [`u:${user}`, `c:${client}`]
    const retryAfter = Math.max(...keys.map((k) => this.blockedFor(k, now)))
    if (retryAfter > 0) throw new AppError('TOO_MANY_REQUESTS', 'too many failed logins: try again later', { retryAfterSec: Math.ceil(retryAfter / 1000) })
    const u = Object.hasOwn(this.o.users, user) ? this.o.users[user] : undefined
    const ok = u ? await verifyPassword(password, u.password) : (await verifyPassword(password, await DUMMY), false)
    if (!u || !ok) {
      for (const k of keys) this.fail(k, now)
      throw new AppError('UNAUTHORIZED', 'unknown user or wrong password')
    }
    this.failures.delete(`u:${user}`)
    const token = randomBytes(24).toString('base64url')
    const principal: Principal = { user, role: u.role, ...(u.agentId ? { agentId: u.agentId } : {}) }
    const expiresAt = now + (this.o.ttlMs ?? 10 * 3600_000)
    this.sessions.set(digest(token), { principal, until: expiresAt })
    return { token, expiresAt, principal }
  }

  logout(token: string): boolean {
    return this.sessions.delete(digest(token))
  }

  /** Sessions first, then `fallback` (the configured tokens). */
  authenticator(fallback: Authenticator): Authenticator {
    return {
      authenticate: async (c) => {
        if (c.bearer) {
          const key = digest(c.bearer)
          const s = this.sessions.get(key)
          if (s && s.until > this.o.clock.now()) return { ...s.principal }
          if (s) this.sessions.delete(key)
        }
        return fallback.authenticate(c)
      },
    }
  }

  private recent(key: string, now: number): number[] {
    const w = this.o.windowMs ?? 5 * 60_000
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - w)
    if (list.length > 0) this.failures.set(key, list)
    else this.failures.delete(key)
    return list
  }

  private fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now])
  }

  /** How long `key` is still refused (0: not). */
  private blockedFor(key: string, now: number): number {
    const list = this.recent(key, now)
    const max = this.o.maxFailures ?? 5
    if (list.length < max) return 0
    return list[list.length - max]! + (this.o.windowMs ?? 5 * 60_000) - now
  }
}
