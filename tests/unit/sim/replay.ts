/**
 * An in-memory prefectural file for the generator tests: it runs what the gateway and the store run
 * on each payload — the size cap, the strict decoder, validateUpdate, then decideIdentityUpdate or
 * decideFuhyoUpdate against the file — and applies accepted decisions, so that a generated stream
 * can be checked event by event against the outcome it is tagged with.
 */
import { decode } from '../../../proto/src/codec.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { ChangeReason, ResultStatus, type Update } from '../../../proto/src/types.ts'
import { decideFuhyoUpdate } from '../../../server/src/domain/fuhyo-transition.ts'
import type { FuhyoRecord, ResidentRecord } from '../../../server/src/domain/records.ts'
import { decideIdentityUpdate } from '../../../server/src/domain/transition.ts'
import { validateUpdate } from '../../../server/src/domain/validate-update.ts'

/** What the server decided: the status and, for a rejection, the reason code. */
export interface Outcome {
  readonly status: ResultStatus
  readonly reasonCode?: string
}

export class MemoryFile {
  readonly residents = new Map<string, ResidentRecord>()
  readonly fuhyo = new Map<string, FuhyoRecord>()
  readonly #kojinHolder = new Map<string, string>()
  readonly #retired = new Set<string>()
  readonly #juminhyoCheckDigit: boolean
  readonly #maxUpdateBytes: number

  constructor (options: { juminhyoCheckDigit: boolean, maxUpdateBytes: number }) {
    this.#juminhyoCheckDigit = options.juminhyoCheckDigit
    this.#maxUpdateBytes = options.maxUpdateBytes
  }

  /** One payload from the CS `certMunicipality`, on the server date `today`. */
  submit (certMunicipality: string, payload: Uint8Array | Update, today: string): Outcome {
    let update: Update
    try {
      if (payload instanceof Uint8Array) {
        if (payload.length > this.#maxUpdateBytes) return { status: ResultStatus.REJECTED, reasonCode: 'KEN_REJECT_OVERSIZED' }
        update = decode('Update', payload)
      } else {
        update = payload
      }
      validateUpdate(update, { certMunicipality, juminhyoCheckDigit: this.#juminhyoCheckDigit, today })
    } catch (err) {
      if (isKenError(err)) return { status: ResultStatus.REJECTED, reasonCode: err.code }
      throw err
    }
    return update.identity !== undefined && update.identity !== null ? this.#identity(update, certMunicipality, today) : this.#fuhyo(update, certMunicipality, today)
  }

  #identity (update: Update, municipalityCode: string, today: string): Outcome {
    const u = update.identity
    if (u === undefined || u === null) throw new Error('no identity body')
    const codeChange = u.changeReason === ChangeReason.JUMINHYO_CODE_HENKO
    const key = codeChange ? u.previousJuminhyoCode : u.juminhyoCode
    const decision = decideIdentityUpdate(update, {
      current: this.residents.get(key),
      targetCodeTaken: codeChange && (this.residents.has(u.juminhyoCode) || this.#retired.has(u.juminhyoCode)),
      kojinBangoHolder: this.#kojinHolder.get(u.kojinBango),
      municipalityCode,
      today
    })
    if (!decision.ok) return { status: ResultStatus.REJECTED, reasonCode: decision.code }
    if (decision.retiredCode !== undefined) {
      this.residents.delete(decision.retiredCode)
      this.#retired.add(decision.retiredCode)
    }
    this.residents.set(decision.next.juminhyoCode, decision.next)
    this.#kojinHolder.set(decision.next.kojinBango, decision.next.juminhyoCode)
    return { status: ResultStatus.ACCEPTED }
  }

  #fuhyo (update: Update, municipalityCode: string, today: string): Outcome {
    const code = update.fuhyo?.juminhyoCode ?? ''
    const decision = decideFuhyoUpdate(update, this.fuhyo.get(code), { municipalityCode, today })
    if (!decision.ok) return { status: ResultStatus.REJECTED, reasonCode: decision.code }
    this.fuhyo.set(code, decision.next)
    return { status: ResultStatus.ACCEPTED }
  }
}
