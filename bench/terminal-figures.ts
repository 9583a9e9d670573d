/**
 * SPEC §8 terminal figures on a loaded store: 4情報 search (氏名 in かな + 生年月日 of residents taken at
 * random) (1) in the store — index read and narrowing on the sealed records; (2) through the store's
 * terminal capability — session, purpose, search, act committed (fsync); (3) end to end through
 * ken-terminal over HTTPS/TLS 1.3 with a keep-alive connection. Sequential, one search at a time.
 */
import https from 'node:https'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { sign } from 'node:crypto'
import pino from 'pino'
import type { Store } from '../server/src/store/store.ts'
import { rangeReadsOnCallingThread } from '../server/src/store/level-store.ts'
import { MemoryAccounts } from '../server/src/store/terminal/account-book.ts'
import { TerminalService } from '../server/src/store/terminal/service.ts'
import { loginSignedData } from '../server/src/store/terminal/sessions.ts'
import { startTerminalServer } from '../server/src/store/terminal-server.ts'
import { startTerminalDaemon } from '../server/src/terminal/daemon.ts'
import { DEV_PIN } from '../certs/src/dev-pki.ts'
import { fromPemAll } from '../certs/src/der.ts'
import { openOperatorCredential } from '../certs/src/operator-credential.ts'
import { Histogram } from './loadgen/histogram.ts'

export interface Quantiles { readonly p50Ms: number, readonly p99Ms: number }
export interface SearchFigures {
  readonly searches: number
  readonly meanHits: number
  /** Where the search's range read ran: classic-level built with patches/classic-level.sh or not (absent before session 8). */
  readonly rangeRead?: 'calling thread' | 'libuv pool'
  readonly store: Quantiles
  readonly service: Quantiles
  readonly https: Quantiles
}

/** Who to search for: 氏名 (かな) and 生年月日 of resident i. */
export type PersonAt = (i: number) => { readonly nameKana: string, readonly birthDate: string }

/** @param pkiDir a development PKI (certs/src/dev-pki.ts) with server.crt/.key and operators/OP001 */
export async function measureSearch (store: Store, personAt: PersonAt, residents: number, seed: number, searches: number, pkiDir: string, workDir: string): Promise<SearchFigures> {
  let x = (seed ^ 0x5bd1e995) >>> 0
  const people = Array.from({ length: searches }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return personAt(x % residents)
  })
  const q = (h: Histogram): Quantiles => ({ p50Ms: Math.round(h.quantile(0.5) * 1000) / 1000, p99Ms: Math.round(h.quantile(0.99) * 1000) / 1000 })

  const inStore = new Histogram()
  for (const p of people) {
    const t0 = performance.now()
    for (const number of await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 1001)) await store.getCurrentByNumber(number)
    inStore.record(performance.now() - t0)
  }

  const certificatePem = readFileSync(path.join(pkiDir, 'operators', 'OP001.crt'), 'utf8')
  const key = openOperatorCredential(certificatePem, readFileSync(path.join(pkiDir, 'operators', 'OP001.key'), 'utf8'), DEV_PIN).privateKey
  const service = new TerminalService({ store, accounts: new MemoryAccounts(), options: { resultCap: 200 } })
  await service.open()
  await service.bootstrap([{ accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-RYOKEN'], pin: DEV_PIN, certificate: fromPemAll(certificatePem, 'CERTIFICATE')[0] ?? new Uint8Array(0) }])
  let rid = 1
  const challenge = (await service.handle({ requestId: rid++, session: new Uint8Array(0), terminalId: 'BENCH', loginBegin: { accountId: 'OP001' } })).challenge?.challenge ?? new Uint8Array(0)
  const login = await service.handle({ requestId: rid++, session: new Uint8Array(0), terminalId: 'BENCH', loginFinish: { accountId: 'OP001', challenge, signature: sign('sha256', loginSignedData(challenge), key), pin: DEV_PIN, adapter: 'key-file' } })
  const session = login.session?.session ?? new Uint8Array(0)

  const viaService = new Histogram()
  let hits = 0
  for (const p of people) {
    const t0 = performance.now()
    const r = await service.handle({ requestId: rid++, session, terminalId: 'BENCH', search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: p.nameKana, address: '', birthDate: p.birthDate, sex: 0, fuzzy: false } })
    viaService.record(performance.now() - t0)
    hits += r.search?.hits.length ?? 0
  }

  const socket = await startTerminalServer(service, { socketPath: path.join(workDir, 'terminal.sock') }, { info: () => undefined, warn: () => undefined, error: () => undefined })
  const daemon = await startTerminalDaemon({ socketPath: socket.socketPath, certFile: path.join(pkiDir, 'server.crt'), keyFile: path.join(pkiDir, 'server.key'), port: 0, terminalId: 'BENCH' }, { logger: pino({ level: 'silent' }) })
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(path.join(pkiDir, 'ca.crt')), minVersion: 'TLSv1.3' })
  const token = Buffer.from(session).toString('base64url')
  const post = async (body: unknown): Promise<number> => await new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body))
    const req = https.request(new URL('/api/search', daemon.url), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(payload)
  })
  const viaHttps = new Histogram()
  try {
    for (const p of people) {
      const t0 = performance.now()
      const status = await post({ purpose: 'B5-RYOKEN', name: p.nameKana, birthDate: p.birthDate })
      viaHttps.record(performance.now() - t0)
      if (status !== 200) throw new Error(`terminal search answered ${status}`)
    }
  } finally {
    agent.destroy()
    await daemon.close()
    await socket.close()
  }
  return { searches, meanHits: Math.round((hits / Math.max(1, searches)) * 100) / 100, rangeRead: rangeReadsOnCallingThread() ? 'calling thread' : 'libuv pool', store: q(inStore), service: q(viaService), https: q(viaHttps) }
}
