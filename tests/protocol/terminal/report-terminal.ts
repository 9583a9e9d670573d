/**
 * ken-terminal over real HTTPS on 127.0.0.1 in front of the real terminal socket, served by the
 * report fixture (tests/unit/store/terminal/report-fixture.ts: also BA002, AD003, AU001, SO001).
 * Requests carry the fixture's sessions as Bearer tokens.
 */
import https from 'node:https'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import pino from 'pino'
import { startTerminalServer } from '../../../server/src/store/terminal-server.ts'
import { startTerminalDaemon } from '../../../server/src/terminal/daemon.ts'
import { makeReportFixture, type ReportFixture } from '../../unit/store/terminal/report-fixture.ts'

export interface HttpAnswer { status: number, body: Buffer, json: Record<string, unknown>, headers: Record<string, unknown> }

export interface ReportTerminal {
  readonly url: string
  readonly ca: string
  readonly fixture: ReportFixture
  /** A request as account `as` (its fixture session), or without a session when `as` is ''. */
  readonly request: (as: string, method: string, route: string, body?: unknown) => Promise<HttpAnswer>
  /** A request with a body of its own content type (console forms: urlencoded, multipart). */
  readonly raw: (as: string, method: string, route: string, body: Buffer, contentType: string) => Promise<HttpAnswer>
  readonly token: (as: string) => string
  readonly close: () => Promise<void>
}

export async function startReportTerminal (dir: string, options: { prefectureName?: string } = {}): Promise<ReportTerminal> {
  const pkiDir = path.join(dir, 'pki')
  const fixture = await makeReportFixture(pkiDir, { residents: 40, ...options })
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
  const socket = await startTerminalServer(fixture.service, { socketPath: path.join(dir, 'terminal.sock') }, quiet)
  const daemon = await startTerminalDaemon({ socketPath: socket.socketPath, certFile: path.join(pkiDir, 'server.crt'), keyFile: path.join(pkiDir, 'server.key'), port: 0, terminalId: 'TERM-TEST' }, { logger: pino({ level: 'silent' }) })
  const ca = readFileSync(path.join(pkiDir, 'ca.crt'), 'utf8')
  const token = (as: string): string => Buffer.from(fixture.sessions[as] ?? new Uint8Array(0)).toString('base64url')
  const request = async (as: string, method: string, route: string, body?: unknown): Promise<HttpAnswer> =>
    await raw(as, method, route, body === undefined ? undefined : Buffer.from(JSON.stringify(body)), 'application/json')
  const raw = async (as: string, method: string, route: string, payload: Buffer | undefined, contentType: string): Promise<HttpAnswer> => {
    return await new Promise((resolve, reject) => {
      const req = https.request(new URL(route, daemon.url), {
        method, ca, minVersion: 'TLSv1.3',
        headers: { ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': payload.length }), ...(as === '' ? {} : { authorization: `Bearer ${token(as)}` }) }
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const data = Buffer.concat(chunks)
          let json: Record<string, unknown> = {}
          try { json = JSON.parse(data.toString('utf8')) as Record<string, unknown> } catch { json = {} }
          resolve({ status: res.statusCode ?? 0, body: data, json, headers: res.headers })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
  return {
    url: daemon.url, ca, fixture, request, token, raw,
    close: async () => {
      await daemon.close()
      await socket.close()
      await fixture.store.close()
    }
  }
}
