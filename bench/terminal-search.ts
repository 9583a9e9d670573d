/**
 * The terminal's search latency (SPEC §8: 4情報 search p99 < 5 ms in the store; terminal search end to
 * end — HTTPS, session check, log entry committed — p99 < 20 ms). Loads N residents into a LevelStore in
 * this process, then runs sequential 4情報 searches (氏名 in kana + 生年月日) for residents taken at
 * random: (1) the store's index read and narrowing alone, (2) through TerminalService (session,
 * purpose, search, act committed with fsync), (3) through ken-terminal over HTTPS/TLS 1.3 with a
 * keep-alive connection.
 *   node --import tsx bench/terminal-search.ts [--residents N] [--searches N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createHash, randomBytes, sign } from 'node:crypto'
import pino from 'pino'
import { LevelStore } from '../server/src/store/level-store.ts'
import { initialLoadUpdate } from '../tests/sim/generator/index.ts'
import { benchPopulation } from './payloads.ts'
import { MemoryAccounts } from '../server/src/store/terminal/account-book.ts'
import { TerminalService } from '../server/src/store/terminal/service.ts'
import { loginSignedData } from '../server/src/store/terminal/sessions.ts'
import { startTerminalServer } from '../server/src/store/terminal-server.ts'
import { startTerminalDaemon } from '../server/src/terminal/daemon.ts'
import { DEV_PIN } from '../certs/src/dev-pki.ts'
import { openOperatorCredential } from '../certs/src/operator-credential.ts'
import { makePki } from '../tests/unit/store/terminal/helpers.ts'
import type { IdentityUpdate, Update } from '../proto/src/types.ts'

const { values } = parseArgs({ options: { residents: { type: 'string', default: '200000' }, searches: { type: 'string', default: '2000' } } })
const residents = Number(values.residents)
const searches = Number(values.searches)
const population = benchPopulation(1, residents)

const dir = mkdtempSync(path.join(os.tmpdir(), 'ken-term-bench-'))
const store = new LevelStore({ location: path.join(dir, 'db'), applianceKey: randomBytes(32), prepareKeys: true })
await store.open()
const people: IdentityUpdate[] = []
{
  const t0 = performance.now()
  const updates: Update[] = []
  for (const b of population.blocks) for (let i = b.start; i < b.end && updates.length < residents; i++) updates.push(initialLoadUpdate(population, i))
  const lanes = 32
  let next = 0
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < updates.length) {
      const chunk = updates.slice(next, next + 64)
      next += 64
      await store.append(chunk.map((u) => ({ municipalityCode: u.municipalityCode, update: u, rejection: null, payloadSha256: createHash('sha256').update(u.requestId).digest() })))
    }
  }))
  for (let k = 0; k < searches; k++) {
    const u = updates[Math.floor(Math.random() * updates.length)]?.identity
    if (u != null) people.push(u)
  }
  console.log(`loaded ${updates.length} residents in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

function percentiles (label: string, ms: number[]): void {
  const s = [...ms].sort((a, b) => a - b)
  const at = (p: number): string => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN).toFixed(2)
  console.log(`${label}: n=${s.length} p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms`)
}

// (1) the store alone: index candidates, then the sealed records opened and compared.
{
  const ms: number[] = []
  for (const p of people) {
    const t0 = performance.now()
    const subjects = await store.searchSubjects({ name: p.nameKana, birthDate: p.birthDate }, 1001)
    for (const s of subjects) await store.getCurrentBySubject(s)
    ms.push(performance.now() - t0)
  }
  percentiles('store 4情報 index read + narrowing', ms)
}

const pki = await makePki(path.join(dir, 'pki'))
const service = new TerminalService({ store, accounts: new MemoryAccounts() })
await service.open()
await service.bootstrap([{ accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-RYOKEN'], pin: DEV_PIN, certificate: pki.credential('OP001').certificateDer }])
const c = pki.credential('OP001')
const key = openOperatorCredential(c.certificatePem, c.keyPem, DEV_PIN).privateKey
let rid = 1
const challenge = (await service.handle({ requestId: rid++, session: new Uint8Array(0), terminalId: 'B', loginBegin: { accountId: 'OP001' } })).challenge?.challenge ?? new Uint8Array(0)
const login = await service.handle({ requestId: rid++, session: new Uint8Array(0), terminalId: 'B', loginFinish: { accountId: 'OP001', challenge, signature: sign('sha256', loginSignedData(challenge), key), pin: DEV_PIN, adapter: 'key-file' } })
const session = login.session?.session ?? new Uint8Array(0)

// (2) the terminal capability of the store: session, purpose, search, act durable.
{
  const ms: number[] = []
  let hits = 0
  for (const p of people) {
    const t0 = performance.now()
    const r = await service.handle({ requestId: rid++, session, terminalId: 'B', search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: p.nameKana, address: '', birthDate: p.birthDate, sex: 0, fuzzy: false } })
    ms.push(performance.now() - t0)
    hits += r.search?.hits.length ?? 0
  }
  percentiles(`TerminalService search incl. act fsync (${(hits / people.length).toFixed(2)} hits/search)`, ms)
}

// (3) end to end through ken-terminal over HTTPS (TLS 1.3, keep-alive).
{
  const socket = await startTerminalServer(service, { socketPath: path.join(dir, 'terminal.sock') }, { info: () => undefined, warn: () => undefined, error: () => undefined })
  const daemon = await startTerminalDaemon({ socketPath: socket.socketPath, certFile: path.join(pki.dir, 'server.crt'), keyFile: path.join(pki.dir, 'server.key'), port: 0 }, { logger: pino({ level: 'silent' }) })
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(path.join(pki.dir, 'ca.crt')), minVersion: 'TLSv1.3' })
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
  const ms: number[] = []
  for (const p of people) {
    const t0 = performance.now()
    const status = await post({ purpose: 'B5-RYOKEN', name: p.nameKana, birthDate: p.birthDate })
    ms.push(performance.now() - t0)
    if (status !== 200) throw new Error(`status ${status}`)
  }
  percentiles('HTTPS end to end (session check, search, act committed)', ms)
  agent.destroy()
  await daemon.close()
  await socket.close()
}
await store.close()
rmSync(dir, { recursive: true, force: true })
