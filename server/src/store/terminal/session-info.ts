/** The SessionInfo an operator's terminal sees of its own session. */
import type { SessionInfo } from '../../../../proto/src/types.ts'
import type { Account } from './account-book.ts'
import type { TerminalContext } from './context.ts'
import type { Session } from './sessions.ts'

export function sessionInfo (ctx: TerminalContext, account: Account, session: Session, withToken: boolean): SessionInfo {
  return {
    session: withToken ? session.token : new Uint8Array(0),
    accountId: account.id,
    role: account.role,
    department: account.department,
    branch: account.branch,
    purposes: [...account.purposes],
    locked: session.locked,
    expires: account.expires,
    idleLockSeconds: ctx.options.idleLockSeconds,
    hardcopy: ctx.options.hardcopy
  }
}
