/**
 * A clerk for residents' own requests (issue 14): an account registered by AD001 and approved by
 * AD002 on a terminal fixture, e.g. OP002 holding the disclosure (K-KAIJI) and correction (K-TEISEI)
 * 事務 besides a provision 事務.
 */
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { AccountAction } from '../../../proto/src/types.ts'
import type { Fixture } from '../../unit/store/terminal/helpers.ts'

export const REQUEST_PURPOSES = ['B5-RYOKEN', 'K-KAIJI', 'K-TEISEI']

export async function registerAccount (f: Fixture, id: string, role: string, purposes: readonly string[], certificate: Uint8Array = f.credential(id).certificateDer): Promise<void> {
  const a1 = (await f.login('AD001')).session?.session ?? new Uint8Array(0)
  const a2 = (await f.login('AD002')).session?.session ?? new Uint8Array(0)
  const r = await f.ask({ session: a1, account: { action: AccountAction.REGISTER, accountId: id, role, department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [...purposes], pin: DEV_PIN, certificate, reason: 'setup' } })
  if (r.errorCode !== '') throw new Error(`register ${id}: ${r.errorCode}`)
  const none = { role: '', department: '', branch: '', purposes: [], pin: '', certificate: new Uint8Array(0), reason: '' }
  const a = await f.ask({ session: a2, account: { ...none, action: AccountAction.APPROVE, accountId: id } })
  if (a.errorCode !== '') throw new Error(`approve ${id}: ${a.errorCode}`)
  for (const session of [a1, a2]) await f.ask({ session, sessionOp: { action: 3 } })
}
