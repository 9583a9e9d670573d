/**
 * A technician's HTTPS client for ken-maint in the tests: one request with a client credential (or
 * none), a fresh connection each time (agent: false, so each is a new handshake and login check),
 * and every answer handed to `onReply` (the leak scan reads them all).
 */
import https from 'node:https'

export interface Reply { status: number, body: string, json: Record<string, unknown> }
export interface Credential { readonly cert: Buffer, readonly key: Buffer, readonly passphrase: string }

export type Send = (method: string, url: string, body: unknown, cred: Credential | null) => Promise<Reply>

export function maintClient (port: () => number, ca: Buffer, onReply: (what: string, body: string) => void = () => undefined): Send {
  return async (method: string, url: string, body: unknown, cred: Credential | null): Promise<Reply> => await new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: port(), method, path: url, ca, servername: 'localhost', agent: false,
      ...(cred === null ? {} : cred),
      headers: body === undefined ? {} : { 'content-type': 'application/json' }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        onReply(`${method} ${url}`, text + JSON.stringify(res.headers))
        let json: Record<string, unknown> = {}
        try { json = JSON.parse(text) as Record<string, unknown> } catch {}
        resolve({ status: res.statusCode ?? 0, body: text, json })
      })
    })
    req.once('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}
