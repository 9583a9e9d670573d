/**
 * ken-terminal over real HTTPS on 127.0.0.1 in front of the real terminal socket (a temp Unix
 * socket) served by a store with the terminal capability (tests/unit/store/terminal/helpers.ts).
 */
import https from 'node:https'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { sign } from 'node:crypto'
import pino from 'pino'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { openOperatorCredential } from '../../../certs/src/operator-credential.ts'
import { startTerminalServer } from '../../../server/src/store/terminal-server.ts'
import { startTerminalDaemon } from '../../../server/src/terminal/daemon.ts'
import { loginSignedData } from '../../../server/src/store/terminal/sessions.ts'
import { makeFixture, makePki, type Fixture } from '../../unit/store/terminal/helpers.ts'
import type { NationalQuery } from '../../../server/src/store/terminal/national-query.ts'
import type { HardcopyPolicy } from '../../../server/src/store/terminal/context.ts'

export interface Terminal {
  readonly url: string
  readonly port: number
  readonly ca: string
  readonly pkiDir: string
  readonly fixture: Fixture
  readonly request: (method: string, route: string, body?: unknown, token?: string) => Promise<{ status: number, json: Record<string, unknown>, headers: Record<string, unknown> }>
  /** Log in over the API with the signed challenge (the key never leaves the test). */
  readonly login: (id: string, pin?: string) => Promise<{ status: number, json: Record<string, unknown> }>
  readonly close: () => Promise<void>
}

export async function startTerminal (dir: string, options: { national?: NationalQuery, idleLockSeconds?: number, hardcopy?: HardcopyPolicy, maintSocket?: string } = {}): Promise<Terminal> {
  const pkiDir = path.join(dir, 'pki')
  const pki = await makePki(pkiDir)
  const fixture = await makeFixture(pki, options)
  const socket = await startTerminalServer(fixture.service, { socketPath: path.join(dir, 'terminal.sock') }, { info: () => undefined, warn: () => undefined, error: () => undefined })
  const daemon = await startTerminalDaemon({ socketPath: socket.socketPath, certFile: path.join(pkiDir, 'server.crt'), keyFile: path.join(pkiDir, 'server.key'), port: 0, terminalId: 'TERM-TEST', ...(options.maintSocket === undefined ? {} : { maintSocket: options.maintSocket }) }, { logger: pino({ level: 'silent' }) })
  const ca = readFileSync(path.join(pkiDir, 'ca.crt'), 'utf8')
  const request = async (method: string, route: string, body?: unknown, token?: string): Promise<{ status: number, json: Record<string, unknown>, headers: Record<string, unknown> }> => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    return await new Promise((resolve, reject) => {
      const req = https.request(new URL(route, daemon.url), {
        method, ca, minVersion: 'TLSv1.3',
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: Record<string, unknown> = {}
          try { json = JSON.parse(text) as Record<string, unknown> } catch { json = { text } }
          resolve({ status: res.statusCode ?? 0, json, headers: res.headers })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
  const login = async (id: string, pin = DEV_PIN): Promise<{ status: number, json: Record<string, unknown> }> => {
    const challenge = String((await request('POST', '/api/login/challenge', { accountId: id })).json.challenge ?? '')
    const c = pki.credential(id)
    const key = openOperatorCredential(c.certificatePem, c.keyPem, DEV_PIN).privateKey
    const signature = sign('sha256', loginSignedData(Buffer.from(challenge, 'base64')), key).toString('base64')
    return await request('POST', '/api/login', { accountId: id, challenge, signature, pin })
  }
  return {
    url: daemon.url,
    port: daemon.port,
    ca,
    pkiDir,
    fixture,
    request,
    login,
    close: async () => {
      await daemon.close()
      await socket.close()
      await fixture.store.close()
    }
  }
}
