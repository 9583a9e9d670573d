/**
 * A print of a record screen (A8.3, requirements H20): with terminal.hardcopy "print-with-record" the
 * console asks the store to record the print — who, which terminal, which purpose, whom (blind index)
 * — before the browser prints; with "prohibited" (the stricter source, the default) the request is
 * refused and the refusal recorded, and the console offers no print at all.
 */
import type { PrintRecord, TerminalResponse } from '../../../../proto/src/types.ts'
import { actorFields, cardOf, detail, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { checkPurpose, isPurpose } from './resident-ops.ts'

type Answer = Partial<TerminalResponse>

export async function printRecord (ctx: TerminalContext, actor: Actor, q: PrintRecord): Promise<Answer> {
  const base = { kind: 'terminal.print', ...actorFields(actor), purpose: q.purpose.slice(0, 64), note: `card=${cardOf(actor.account)}` }
  if (ctx.options.hardcopy !== 'print-with-record') {
    return refusal(errors.KEN_ERR_TERM_PRINT_PROHIBITED, 'print', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_PRINT_PROHIBITED.code }))
  }
  const purpose = await checkPurpose(ctx, actor, 'terminal.print', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const ref = actor.session.refs.get(q.ref)
  // Only a record this session found for this purpose — the one on the screen — may be printed.
  if (ref === undefined || ref.purpose !== purpose.code) {
    return refusal(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_UNKNOWN_REF.code }))
  }
  const position = await recordAct(ctx, { ...base, purpose: purpose.code, count: 1, detail: detail({ items: purpose.items }), juminhyoCodes: [ref.juminhyoCode] })
  return { logPosition: position }
}
