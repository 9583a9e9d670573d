/**
 * Building wire messages from person records: one place that lists the IdentityUpdate items, so a
 * Resident's extra fields (index, registration) never leak into an update, and the envelope fields
 * a simulated CS fills in.
 */
import { Stream, type ChangeReason, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import type { PersonBody } from './population.ts'

/** The IdentityUpdate of `p` for an event. */
export function identityOf (p: PersonBody, changeReason: ChangeReason, changeDate: string, previousJuminhyoCode = ''): IdentityUpdate {
  return {
    juminhyoCode: p.juminhyoCode,
    changeReason,
    changeDate,
    nameKanji: p.nameKanji,
    nameGaijiCount: p.nameGaijiCount,
    nameKana: p.nameKana,
    birthDate: p.birthDate,
    sex: p.sex,
    address: p.address,
    addressGaijiCount: p.addressGaijiCount,
    kojinBango: p.kojinBango,
    oazaCode: p.oazaCode,
    gaijiFlag: p.gaijiFlag,
    nameGaijiSerial: p.nameGaijiSerial,
    addressGaijiSerial: p.addressGaijiSerial,
    kyuujiKanji: p.kyuujiKanji,
    kyuujiGaijiCount: p.kyuujiGaijiCount,
    kyuujiKana: p.kyuujiKana,
    kyuujiGaijiSerial: p.kyuujiGaijiSerial,
    previousJuminhyoCode
  }
}

/** 操作者ID and 操作端末ID of a municipality's staff: `OP401307-03`, `TM401307-12`. */
export function operatorOf (municipalityCode: string, n: number): string {
  return `OP${municipalityCode}-${String(n).padStart(2, '0')}`
}

export function terminalOf (municipalityCode: string, n: number): string {
  return `TM${municipalityCode}-${String(n).padStart(2, '0')}`
}

/** 依頼管理番号: the CS's own reference, unique per (municipality, stream, 更新順番号). */
export function requestIdOf (municipalityCode: string, stream: Stream, sequence: number): string {
  return `${municipalityCode}-${stream === Stream.ABNORMAL ? 'A' : 'N'}-${String(sequence).padStart(9, '0')}`
}

/** An envelope around a body. */
export function envelope (municipalityCode: string, stream: Stream, sequence: number, timestamp: string, staff: number, body: Pick<Update, 'identity' | 'fuhyo'>): Update {
  return {
    municipalityCode,
    stream,
    sequence,
    requestId: requestIdOf(municipalityCode, stream, sequence),
    operatorId: operatorOf(municipalityCode, 1 + (staff % 12)),
    terminalId: terminalOf(municipalityCode, 1 + (Math.floor(staff / 12) % 8)),
    timestamp,
    ...body
  }
}
