/**
 * A store with the terminal capability for tests: a MemoryStore, residents from the store helpers,
 * a development PKI (certs/src/dev-pki.ts) for the operator keys, set-up administrators AD001 and
 * AD002, an operator OP001 (registered by AD001, approved by AD002), a technician TE001, a branch
 * administrator BA001 of KITAKYUSHU. The clock is a variable the test moves.
 */
import { readFileSync } from 'node:fs'
import { sign } from 'node:crypto'
import path from 'node:path'
import { devPki, DEV_PIN } from '../../../../certs/src/dev-pki.ts'
import { fromPemAll } from '../../../../certs/src/der.ts'
import { openOperatorCredential } from '../../../../certs/src/operator-credential.ts'
import { AccountAction, type LogAct, type TerminalRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import { MemoryStore } from '../../../../server/src/store/memory-store.ts'
import { MemoryAccounts } from '../../../../server/src/store/terminal/account-book.ts'
import { TerminalService } from '../../../../server/src/store/terminal/service.ts'
import { loginSignedData } from '../../../../server/src/store/terminal/sessions.ts'
import type { NationalQuery } from '../../../../server/src/store/terminal/national-query.ts'
import type { HardcopyPolicy } from '../../../../server/src/store/terminal/context.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY } from '../helpers.ts'

export const PEOPLE = [
  { id: 'AD001', role: 'admin' }, { id: 'AD002', role: 'admin' }, { id: 'OP001', role: 'operator' }, { id: 'OP002', role: 'operator' },
  { id: 'OP003', role: 'operator' }, { id: 'TE001', role: 'technician' }, { id: 'BA001', role: 'admin' }, { id: 'SO001', role: 'security' }
] as const

export interface Credential {
  readonly certificatePem: string
  readonly keyPem: string
  readonly certificateDer: Uint8Array
}

export async function makePki (dir: string): Promise<{ dir: string, credential: (id: string) => Credential }> {
  await devPki(dir, [FUKUOKA], { people: PEOPLE })
  return {
    dir,
    credential: (id) => {
      const certificatePem = readFileSync(path.join(dir, 'operators', `${id}.crt`), 'utf8')
      const [der] = fromPemAll(certificatePem, 'CERTIFICATE')
      if (der === undefined) throw new Error('no certificate')
      return { certificatePem, keyPem: readFileSync(path.join(dir, 'operators', `${id}.key`), 'utf8'), certificateDer: der }
    }
  }
}

export class Clock {
  now = new Date('2026-06-01T01:00:00Z')
  readonly read = (): Date => this.now
  advance (ms: number): void { this.now = new Date(this.now.getTime() + ms) }
}

export interface Fixture {
  readonly store: MemoryStore
  readonly service: TerminalService
  readonly clock: Clock
  readonly credential: (id: string) => Credential
  /** Send one request (request ids are filled in). */
  readonly ask: (req: Partial<TerminalRequest>) => Promise<TerminalResponse>
  /** Log in with both factors; returns the response (session in .session.session). */
  readonly login: (id: string, options?: { pin?: string, session?: Uint8Array, wrongKey?: string }) => Promise<TerminalResponse>
}

let nextId = 1

export async function makeFixture (pki: { credential: (id: string) => Credential }, options: { national?: NationalQuery, residents?: number, idleLockSeconds?: number, hardcopy?: HardcopyPolicy, prefectureName?: string } = {}): Promise<Fixture> {
  const clock = new Clock()
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: clock.read })
  await store.open()
  const cs = new Cs(FUKUOKA)
  const residents = options.residents ?? 40
  await store.append(Array.from({ length: residents }, (_, i) => item(cs.identity(person(i)))))
  const service = new TerminalService({
    store, accounts: new MemoryAccounts(), clock: clock.read, options: { scryptCost: { n: 1 << 10, r: 8, p: 1 }, resultCap: 5, ...(options.idleLockSeconds === undefined ? {} : { idleLockSeconds: options.idleLockSeconds }), ...(options.hardcopy === undefined ? {} : { hardcopy: options.hardcopy }), ...(options.prefectureName === undefined ? {} : { prefectureName: options.prefectureName }) },
    ...(options.national === undefined ? {} : { national: options.national })
  })
  await service.open()
  const ask = async (req: Partial<TerminalRequest>): Promise<TerminalResponse> => await service.handle({ requestId: nextId++, session: new Uint8Array(0), terminalId: 'T-TEST', ...req })
  const credential = pki.credential
  const login = async (id: string, o: { pin?: string, session?: Uint8Array, wrongKey?: string } = {}): Promise<TerminalResponse> => {
    const begin = await ask({ loginBegin: { accountId: id } })
    const challenge = begin.challenge?.challenge ?? new Uint8Array(0)
    const c = credential(o.wrongKey ?? id)
    const key = openOperatorCredential(c.certificatePem, c.keyPem, DEV_PIN).privateKey
    const signature = sign('sha256', loginSignedData(challenge), key)
    return await ask({ session: o.session ?? new Uint8Array(0), loginFinish: { accountId: id, challenge, signature, pin: o.pin ?? DEV_PIN, adapter: 'key-file' } })
  }
  await service.bootstrap(['AD001', 'AD002'].map((id) => ({ accountId: id, role: 'system-admin', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], pin: DEV_PIN, certificate: credential(id).certificateDer })))
  const a1 = (await login('AD001')).session?.session ?? new Uint8Array(0)
  const a2 = (await login('AD002')).session?.session ?? new Uint8Array(0)
  const register = async (id: string, role: string, department: string, branch: string, purposes: string[]): Promise<void> => {
    const r = await ask({ session: a1, account: { action: AccountAction.REGISTER, accountId: id, role, department, branch, purposes, pin: DEV_PIN, certificate: credential(id).certificateDer, reason: 'setup' } })
    if (r.errorCode !== '') throw new Error(`register ${id}: ${r.errorCode}`)
    const a = await ask({ session: a2, account: { action: AccountAction.APPROVE, accountId: id, role: '', department: '', branch: '', purposes: [], pin: '', certificate: new Uint8Array(0), reason: '' } })
    if (a.errorCode !== '') throw new Error(`approve ${id}: ${a.errorCode}`)
  }
  await register('OP001', 'operator', 'D-SHICHOSON', 'HONCHO', ['B5-RYOKEN', 'J1-KYOIKU'])
  await register('TE001', 'technician', 'D-SHICHOSON', 'HONCHO', [])
  await register('BA001', 'branch-admin', 'D-KITAKYU', 'KITAKYUSHU', [])
  // The security officer who approves 物理削除 (SPEC §2.5).
  await register('SO001', 'security-officer', 'D-SHICHOSON', 'HONCHO', [])
  await ask({ session: a1, sessionOp: { action: 3 } })
  await ask({ session: a2, sessionOp: { action: 3 } })
  return { store, service, clock, credential, ask, login }
}

/** The act entries of the store after position `from`. */
export async function actsAfter (store: MemoryStore, from: number): Promise<LogAct[]> {
  const out: LogAct[] = []
  for await (const r of store.entries(from + 1)) if (r.entry.act != null) out.push(r.entry.act)
  return out
}
