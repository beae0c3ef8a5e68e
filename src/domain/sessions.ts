/**
 * Where login sessions and failed-login counts live (src/http/login.ts): in this engine's
 * memory for the embedded default, in Redis when engines share one, so that a token issued by
 * one engine works on every engine behind the load balancer, a logout ends it everywhere, and
 * a password guesser gets five tries in all, not five per engine. Keys are digests of the
 * tokens (a stolen store dump holds no usable token).
 */
import type { Principal } from '../http/auth.js'

export interface SessionStore {
  put(key: string, principal: Principal, until: number): Promise<void>
  /** The session's principal while `now` < its end. */
  get(key: string, now: number): Promise<Principal | undefined>
  /** Whether there was a session. */
  delete(key: string): Promise<boolean>
  /** Records a failed login for `key` (a user or a client address) at `now`. */
  fail(key: string, now: number, windowMs: number): Promise<void>
  /** The failure times of `key` within the window ending at `now`, oldest first. */
  failures(key: string, now: number, windowMs: number): Promise<number[]>
  clearFailures(key: string): Promise<void>
}
