/**
 * Fictitious updates and records for the domain tests. Every identifier satisfies its check digit
 * (住民票コード with the optional modulus-11 rule too); names and addresses are invented.
 */
import { ChangeReason, FuhyoNotice, FuhyoState, Sex, Stream, type FuhyoUpdate, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import type { FuhyoRecord, IdentityContext, ResidentRecord } from '../../../server/src/domain/records.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'

/** The server's date in these tests. */
export const TODAY = '2024-06-01'
/** 福岡市: the sending CS. */
export const CS = '401307'
/** 北九州市: another municipality of the same prefecture. */
export const OTHER_CS = '401005'
/** 住民票コード that also satisfy the optional modulus-11 rule. */
export const CODE = '12345678903'
export const NEW_CODE = '23456789013'
export const OTHER_CODE = '34567890122'
/** 個人番号: the well-known published example, and two more valid ones. */
export const BANGO = '123456789018'
export const OTHER_BANGO = '987654321018'
export const THIRD_BANGO = '314159265352'

/** A 転入 body with every item set, no 外字 and no 旧氏. */
export function identity (over: Partial<IdentityUpdate> = {}): IdentityUpdate {
  return {
    juminhyoCode: CODE,
    changeReason: ChangeReason.TENNYU,
    changeDate: '2024-05-20',
    nameKanji: '試験 太郎',
    nameGaijiCount: 0,
    nameKana: 'シケン　タロウ',
    birthDate: '1980-02-29',
    sex: Sex.MALE,
    address: '福岡県福岡市中央区試験町一丁目1番1号',
    addressGaijiCount: 0,
    kojinBango: BANGO,
    oazaCode: '0001',
    gaijiFlag: false,
    nameGaijiSerial: 0,
    addressGaijiSerial: 0,
    kyuujiKanji: '',
    kyuujiGaijiCount: 0,
    kyuujiKana: '',
    kyuujiGaijiSerial: 0,
    previousJuminhyoCode: '',
    ...over
  }
}

/** The envelope of an update from {@link CS}. */
export function envelope (over: Partial<Update> = {}): Update {
  return {
    municipalityCode: CS,
    stream: Stream.NORMAL,
    sequence: 42,
    requestId: 'REQ-0042',
    operatorId: 'OP-001',
    terminalId: 'TERM-01',
    timestamp: '2024-05-31T10:15:00+09:00',
    ...over
  }
}

/** An Update carrying an identity body. */
export function identityUpdate (body: Partial<IdentityUpdate> = {}, env: Partial<Update> = {}): Update {
  return { ...envelope(env), identity: identity(body) }
}

/** A 新規 附票 body with every item set. */
export function fuhyo (over: Partial<FuhyoUpdate> = {}): FuhyoUpdate {
  return {
    juminhyoCode: CODE,
    nameKanji: '試験 花子',
    nameGaijiCount: 0,
    nameKana: 'シケン　ハナコ',
    birthDate: '1990-07-07',
    sex: Sex.FEMALE,
    addressMunicipalityCode: CS,
    address: '福岡県福岡市中央区試験町二丁目2番2号',
    addressGaijiCount: 0,
    lastAddress: '',
    lastAddressGaijiCount: 0,
    changeDate: '2024-05-20',
    previousJuminhyoCode: '',
    fuhyoMunicipalityCode: CS,
    state: FuhyoState.CURRENT,
    gaijiFlag: false,
    gaijiPattern: '',
    notice: FuhyoNotice.NEW,
    ...over
  }
}

/** An Update carrying a 附票 body. */
export function fuhyoUpdate (body: Partial<FuhyoUpdate> = {}, env: Partial<Update> = {}): Update {
  return { ...envelope(env), fuhyo: fuhyo(body) }
}

/** The record the file holds for the person of {@link identity}: current, in {@link CS}. */
export function record (over: Partial<ResidentRecord> = {}): ResidentRecord {
  const { previousJuminhyoCode: _, ...items } = identity()
  return {
    ...items,
    changeDate: '2020-04-01',
    municipalityCode: CS,
    status: 'current',
    seionKana: 'シケンタロウ',
    notifiedDate: '2020-04-01',
    deleted: false,
    retentionOnly: false,
    sequence: 7,
    stream: Stream.NORMAL,
    operatorId: 'OP-000',
    terminalId: 'TERM-00',
    timestamp: '2020-04-01T09:00:00+09:00',
    ...over
  }
}

/** The same person, removed (消除者). */
export function removedRecord (over: Partial<ResidentRecord> = {}): ResidentRecord {
  return record({ status: 'removed', deleted: true, retentionOnly: true, changeReason: ChangeReason.TENSHUTSU, ...over })
}

/** A 附票 record as the file holds it. */
export function fuhyoRecord (over: Partial<FuhyoRecord> = {}): FuhyoRecord {
  return { ...fuhyo(), municipalityCode: CS, notifiedDate: '2020-04-01', sequence: 3, stream: Stream.NORMAL, ...over }
}

/** The store's view: by default nobody under the code, nobody holding the 個人番号. */
export function context (over: Partial<IdentityContext> = {}): IdentityContext {
  return { current: undefined, targetCodeTaken: false, kojinBangoHolder: undefined, municipalityCode: CS, today: TODAY, ...over }
}

/** Run `fn`; return the code and field of the KenError it throws (fails the caller's assertion otherwise). */
export function rejection (fn: () => void): { code: string, field: string | undefined } | undefined {
  try {
    fn()
  } catch (err) {
    if (isKenError(err)) return { code: err.code, field: err.field }
    throw err
  }
  return undefined
}
