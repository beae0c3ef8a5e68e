/** ARI authentication: HTTP Basic or ?api_key=user:password, against the configured users. */
import type { IncomingHttpHeaders } from 'node:http'

export function authenticate(users: Record<string, string>, headers: IncomingHttpHeaders, apiKey: string | null): boolean {
  const check = (pair: string): boolean => {
    const i = pair.indexOf(':')
    if (i < 0) return false
    const user = pair.slice(0, i)
    return Object.prototype.hasOwnProperty.call(users, user) && users[user] === pair.slice(i + 1)
  }
  const h = headers.authorization
  if (h && /^basic /i.test(h)) return check(Buffer.from(h.slice(6).trim(), 'base64').toString('utf8'))
  if (apiKey !== null) return check(apiKey)
  return false
}
