/**
 * One or more samples of every message of proto/src/types.ts MessageMap, with every field set to a
 * value that is not its proto3 default (messages with a oneof get one sample per member).
 * `satisfies` makes a message added to MessageMap a type error here until it has samples.
 */
import {
  AccountAction, AccountListing, ProvisionKind, SessionAction, type AccountInfo, type PurposeInfo, type RecordItem, type SearchHit, type SessionInfo,
  ChangeReason, DifferenceKind, FuhyoNotice, FuhyoState, LogAdminKind, LogUpdateKind, ResultStatus, Sex, Stream,
  type LogAct, type LogAdminAct, type LogEffect, type LogUpdate,
  type FourItems, type FuhyoUpdate, type IdentityUpdate, type MessageMap, type MessageName, type NationalForward,
  type PreRejection, type ReconcileChunk, type ReconcileDifference, type ReconcileRecord, type ReconcileSummary, type Update, type UpdateResult
} from '../../../proto/src/types.ts'

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)

export const identity: IdentityUpdate = {
  juminhyoCode: '12345678903',
  changeReason: ChangeReason.JUMINHYO_CODE_HENKO,
  changeDate: '2024-05-20',
  nameKanji: '試\ue000太郎',
  nameGaijiCount: 1,
  nameKana: 'シケン　タロウ',
  birthDate: '1980-02-29',
  sex: Sex.MALE,
  address: '福岡県福岡市中央区試験町1-1',
  addressGaijiCount: 2,
  kojinBango: '123456789018',
  oazaCode: '0001',
  gaijiFlag: true,
  nameGaijiSerial: 3,
  addressGaijiSerial: 4,
  kyuujiKanji: '旧姓',
  kyuujiGaijiCount: 5,
  kyuujiKana: 'キュウセイ',
  kyuujiGaijiSerial: 6,
  previousJuminhyoCode: '23456789013'
}

export const fuhyo: FuhyoUpdate = {
  juminhyoCode: '12345678903',
  nameKanji: '試験花子',
  nameGaijiCount: 1,
  nameKana: 'シケン　ハナコ',
  birthDate: '1990-07-07',
  sex: Sex.FEMALE,
  addressMunicipalityCode: '401307',
  address: '国外',
  addressGaijiCount: 2,
  lastAddress: '福岡県福岡市',
  lastAddressGaijiCount: 3,
  changeDate: '2024-05-20',
  previousJuminhyoCode: '23456789013',
  fuhyoMunicipalityCode: '401005',
  state: FuhyoState.REMOVED,
  gaijiFlag: true,
  gaijiPattern: 'P1',
  notice: FuhyoNotice.REMOVE
}

const envelope = { municipalityCode: '401307', stream: Stream.ABNORMAL, sequence: 9007199254740991, requestId: 'REQ-1', operatorId: 'OP-1', terminalId: 'TERM-1', timestamp: '2024-05-31T10:15:00+09:00' }

const result: UpdateResult = {
  municipalityCode: '401307',
  stream: Stream.NORMAL,
  sequence: 42,
  requestId: 'REQ-1',
  status: ResultStatus.REJECTED,
  reasonCode: 'KEN_REJECT_BAD_DATE',
  field: 'identity.birth_date',
  logPosition: 123456,
  entryHash: bytes(1, 2, 3),
  expectedSequence: 41,
  payloadSha256: bytes(4, 5, 6)
}

const preRejection: PreRejection = { reasonCode: 'KEN_REJECT_MALFORMED', field: 'identity', stream: Stream.NORMAL, sequence: 7, requestId: 'REQ-2', payloadLength: 512 }

const reconcileRecord: ReconcileRecord = { juminhyoCode: '12345678903', contentDigest: bytes(7, 8, 9) }
const difference: ReconcileDifference = { juminhyoCode: '12345678903', kind: DifferenceKind.DIFFERS, fields: ['address', 'name_kana'] }
const summary: ReconcileSummary = { recordsAtCs: 1, recordsHere: 2, matching: 3, missingHere: 4, missingAtCs: 5, differing: 6 }

const forward: NationalForward = {
  logPosition: 77,
  entryHash: bytes(10, 11),
  prefectureCode: '40',
  municipalityCode: '401307',
  juminhyoCode: '12345678903',
  nameKanji: '試験太郎',
  nameKana: 'シケン　タロウ',
  birthDate: '1980-02-29',
  sex: Sex.MALE,
  address: '福岡県福岡市',
  kojinBango: '123456789018',
  changeReason: ChangeReason.TENKYO,
  changeDate: '2024-05-20',
  kyuujiKanji: '旧姓',
  kyuujiKana: 'キュウセイ',
  previousJuminhyoCode: '23456789013'
}

const fourItems: FourItems = { nameKana: 'シケン　タロウ', nameKanji: '試験太郎', address: '福岡県福岡市', birthDate: '1980-02-29', sex: Sex.MALE }

const effect: LogEffect = {
  subject: bytes(20, 21),
  retiredSubject: bytes(22),
  kojinToken: bytes(23),
  recordMunicipalityCode: '401307',
  removed: true,
  sealedRecord: bytes(24, 25, 26),
  searchKeys: [bytes(41), bytes(42)]
}

const logUpdate: LogUpdate = {
  municipalityCode: '401307',
  stream: Stream.ABNORMAL,
  sequence: 8,
  requestId: 'REQ-8',
  payloadSha256: bytes(27),
  payloadLength: 300,
  kind: LogUpdateKind.IDENTITY,
  changeReason: ChangeReason.SHIBOU,
  status: ResultStatus.ACCEPTED,
  reasonCode: 'KEN_REJECT_NO_CHANGE',
  field: 'identity',
  expectedSequence: 7,
  keyId: bytes(28),
  sealedUpdate: bytes(29, 30),
  effect
}

const act: LogAct = {
  kind: 'terminal.search', actor: 'op-0001', role: 'operator', terminal: 'T-01', purpose: 'B5-1', refused: true, reasonCode: 'KEN_ERR_TERM_PURPOSE', count: 3,
  fromPosition: 7, toPosition: 9, note: 'REF-1', approver: 'secoff01', period: '2026-11', sealedDetail: bytes(40), subjects: [bytes(16), bytes(16)]
}
const adminAct: LogAdminAct = { kind: LogAdminKind.KEY_ERASURE, actor: 'admin-1', approver: 'officer-1', note: 'TICKET-1', keyId: bytes(31), replayed: 1000 }

export const updateWithIdentity: Update = { ...envelope, identity }
const updateWithFuhyo: Update = { ...envelope, fuhyo }

export const chunk: ReconcileChunk = { municipalityCode: '401307', sessionId: '7d0c1f9e-0000-4000-8000-000000000001', chunkIndex: 2, chunkCount: 10, snapshotDate: '2024-05-31', records: [reconcileRecord, reconcileRecord] }

const recordItem: RecordItem = { item: 'name', value: '試験太郎' }
const hit: SearchHit = { ref: 'r-1', items: [recordItem], removed: true }
const sessionInfo: SessionInfo = {
  session: bytes(50, 51), accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-1'], locked: true, expires: '2027-04-30', idleLockSeconds: 300
}
const accountInfo: AccountInfo = {
  accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-1'], status: 'active', registeredBy: 'AD001',
  approvedBy: 'AD002', registeredAt: '2026-05-01T00:00:00.000Z', expires: '2027-04-30', reported: true, failures: 2, lockedOut: true
}
const purposeInfo: PurposeInfo = { code: 'B5-1', title: '試験', basis: '別表第五', items: ['name'], departments: ['D-SHICHOSON'], recipients: ['R-ZEIMU'], recipientNames: ['税務課'] }
const session = bytes(52, 53)

export const SAMPLES = {
  Update: [updateWithIdentity, updateWithFuhyo],
  IdentityUpdate: [identity],
  FuhyoUpdate: [fuhyo],
  UpdateResult: [result],
  AppendItem: [
    { municipalityCode: '401307', update: updateWithIdentity, payloadSha256: bytes(12) },
    { municipalityCode: '401307', rejection: preRejection, payloadSha256: bytes(13) }
  ],
  PreRejection: [preRejection],
  AppendRequest: [{ batchId: 5, items: [{ municipalityCode: '401307', update: updateWithFuhyo, payloadSha256: bytes(14) }, { municipalityCode: '401307', rejection: preRejection, payloadSha256: bytes(15) }] }],
  AppendResponse: [{ batchId: 5, results: [result, result], errorCode: 'KEN_ERR_STORE_UNAVAILABLE' }],
  ReconcileChunk: [chunk],
  ReconcileRecord: [reconcileRecord],
  ReconcileResult: [{ municipalityCode: '401307', sessionId: 'S-1', chunkIndex: 9, complete: true, differences: [difference], summary, reasonCode: 'KEN_REJECT_MALFORMED' }],
  ReconcileDifference: [difference],
  ReconcileSummary: [summary],
  NationalForward: [forward],
  NationalAck: [{ logPosition: 77 }],
  NationalSearchRequest: [
    { queryId: 'Q-1', purposeCode: 'P-01', juminhyoCode: '12345678903' },
    { queryId: 'Q-2', purposeCode: 'P-01', kojinBango: '123456789018' },
    { queryId: 'Q-3', purposeCode: 'P-01', fourItems }
  ],
  FourItems: [fourItems],
  NationalSearchResponse: [{ queryId: 'Q-1', records: [forward], reasonCode: 'KEN_REJECT_UNKNOWN_RESIDENT' }],
  LogEntry: [
    { position: 1, recordedAt: '2024-05-31T01:15:00.000Z', update: logUpdate },
    { position: 2, recordedAt: '2024-05-31T01:15:01.000Z', admin: adminAct },
    { position: 3, recordedAt: '2024-05-31T01:15:02.000Z', act }
  ],
  LogUpdate: [logUpdate],
  LogEffect: [effect],
  LogAdminAct: [adminAct],
  LogAct: [act],
  ResidentView: [{ keyId: bytes(32), position: 3, municipalityCode: '401307', removed: true, kojinToken: bytes(33), sealedRecord: bytes(34), searchKeys: [bytes(43)] }],
  HistoryView: [{ keyId: bytes(35), position: 4, supersededAt: 5, sealedRecord: bytes(36) }],
  FuhyoView: [{ keyId: bytes(37), position: 6, sealedRecord: bytes(38) }],
  DedupView: [{ position: 7, entryHash: bytes(39), status: ResultStatus.REJECTED, reasonCode: 'KEN_REJECT_BAD_SEX', field: 'identity.sex' }],
  CountsView: [{ current: 10, accepted: 11, rejected: 12 }],
  StoredResident: [{
    identity,
    municipalityCode: '401307',
    removed: true,
    seionKana: 'シケンタロウ',
    notifiedDate: '2024-05-31',
    deleted: true,
    retentionOnly: true,
    sequence: 13,
    stream: Stream.NORMAL,
    operatorId: 'OP-2',
    terminalId: 'TERM-2',
    timestamp: '2024-05-31T10:15:00+09:00'
  }],
  StoredFuhyo: [{ fuhyo, municipalityCode: '401005', notifiedDate: '2024-05-31', sequence: 14, stream: Stream.ABNORMAL }],
  TerminalRequest: [
    { requestId: 1, session, terminalId: 'T-01', loginBegin: { accountId: 'OP001' } },
    { requestId: 2, session, terminalId: 'T-01', loginFinish: { accountId: 'OP001', challenge: bytes(54), signature: bytes(55), pin: '1234', adapter: 'key-file' } },
    { requestId: 3, session, terminalId: 'T-01', sessionOp: { action: SessionAction.LOGOUT } },
    { requestId: 4, session, terminalId: 'T-01', search: { purpose: 'B5-1', juminhyoCode: '12345678903', kojinBango: '123456789018', name: 'シケン', address: '福岡', birthDate: '1980-02-29', sex: Sex.MALE, fuzzy: true } },
    { requestId: 5, session, terminalId: 'T-01', view: { purpose: 'B5-1', ref: 'r-1' } },
    { requestId: 6, session, terminalId: 'T-01', provide: { purpose: 'B5-1', kind: ProvisionKind.ITEN, recipient: 'D-ZEIMU', refs: ['r-1'], items: ['name'], channel: 'terminal', reference: 'DOC-1' } },
    { requestId: 7, session, terminalId: 'T-01', account: { action: AccountAction.REGISTER, accountId: 'OP002', role: 'operator', department: 'D-ZEIMU', branch: 'HONCHO', purposes: ['B5-1'], pin: '1234', certificate: bytes(56), reason: 'T-1' } },
    { requestId: 8, session, terminalId: 'T-01', accounts: { listing: AccountListing.UNREPORTED } }
  ],
  LoginBegin: [{ accountId: 'OP001' }],
  LoginFinish: [{ accountId: 'OP001', challenge: bytes(54), signature: bytes(55), pin: '1234', adapter: 'key-file' }],
  SessionOp: [{ action: SessionAction.LOCK }],
  SearchQuery: [{ purpose: 'B5-1', juminhyoCode: '12345678903', kojinBango: '123456789018', name: 'シケン', address: '福岡', birthDate: '1980-02-29', sex: Sex.FEMALE, fuzzy: true }],
  ViewQuery: [{ purpose: 'B5-1', ref: 'r-1' }],
  ProvisionRequest: [{ purpose: 'B5-1', kind: ProvisionKind.TEIKYO, recipient: 'E-KYOUIKU', refs: ['r-1'], items: ['name'], channel: 'terminal', reference: 'DOC-1' }],
  AccountChange: [{ action: AccountAction.APPROVE, accountId: 'OP002', role: 'operator', department: 'D-ZEIMU', branch: 'HONCHO', purposes: ['B5-1'], pin: '1234', certificate: bytes(56), reason: 'T-1' }],
  AccountQuery: [{ listing: AccountListing.ALL }],
  TerminalResponse: [
    { requestId: 1, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, challenge: { challenge: bytes(57) } },
    { requestId: 2, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, session: sessionInfo },
    { requestId: 3, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, search: { hits: [hit], tooMany: true, national: 'unavailable' } },
    { requestId: 4, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, record: { ref: 'r-1', items: [recordItem], removed: true } },
    { requestId: 5, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, accounts: { accounts: [accountInfo] } },
    { requestId: 6, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, purposes: { purposes: [purposeInfo] } }
  ],
  LoginChallenge: [{ challenge: bytes(57) }],
  SessionInfo: [sessionInfo],
  RecordItem: [recordItem],
  SearchHit: [hit],
  SearchResult: [{ hits: [hit], tooMany: true, national: 'unavailable' }],
  RecordView: [{ ref: 'r-1', items: [recordItem], removed: true }],
  AccountInfo: [accountInfo],
  AccountList: [{ accounts: [accountInfo] }],
  PurposeInfo: [purposeInfo],
  PurposeList: [{ purposes: [purposeInfo] }]
} satisfies { [N in MessageName]: Array<MessageMap[N]> }
