/**
 * The terminal fixture (helpers.ts) with the roles of issue 14 items 3–5: a branch administrator of
 * the 本庁 who may run bulk provisions for 旅券 (BA002), a third system administrator holding that
 * purpose too (AD003, to try approving one's own request), an auditor (AU001) and a security officer
 * (SO001). Sessions are logged in and returned by id.
 */
import { sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { devPki, DEV_PIN } from '../../../../certs/src/dev-pki.ts'
import { fromPemAll } from '../../../../certs/src/der.ts'
import { AccountAction, type TerminalRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import { openOperatorCredential } from '../../../../certs/src/operator-credential.ts'
import { loginSignedData } from '../../../../server/src/store/terminal/sessions.ts'
import type { TerminalService } from '../../../../server/src/store/terminal/service.ts'
import { FUKUOKA } from '../helpers.ts'
import { makeFixture, PEOPLE, type Credential, type Fixture } from './helpers.ts'

export const REPORT_PEOPLE = [...PEOPLE, { id: 'BA002', role: 'admin' }, { id: 'AD003', role: 'admin' }, { id: 'AU001', role: 'security' }] as const

export interface ReportFixture extends Fixture {
  /** A live session of each account (AD001, AD002, OP001, BA002, AD003, AU001, SO001, TE001). */
  readonly sessions: Record<string, Uint8Array>
  /** Log in again (after the clock moved past the session's hours) and keep the new session. */
  readonly relogin: (...ids: string[]) => Promise<void>
}

export async function makeReportFixture (dir: string, options: { residents?: number, prefectureName?: string } = {}): Promise<ReportFixture> {
  await devPki(dir, [FUKUOKA], { people: REPORT_PEOPLE })
  const credential = (id: string): Credential => {
    const certificatePem = readFileSync(path.join(dir, 'operators', `${id}.crt`), 'utf8')
    const [der] = fromPemAll(certificatePem, 'CERTIFICATE')
    if (der === undefined) throw new Error('no certificate')
    return { certificatePem, keyPem: readFileSync(path.join(dir, 'operators', `${id}.key`), 'utf8'), certificateDer: der }
  }
  const f = await makeFixture({ credential }, options)
  const session = async (id: string): Promise<Uint8Array> => {
    const r = await f.login(id)
    if (r.errorCode !== '' || r.session == null) throw new Error(`login ${id}: ${r.errorCode}`)
    return r.session.session
  }
  const a1 = await session('AD001')
  const a2 = await session('AD002')
  const register = async (id: string, role: string, purposes: string[]): Promise<void> => {
    const r = await f.ask({ session: a1, account: { action: AccountAction.REGISTER, accountId: id, role, department: 'D-SHICHOSON', branch: 'HONCHO', purposes, pin: DEV_PIN, certificate: f.credential(id).certificateDer, reason: 'setup' } })
    if (r.errorCode !== '') throw new Error(`register ${id}: ${r.errorCode}`)
    const a = await f.ask({ session: a2, account: { action: AccountAction.APPROVE, accountId: id, role: '', department: '', branch: '', purposes: [], pin: '', certificate: new Uint8Array(0), reason: '' } })
    if (a.errorCode !== '') throw new Error(`approve ${id}: ${a.errorCode}`)
  }
  for (const [id, role, purposes] of [['BA002', 'branch-admin', ['B5-RYOKEN']], ['AD003', 'system-admin', ['B5-RYOKEN']], ['AU001', 'auditor', []]] as const) {
    await register(id, role, [...purposes])
  }
  const sessions: Record<string, Uint8Array> = { AD001: a1, AD002: a2 }
  for (const id of ['OP001', 'BA002', 'AD003', 'AU001', 'SO001', 'TE001']) sessions[id] = await session(id)
  const relogin = async (...ids: string[]): Promise<void> => { for (const id of ids) sessions[id] = await session(id) }
  return { ...f, sessions, relogin }
}

/** An auditor (AU001) bootstrapped into `service` and logged in: its requests, and the session they carry. */
export async function auditorSession (f: ReportFixture, service: TerminalService): Promise<{ ask: (req: Partial<TerminalRequest>) => Promise<TerminalResponse>, session: Uint8Array }> {
  await service.bootstrap([{ accountId: 'AU001', role: 'auditor', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], pin: DEV_PIN, certificate: f.credential('AU001').certificateDer }])
  let id = 1_000
  const ask = async (req: Partial<TerminalRequest>): Promise<TerminalResponse> => await service.handle({ requestId: id++, session: new Uint8Array(0), terminalId: 'T-TEST', ...req })
  const challenge = (await ask({ loginBegin: { accountId: 'AU001' } })).challenge?.challenge ?? new Uint8Array(0)
  const c = f.credential('AU001')
  const signature = sign('sha256', loginSignedData(challenge), openOperatorCredential(c.certificatePem, c.keyPem, DEV_PIN).privateKey)
  const session = (await ask({ loginFinish: { accountId: 'AU001', challenge, signature, pin: DEV_PIN, adapter: 'key-file' } })).session?.session ?? new Uint8Array(0)
  return { ask, session }
}
