/**
 * Writing responses the way Asterisk's HTTP server does: `Server: Asterisk/22.10.1`,
 * `Cache-Control: no-cache, no-store`, `Content-type: application/json` (lower-case t, as
 * sent), Content-Length (0 for 204), and Asterisk's HTML error pages outside ARI.
 */
import type { ServerResponse } from 'node:http'

export const SERVER = 'Asterisk/22.10.1'

export function send(res: ServerResponse, status: number, body: string | undefined, contentType: string | undefined, extra: Array<[string, string]> = []): void {
  const headers: Array<[string, string]> = [
    ['Server', SERVER],
    ['Cache-Control', 'no-cache, no-store'],
    ...extra,
  ]
  const buf = body === undefined ? undefined : Buffer.from(body)
  if (buf && contentType) headers.push(['Content-type', contentType])
  headers.push(['Content-Length', String(buf ? buf.length : 0)])
  res.writeHead(status, headers.flat())
  res.end(buf)
}

export function sendJson(res: ServerResponse, status: number, json: string | undefined, extra: Array<[string, string]> = []): void {
  send(res, status, json, json === undefined ? undefined : 'application/json', extra)
}

export function sendError(res: ServerResponse, status: number, message: string, extra: Array<[string, string]> = []): void {
  sendJson(res, status, JSON.stringify({ message }), extra)
}

export const AUTH_HEADER: [string, string] = ['WWW-Authenticate', 'Basic realm="Asterisk REST Interface"']

/** ast_http_error's HTML page. */
export function htmlPage(status: number, title: string, text: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n' +
    `<html><head>\r\n<title>${status} ${title}</title>\r\n</head><body>\r\n` +
    `<h1>${title}</h1>\r\n<p>${text}</p>\r\n<hr />\r\n<address>${SERVER}</address>\r\n</body></html>\r\n`
  )
}

export function sendHtmlError(res: ServerResponse, status: number, title: string, text: string): void {
  send(res, status, htmlPage(status, title, text), 'text/html')
}
